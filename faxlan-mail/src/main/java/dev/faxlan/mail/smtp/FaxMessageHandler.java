package dev.faxlan.mail.smtp;

import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.mail.fax.MailContent;
import dev.faxlan.mail.fax.MailRefusal;
import dev.faxlan.mail.fax.MailSubmission;
import dev.faxlan.mail.fax.PhonebookNames;
import dev.faxlan.mail.smtp.FaxAuthentication.Account;
import dev.faxlan.sdk.Contact;
import dev.faxlan.sdk.FaxlanException;
import java.io.IOException;
import jakarta.mail.util.SharedFileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One mail transaction: each recipient must be a fax number or a phonebook name in the fax domain;
 * the data becomes one submit (one job per recipient) under the session's account, or, for a session without AUTH whose
 * envelope sender is on the allow-list and whose client is in {@code senders.networks}, by the
 * gateway's own account for the sender's mapped account. The reply is 250 only once the jobs exist;
 * the submit's idempotency key comes from the Message-ID and the recipients, so a message the
 * sending MTA retries after a lost reply makes no second job.
 */
final class FaxMessageHandler implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FaxMessageHandler.class);

    private final SmtpGatewayConfig config;
    private final FaxServer server;
    private final MessageContext context;
    private final Path spool;
    private final List<String> numbers = new ArrayList<>();
    /** The envelope sender, and the account it maps to for a session without AUTH (null otherwise). */
    private String sender;
    private String owner;
    /** The sender's phonebook, once a recipient needed it. */
    private PhonebookNames phonebook;

    FaxMessageHandler(SmtpGatewayConfig config, FaxServer server, MessageContext context, Path spool) {
        this.config = config;
        this.server = server;
        this.context = context;
        this.spool = spool;
    }

    @Override
    public void from(String from) throws RejectException {
        sender = from;
        // A session that logged in sends as its account; its envelope address is not trusted for anything.
        if (account() != null) return;
        if (!config.allowsSendersWithoutAuth()) throw new RejectException(530, "5.7.0 authentication required");
        InetAddress client = context.getRemoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        boolean trustedClient = config.senderNetworks().stream().anyMatch(n -> n.contains(client));
        String mapped = config.senders().accountOf(from).orElse(null);
        if (mapped == null || !trustedClient) {
            // One answer for both, so an untrusted client cannot find out which addresses are listed.
            LOG.info("sender <{}> from {} refused: {}", from, client == null ? "?" : client.getHostAddress(),
                    mapped == null ? "not on the allow-list" : "the client is not in senders.networks");
            throw new RejectException(550, "5.7.1 <" + from + ">: sender not allowed without AUTH");
        }
        owner = mapped;
    }

    private Account gatewayAccount() {
        return new Account(config.gatewayUser(), server.shared(config.gatewayUser(), config.gatewayPassword()));
    }

    private Account account() {
        return context.getAuthenticationHandler().map(h -> (Account) h.getIdentity()).orElse(null);
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        if (!config.isFaxDomain(recipient)) {
            throw new RejectException(550, "5.7.1 <" + recipient + ">: this gateway only faxes to addresses @" + config.faxDomain());
        }
        String number = config.numberOf(recipient);
        numbers.add(number != null ? number : phonebookName(recipient));
    }

    /**
     * The phonebook entry a local part that is not a number names, as the server takes it (the
     * entry's own name). The phonebook is read once per message, at its first such recipient: the
     * session's account's own and shared entries. For an allow-listed sender without AUTH the gateway
     * sees only the shared ones (a user's own phonebook is theirs alone); a name not among them goes
     * to the server as written (dots and underscores as spaces), which looks it up in the sender's
     * account and refuses the message at its end if there is none.
     */
    private String phonebookName(String recipient) throws RejectException {
        String local = recipient.substring(0, recipient.lastIndexOf('@'));
        Account account = account();
        if (phonebook == null) {
            Account reader = account != null ? account : owner != null ? gatewayAccount() : null;
            if (reader == null) throw new RejectException(530, "5.7.0 authentication required");
            try {
                List<Contact> contacts = reader.client().contacts();
                phonebook = new PhonebookNames(account != null ? contacts : contacts.stream().filter(Contact::shared).toList());
            } catch (FaxlanException.Unreachable e) {
                throw new RejectException(451, "4.4.1 fax server unreachable, try again later");
            } catch (FaxlanException e) {
                LOG.warn("phonebook of {} not readable: {}", reader.user(), e.getMessage());
                throw new RejectException(451, "4.3.0 the fax server could not read the phonebook now, try again later");
            }
        }
        Optional<Contact> entry = phonebook.find(local);
        if (entry.isPresent()) return entry.get().name();
        String spoken = PhonebookNames.spoken(local);
        if (account == null && spoken.matches(".*\\p{L}.*")) return spoken;
        throw new RejectException(550, "5.1.1 <" + recipient + ">: no phonebook entry " + spoken);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        Account account = account();
        if (account == null && owner == null) throw new RejectException(530, "5.7.0 authentication required");
        // Without AUTH the gateway's own account submits, naming the allow-listed sender's account as the jobs' owner.
        Account client = account != null ? account : gatewayAccount();
        String forOwner = account != null ? null : owner;
        String who = account != null ? account.user() : "<" + sender + "> as " + owner;
        Path dir = Files.createTempDirectory(spool, "faxlan-mail");
        try {
            Path raw = dir.resolve("message.eml");
            spool(data, raw);
            MailContent mail;
            try (InputStream in = new SharedFileInputStream(raw.toFile())) {
                mail = MailContent.read(in, dir);
            }
            List<Long> jobs = new MailSubmission(List.copyOf(numbers), config.cover(), config.bodyAs(), "smtp-gateway", forOwner).submit(client.client(), mail, dir);
            LOG.info("message {} from {}: fax jobs {}", mail.messageId(), who, jobs);
            return "fax jobs " + jobs.stream().map(String::valueOf).collect(Collectors.joining(" "));
        } catch (MailRefusal r) {
            if (r.temporary()) LOG.warn("message from {} deferred: {}", who, r.text());
            throw new RejectException(r.code(), r.text());
        } finally {
            if (!WorkDirectories.delete(dir).isEmpty()) LOG.warn("cannot remove all of {}", dir);
        }
    }

    /**
     * Writes the message to disk, never more than the size limit; past it the rest is read and
     * dropped, so the session stays in step with the client, and the message is refused with 552.
     */
    private void spool(InputStream data, Path raw) throws IOException, RejectException {
        long limit = config.maxMessageBytes();
        long total = 0;
        byte[] buf = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(raw)) {
            for (int n; (n = data.read(buf)) > 0; ) {
                total += n;
                if (total <= limit) out.write(buf, 0, n);
            }
        }
        if (total > limit) throw new RejectException(552, "5.3.4 the message is larger than the limit of " + limit + " bytes");
    }

    @Override
    public void done() {
        // nothing held between transactions
    }
}
