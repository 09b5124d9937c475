package dev.faxlan.mail.fax;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One mail made into one submit: its documents uploaded, one job per recipient, the body on the
 * cover page when there are attachments. The submit carries an idempotency key from the Message-ID
 * and the recipients, so a mail handed in again (a lost SMTP reply, a poller restarted before it
 * moved the message) gets the same jobs back and no second fax is sent.
 *
 * @param numbers the recipients as the server takes them (numbers, or phonebook names)
 * @param cover the cover page that carries a text body beside attachments
 * @param bodyAs where the body goes beside attachments: the cover page's comment or a first page
 * @param keyScope names the door the mail came through, so that two doors never share keys
 * @param owner the account the jobs are for when the client is a gateway account submitting for an
 *     allow-listed sender (docs/protocol.md, submit's {@code owner}); null when the client is the sender's own
 */
public record MailSubmission(List<String> numbers, String cover, BodyPlacement bodyAs, String keyScope, String owner) {
    /** A submission under the client's own account. */
    public MailSubmission(List<String> numbers, String cover, BodyPlacement bodyAs, String keyScope) {
        this(numbers, cover, bodyAs, keyScope, null);
    }

    /** Submits {@code mail} through {@code client}; answers the job ids. */
    public List<Long> submit(FaxlanClient client, MailContent mail, Path workDir) throws MailRefusal, IOException {
        List<Path> documents = mail.documents(workDir, bodyAs);
        boolean comment = mail.bodyIsComment(bodyAs);
        try {
            List<String> hashes = new ArrayList<>();
            for (Path d : documents) hashes.add(client.upload(d, bytes -> {}));
            Map<String, Object> fields = comment ? new LinkedHashMap<>(Map.of("comment", mail.body())) : null;
            JobMessage.Submit submit = new JobMessage.Submit(List.copyOf(numbers), hashes, mail.subject(), comment ? cover : null,
                    null, null, null, fields, owner);
            Fields reply = client.call(Operations.op(submit), MessageCodec.encode(submit), idempotencyKey(mail));
            return MessageCodec.decode(JobMessage.Submitted.class, reply).jobs().stream().map(JobMessage.Job::id).toList();
        } catch (FaxlanException.Unreachable e) {
            throw new MailRefusal(451, "4.4.1 fax server unreachable, try again later");
        } catch (FaxlanException.AuthenticationFailed e) {
            // The gateway's own account is the administrator's to fix, not the sender's fault: the MTA keeps the mail meanwhile.
            if (owner != null) throw new MailRefusal(451, "4.3.5 the fax server does not accept the gateway's own account, try again later");
            throw new MailRefusal(535, "5.7.8 the fax server no longer accepts this account");
        } catch (FaxlanException.Refused e) {
            if (owner != null && e.code() == ErrorCode.PERMISSION_DENIED) {
                throw new MailRefusal(451, "4.3.5 the gateway's own account may not fax for other users (it needs role gateway), try again later");
            }
            if (e.code() == ErrorCode.IDEMPOTENCY_KEY_REUSED) {
                throw new MailRefusal(554, "5.7.0 a different message with this Message-ID and these recipients was already faxed");
            }
            throw new MailRefusal(554, "5.7.0 the fax server refused the fax: " + e.getMessage());
        } catch (FaxlanException e) {
            throw new MailRefusal(451, "4.3.0 the fax server could not take the fax now, try again later");
        } catch (CpiException e) {
            throw new MailRefusal(451, "4.3.0 unexpected answer from the fax server, try again later");
        }
    }

    /**
     * 16 bytes of SHA-256 over the door, the owner (when submitting for one), the Message-ID and the
     * recipients (the content when there is no Message-ID). The owner keeps two allow-listed senders'
     * mails with one Message-ID apart: the gateway account's keys serve all of them.
     */
    byte[] idempotencyKey(MailContent mail) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(("faxlan " + keyScope + "\n").getBytes(StandardCharsets.UTF_8));
            if (owner != null) md.update(("for " + owner + "\n").getBytes(StandardCharsets.UTF_8));
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
}
