package dev.faxlan.mail.out;

import dev.faxlan.mail.smarthost.Smarthost;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.JobState;
import jakarta.activation.DataHandler;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The two kinds of message mail-out sends: a transmission report for a job that ended, and a
 * received fax (as PDF, or a notice without the document). Each carries an {@code X-Faxlan-Job} or
 * {@code X-Faxlan-Fax} header with the id, for mail filters and for telling a repeat from a new one.
 */
final class MailOutMessages {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private MailOutMessages() {}

    /** "Fax to +4930… sent: 3 pages", "… failed: REASON" or "… cancelled". */
    static String reportSubject(Job job) {
        String to = "Fax to " + job.to();
        return switch (job.status()) {
            case DONE -> to + " sent: " + pages(job.pages()) + subjectTail(job);
            case CANCELLED -> to + " cancelled" + subjectTail(job);
            default -> to + " failed: " + (job.reason() == null ? "no reason given" : job.reason());
        };
    }

    private static String subjectTail(Job job) {
        return job.subject() == null || job.subject().isBlank() ? "" : " (" + job.subject() + ")";
    }

    static String reportBody(Job job) {
        StringBuilder b = new StringBuilder();
        line(b, "Job", Long.toString(job.id()));
        line(b, "Recipient", job.to());
        if (job.subject() != null) line(b, "Subject", job.subject());
        line(b, "Result", job.status() == JobState.DONE ? "sent" : job.state());
        line(b, "Reason", job.reason() == null ? "" : job.reason());
        line(b, "Pages sent", Integer.toString(job.pages()));
        line(b, "Attempts", Integer.toString(job.attempts()));
        line(b, "Call duration", job.callMillis() == null ? "no call" : seconds(job.callMillis()));
        line(b, "Submitted", TIME.format(Instant.ofEpochMilli(job.created())));
        line(b, "Ended", TIME.format(Instant.ofEpochMilli(job.updated())));
        line(b, "Total time", seconds(Math.max(0, job.updated() - job.created())));
        return b.toString();
    }

    /** A transmission report; {@code thumbnail} is a PNG of page 1, or null when there is none. */
    static MimeMessage report(Smarthost smarthost, Job job, InternetAddress to, byte[] thumbnail) throws MessagingException {
        MimeMessage m = smarthost.newMessage();
        m.setRecipient(MimeMessage.RecipientType.TO, to);
        m.setSubject(reportSubject(job), "UTF-8");
        m.setHeader("X-Faxlan-Job", Long.toString(job.id()));
        String body = reportBody(job) + (thumbnail == null ? "" : "\nPage 1 is attached as a small picture (page-1.png).\n");
        if (thumbnail == null) {
            m.setText(body, "UTF-8");
            return m;
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text(body));
        MimeBodyPart png = new MimeBodyPart();
        png.setDataHandler(new DataHandler(new ByteArrayDataSource(thumbnail, "image/png")));
        png.setFileName("page-1.png");
        png.setDisposition(MimeBodyPart.ATTACHMENT);
        mixed.addBodyPart(png);
        m.setContent(mixed);
        return m;
    }

    static String receivedSubject(InboxFax fax) {
        String from = !fax.csid().isBlank() ? fax.csid() : !fax.caller().isBlank() ? fax.caller() : "an unknown sender";
        return "Fax from " + from + ": " + pages(fax.pages()) + (fax.result().equals("OK") || fax.result().isEmpty() ? "" : " (incomplete)");
    }

    static String receivedBody(InboxFax fax, boolean attached) {
        StringBuilder b = new StringBuilder();
        line(b, "Fax", Long.toString(fax.id()));
        line(b, "Mailbox", fax.mailbox());
        line(b, "Received", TIME.format(Instant.ofEpochMilli(fax.received())));
        line(b, "Caller", fax.caller());
        line(b, "CSID", fax.csid());
        line(b, "Called number", fax.did());
        line(b, "Pages", Integer.toString(fax.pages()));
        line(b, "Call duration", seconds(fax.durationMs()));
        line(b, "Result", fax.result());
        b.append('\n').append(attached ? "The fax is attached as fax-" + fax.id() + ".pdf.\n"
                : "The document is not sent by mail: open it with 'faxlan fetch " + fax.id() + "' or your fax client.\n");
        return b.toString();
    }

    /** A received fax for one member of its mailbox; {@code pdf} is the fax as PDF, or null for a notice. */
    static MimeMessage received(Smarthost smarthost, InboxFax fax, InternetAddress to, byte[] pdf) throws MessagingException {
        MimeMessage m = smarthost.newMessage();
        m.setRecipient(MimeMessage.RecipientType.TO, to);
        m.setSubject(receivedSubject(fax), "UTF-8");
        m.setHeader("X-Faxlan-Fax", Long.toString(fax.id()));
        String body = receivedBody(fax, pdf != null);
        if (pdf == null) {
            m.setText(body, "UTF-8");
            return m;
        }
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(text(body));
        MimeBodyPart doc = new MimeBodyPart();
        doc.setDataHandler(new DataHandler(new ByteArrayDataSource(pdf, "application/pdf")));
        doc.setFileName("fax-" + fax.id() + ".pdf");
        doc.setDisposition(MimeBodyPart.ATTACHMENT);
        mixed.addBodyPart(doc);
        m.setContent(mixed);
        return m;
    }

    private static MimeBodyPart text(String body) throws MessagingException {
        MimeBodyPart t = new MimeBodyPart();
        t.setText(body, StandardCharsets.UTF_8.name());
        return t;
    }

    private static void line(StringBuilder b, String name, String value) {
        b.append(name).append(": ").append(value).append('\n');
    }

    private static String pages(int n) {
        return n + (n == 1 ? " page" : " pages");
    }

    private static String seconds(long millis) {
        Duration d = Duration.ofMillis(millis);
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }
}
