package dev.faxlan.mail.imap;

import dev.faxlan.mail.smarthost.Smarthost;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replies of the poller, kept on disk so that each message is answered once: a reply is written
 * to {@code outbox/KEY.eml} before its message is moved, and becomes the marker {@code sent/KEY}
 * once the smarthost took it. A message seen again (the IMAP connection dropped before its move, the
 * poller restarted) finds its key and is moved without a second reply; a reply the smarthost did not
 * take stays in the outbox and goes out on a later wake-up. Markers are kept for 30 days, longer than
 * the fax server keeps its idempotency keys.
 */
final class ReplyOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyOutbox.class);
    static final Duration KEEP_SENT = Duration.ofDays(30);

    private final Path outbox;
    private final Path sent;

    ReplyOutbox(Path stateDir) throws IOException {
        this.outbox = Files.createDirectories(stateDir.resolve("outbox"));
        this.sent = Files.createDirectories(stateDir.resolve("sent"));
        pruneSent(Instant.now().minus(KEEP_SENT));
    }

    /** Whether a reply for {@code key} was made already (waiting or sent). */
    boolean has(String key) {
        return Files.exists(outbox.resolve(key + ".eml")) || Files.exists(sent.resolve(key));
    }

    /** Keeps {@code reply} for sending, durably (written, synced, renamed into place). */
    void put(String key, MimeMessage reply) throws IOException, MessagingException {
        Path tmp = outbox.resolve(key + ".tmp");
        reply.saveChanges();
        try (OutputStream out = Files.newOutputStream(tmp)) {
            reply.writeTo(out);
        }
        sync(tmp);
        moveAtomically(tmp, outbox.resolve(key + ".eml"));
        sync(outbox);
    }

    /** Number of replies waiting. */
    int waiting() throws IOException {
        return waitingFiles().size();
    }

    /**
     * Sends what waits, oldest first; stops at the first the smarthost does not take (it is probably
     * down: the rest wait with it). Answers how many went out.
     */
    int flush(Smarthost smarthost) throws IOException {
        int n = 0;
        for (Path f : waitingFiles()) {
            String key = f.getFileName().toString().replaceFirst("\\.eml$", "");
            try (InputStream in = Files.newInputStream(f)) {
                smarthost.send(new MimeMessage(Session.getInstance(new Properties()), in));
            } catch (MessagingException e) {
                LOG.warn("reply {} not sent, kept for the next try: {}", key, e.getMessage());
                return n;
            }
            Files.write(sent.resolve(key), new byte[0]);
            sync(sent);
            Files.delete(f);
            n++;
        }
        return n;
    }

    private List<Path> waitingFiles() throws IOException {
        try (Stream<Path> s = Files.list(outbox)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".eml")).sorted((a, b) -> modified(a).compareTo(modified(b))).toList();
        }
    }

    private void pruneSent(Instant before) throws IOException {
        try (Stream<Path> s = Files.list(sent)) {
            for (Path p : s.toList()) if (modified(p).toInstant().isBefore(before)) Files.deleteIfExists(p);
        }
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.from(Instant.EPOCH);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Flushes a file or directory to disk, so that a reply made survives a power cut. */
    private static void sync(Path p) {
        try (FileChannel c = FileChannel.open(p, Files.isDirectory(p) ? new StandardOpenOption[] {StandardOpenOption.READ}
                : new StandardOpenOption[] {StandardOpenOption.WRITE})) {
            c.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename is then as durable as they make it
        }
    }
}
