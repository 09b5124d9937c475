package dev.faxlan.mail.smtp;

import dev.faxlan.mail.smtp.FaxAuthentication.Account;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import java.io.IOException;
import jakarta.mail.util.SharedFileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;

/**
 * One mail transaction: each recipient must be a fax number in the fax domain; the data becomes one
 * submit (one job per recipient) under the session's account. The reply is 250 only once the jobs
 * exist; the submit's idempotency key comes from the Message-ID and the recipients, so a message the
 * sending MTA retries after a lost reply makes no second job.
 */
final class FaxMessageHandler implements MessageHandler {
    private static final Logger LOG = LoggerFactory.getLogger(FaxMessageHandler.class);

    private final SmtpGatewayConfig config;
    private final FaxServer server;
    private final MessageContext context;
    private final List<String> numbers = new ArrayList<>();

    FaxMessageHandler(SmtpGatewayConfig config, FaxServer server, MessageContext context) {
        this.config = config;
        this.server = server;
        this.context = context;
    }

    @Override
    public void from(String from) {
        // The sender is the authenticated account; the envelope address is not trusted for anything.
    }

    @Override
    public void recipient(String recipient) throws RejectException {
        String number = config.numberOf(recipient);
        if (number == null) {
            throw new RejectException(550, config.isFaxDomain(recipient) ? "5.1.1 <" + recipient + ">: the local part is not a fax number"
                    : "5.7.1 <" + recipient + ">: this gateway only faxes to addresses @" + config.faxDomain());
        }
        numbers.add(number);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
        Account account = context.getAuthenticationHandler().map(h -> (Account) h.getIdentity()).orElse(null);
        if (account == null) throw new RejectException(530, "5.7.0 authentication required");
        Path dir = Files.createTempDirectory("faxlan-mail");
        try {
            Path raw = dir.resolve("message.eml");
            spool(data, raw);
            MailContent mail;
            try (InputStream in = new SharedFileInputStream(raw.toFile())) {
                mail = MailContent.read(in, dir);
            }
            List<String> jobs = submit(account, mail, mail.documents(dir));
            LOG.info("message {} from {}: fax jobs {}", mail.messageId(), account.user(), jobs);
            return "fax jobs " + String.join(" ", jobs);
        } finally {
            deleteTree(dir);
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

    private List<String> submit(Account account, MailContent mail, List<Path> documents) throws RejectException {
        try (FaxlanClient c = server.as(account.user(), account.password())) {
            List<String> hashes = new ArrayList<>();
            for (Path d : documents) hashes.add(c.upload(d, bytes -> {}));
            Map<String, Object> fields = mail.bodyIsComment() ? new LinkedHashMap<>(Map.of("comment", mail.body())) : null;
            JobMessage.Submit submit = new JobMessage.Submit(List.copyOf(numbers), hashes, mail.subject(), mail.bodyIsComment() ? config.cover() : null,
                    null, null, null, fields);
            Fields reply = c.call(Operations.op(submit), MessageCodec.encode(submit), idempotencyKey(mail));
            return MessageCodec.decode(JobMessage.Submitted.class, reply).jobs().stream().map(j -> String.valueOf(j.id())).toList();
        } catch (FaxlanException.Unreachable e) {
            throw new RejectException(451, "4.4.1 fax server unreachable, try again later");
        } catch (FaxlanException.AuthenticationFailed e) {
            throw new RejectException(535, "5.7.8 the fax server no longer accepts this account");
        } catch (FaxlanException.Refused e) {
            if (e.code() == ErrorCode.IDEMPOTENCY_KEY_REUSED) {
                throw new RejectException(554, "5.7.0 a different message with this Message-ID and these recipients was already faxed");
            }
            throw new RejectException(554, "5.7.0 the fax server refused the fax: " + e.getMessage());
        } catch (FaxlanException e) {
            LOG.warn("submit for {} failed: {}", account.user(), e.getMessage());
            throw new RejectException(451, "4.3.0 the fax server could not take the fax now, try again later");
        } catch (CpiException e) {
            throw new RejectException(451, "4.3.0 unexpected answer from the fax server, try again later");
        }
    }

    /** 16 bytes of SHA-256 over the Message-ID and recipients (the content when there is no Message-ID). */
    private byte[] idempotencyKey(MailContent mail) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("faxlan smtp-gateway\n".getBytes(StandardCharsets.UTF_8));
            if (mail.messageId() != null) {
                md.update(mail.messageId().getBytes(StandardCharsets.UTF_8));
            } else {
                md.update(String.valueOf(mail.subject()).getBytes(StandardCharsets.UTF_8));
                md.update(String.valueOf(mail.body()).getBytes(StandardCharsets.UTF_8));
                for (Path p : mail.attachments()) md.update(Files.readAllBytes(p));
            }
            md.update(("\n" + String.join(",", numbers)).getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(md.digest(), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void done() {
        // nothing held between transactions
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.getMessage());
        }
    }
}
