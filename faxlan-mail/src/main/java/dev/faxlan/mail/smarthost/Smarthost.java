package dev.faxlan.mail.smarthost;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/**
 * Sends faxlan's mail (transmission reports, received faxes, poller replies) through the
 * configured smarthost with Angus Mail. A message the smarthost did not take throws, so the caller
 * keeps it and tries again later; nothing is dropped on a mail server's hiccup.
 */
public final class Smarthost {
    private final SmarthostSettings settings;
    private final Session session;

    public Smarthost(SmarthostSettings settings) {
        this.settings = settings;
        Properties p = new Properties();
        boolean smtps = "smtps".equals(settings.tls());
        String proto = smtps ? "smtps" : "smtp";
        p.setProperty("mail.transport.protocol", proto);
        p.setProperty("mail." + proto + ".host", settings.host());
        p.setProperty("mail." + proto + ".port", Integer.toString(settings.port()));
        String ms = Long.toString(settings.timeout().toMillis());
        p.setProperty("mail." + proto + ".connectiontimeout", ms);
        p.setProperty("mail." + proto + ".timeout", ms);
        p.setProperty("mail." + proto + ".writetimeout", ms);
        p.setProperty("mail." + proto + ".auth", Boolean.toString(settings.user() != null));
        if ("starttls".equals(settings.tls())) {
            p.setProperty("mail.smtp.starttls.enable", "true");
            p.setProperty("mail.smtp.starttls.required", "true");
        }
        if (!"none".equals(settings.tls())) {
            p.setProperty("mail." + proto + ".ssl.checkserveridentity", "true");
            if (settings.trust() != null) p.put("mail." + proto + ".ssl.socketFactory", settings.trust());
        }
        p.setProperty("mail.from", settings.from().getAddress());
        this.session = Session.getInstance(p);
    }

    /** A new, empty message of this smarthost's session, From set. */
    public MimeMessage newMessage() throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(settings.from());
        return m;
    }

    /** Sends one message; throws when the smarthost did not accept it for every recipient. */
    public void send(MimeMessage message) throws MessagingException {
        if (message.getSentDate() == null) message.setSentDate(new java.util.Date());
        message.saveChanges();
        try (Transport t = session.getTransport()) {
            if (settings.user() != null) t.connect(settings.user(), new String(settings.password()));
            else t.connect();
            t.sendMessage(message, message.getAllRecipients());
        }
    }

    public SmarthostSettings settings() {
        return settings;
    }

    /** The recipients of a message, for logs (addresses only, never content). */
    public static String recipients(Message m) throws MessagingException {
        var all = m.getAllRecipients();
        return all == null ? "" : java.util.Arrays.toString(all);
    }
}
