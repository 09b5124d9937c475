package dev.faxlan.mail.imap;

import dev.faxlan.documents.WorkDirectories;
import dev.faxlan.mail.fax.BodyPlacement;
import dev.faxlan.mail.fax.MailContent;
import dev.faxlan.mail.fax.MailRefusal;
import dev.faxlan.mail.fax.MailSubmission;
import dev.faxlan.mail.smarthost.Smarthost;
import dev.faxlan.sdk.FaxlanClient;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code faxlan mail-poller}: reads a mailbox over IMAP, makes each message there one submit (one job
 * per recipient {@code NUMBER@fax.domain}) under one faxlan account, moves it to {@code faxlan/done}
 * or {@code faxlan/failed} and replies to its sender with the outcome. Waits in IDLE where the server
 * offers it, else reads the folder every {@code poll.seconds}.
 *
 * <p>Exactly once: the submit's idempotency key (Message-ID and recipients) gives a message seen again
 * (connection lost before its move) the same jobs, and the {@link ReplyOutbox} knows it was answered.
 * A message the fax server cannot take now (4xx) stays in the folder for the next wake-up.
 */
public final class MailPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailPoller.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final MailPollerConfig config;
    private final InetSocketAddress server;
    private final AtomicReference<byte[]> pin;
    private final PollerEvents events;
    private final Smarthost smarthost;
    private final ReplyOutbox outbox;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mail-poller-wake");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<ImapMailbox> current = new AtomicReference<>();
    private final Thread thread;

    private MailPoller(MailPollerConfig config, InetSocketAddress server, byte[] pin, PollerEvents events) throws IOException {
        this.config = config;
        this.server = server;
        this.pin = new AtomicReference<>(pin);
        this.events = events;
        this.smarthost = new Smarthost(config.smarthost());
        this.outbox = new ReplyOutbox(config.stateDir());
        this.thread = new Thread(this::run, "mail-poller");
    }

    /** Starts polling in a thread of its own; {@code pin} null trusts the first server identity seen. */
    public static MailPoller start(MailPollerConfig config, InetSocketAddress server, byte[] pin, PollerEvents events) throws IOException {
        MailPoller p = new MailPoller(config, server, pin, events);
        p.thread.start();
        return p;
    }

    private void run() {
        Duration backoff = Duration.ofSeconds(1);
        while (stopping.getCount() > 0) {
            try (ImapMailbox box = ImapMailbox.open(config.imap(), readTimeoutMillis())) {
                current.set(box);
                boolean idle = box.offersIdle();
                LOG.info("reading {} ({})", config.imap(), idle ? "IDLE" : "every " + config.pollInterval().toSeconds() + " s");
                events.connected(idle);
                backoff = Duration.ofSeconds(1);
                while (stopping.getCount() > 0) {
                    // Again until a pass finds nothing: mail that came during a pass was announced then, not to the next IDLE.
                    while (processAll(box) && stopping.getCount() > 0) {
                        // next pass
                    }
                    sendReplies();
                    if (stopping.getCount() == 0) break;
                    if (idle) {
                        // IDLE ends on the server's news; the timer ends it after poll.seconds to retry deferred mail.
                        ScheduledFuture<?> wake = timer.schedule(box::wake, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                        try {
                            box.idle();
                        } finally {
                            wake.cancel(false);
                        }
                    } else {
                        stopping.await(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            } catch (MessagingException | IOException | RuntimeException e) {
                if (stopping.getCount() == 0) break;
                LOG.warn("mailbox {}: {}; trying again in {} s", config.imap(), MailContent.oneLine(e), backoff.toSeconds());
                events.disconnected(MailContent.oneLine(e), backoff);
                try {
                    if (stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) break;
                } catch (InterruptedException ie) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                break;
            } finally {
                current.set(null);
            }
        }
    }

    /** The read timeout outlasts one IDLE wait, which the timer ends after poll.seconds. */
    private int readTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, config.pollInterval().plusSeconds(60).toMillis());
    }

    /**
     * Handles every message in the folder; stops early when the fax server cannot take mail now.
     * True when it moved every message it saw and at least one, so another pass may find more.
     */
    private boolean processAll(ImapMailbox box) throws MessagingException, IOException {
        boolean moved = false;
        for (Message m : box.messages()) {
            if (stopping.getCount() == 0) return false;
            if (m.isExpunged() || m.isSet(Flags.Flag.DELETED)) continue;
            if (!handle(box, m)) return false;
            moved = true;
        }
        return moved;
    }

    /**
     * One message: fetched into a file, read and submitted there, its reply kept, then moved. False when
     * it was deferred (4xx). Only the IMAP steps (fetch, move) throw {@link MessagingException}: a
     * message that cannot be read is refused, never mistaken for a lost connection and tried forever.
     */
    private boolean handle(ImapMailbox box, Message m) throws MessagingException, IOException {
        Path dir = Files.createTempDirectory("faxlan-poller");
        try {
            Path raw = dir.resolve("message.eml");
            boolean tooLarge = m.getSize() > config.maxMessageBytes();
            try (OutputStream out = Files.newOutputStream(raw)) {
                if (tooLarge) {
                    // The headers alone, for the reply: the body is never fetched.
                    for (var lines = ((MimeMessage) m).getAllHeaderLines(); lines.hasMoreElements(); ) {
                        out.write((lines.nextElement() + "\r\n").getBytes(StandardCharsets.UTF_8));
                    }
                    out.write("\r\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    m.writeTo(out);
                }
            }
            Outcome o = outcome(raw, dir, tooLarge);
            if (o == null) return false;
            if (o.reply() != null && !outbox.has(o.key())) {
                outbox.put(o.key(), o.reply());
                events.answered(o.messageId(), o.text());
            }
            events.moved(o.messageId(), box.move(m, o.folder()));
            return true;
        } finally {
            if (!WorkDirectories.delete(dir).isEmpty()) LOG.warn("cannot remove all of {}", dir);
        }
    }

    /** Where a message goes and what its sender is told (reply null: no reply); null when it waits for later. */
    private record Outcome(String messageId, String key, String folder, String text, MimeMessage reply) {}

    private Outcome outcome(Path raw, Path dir, boolean tooLarge) throws IOException {
        MimeMessage mail;
        String messageId = null;
        InternetAddress sender = null;
        String key;
        try (InputStream in = new SharedFileInputStream(raw.toFile())) {
            mail = new MimeMessage(Session.getInstance(new Properties()), in);
            messageId = mail.getMessageID();
            sender = sender(mail);
            key = replyKey(messageId, sender, raw);
        } catch (MessagingException e) {
            LOG.warn("a message that cannot be read moved to failed: {}", MailContent.oneLine(e));
            return new Outcome(messageId, replyKey(null, null, raw), ImapMailbox.FAILED, null, null);
        }
        if (sender == null || !config.senderAllowed(sender.getAddress())) {
            // No reply: the sender address of unsolicited mail is often forged, a reply would be backscatter.
            LOG.warn("message {} from {}: sender not served, moved to failed without a reply", messageId, sender);
            return new Outcome(messageId, key, ImapMailbox.FAILED, null, null);
        }
        String text;
        String folder;
        try {
            if (tooLarge) throw new MailRefusal(552, "5.3.4 the message is larger than the limit of " + config.maxMessageBytes() + " bytes");
            List<String> numbers = numbers(mail);
            MailContent content;
            try (InputStream in = new SharedFileInputStream(raw.toFile())) {
                content = MailContent.read(in, dir);
            }
            List<Long> jobs;
            try (FaxlanClient c = client()) {
                jobs = new MailSubmission(numbers, config.cover(), BodyPlacement.COVER, "mail-poller").submit(c, content, dir);
            }
            LOG.info("message {} from {}: fax jobs {}", messageId, sender, jobs);
            events.submitted(messageId, jobs);
            text = "faxed: jobs " + jobs.stream().map(String::valueOf).collect(Collectors.joining(" ")) + " to " + String.join(", ", numbers);
            folder = ImapMailbox.DONE;
        } catch (MailRefusal r) {
            if (r.temporary()) {
                LOG.warn("message {} from {} left for later: {}", messageId, sender, r.text());
                events.deferred(messageId, r.getMessage());
                return null;
            }
            LOG.info("message {} from {} not faxed: {}", messageId, sender, r.getMessage());
            text = "not faxed: " + r.getMessage();
            folder = ImapMailbox.FAILED;
        }
        try {
            return new Outcome(messageId, key, folder, text, answerable(mail, sender) ? reply(mail, sender, text) : null);
        } catch (MessagingException e) {
            LOG.warn("message {} from {}: no reply, its headers cannot be read: {}", messageId, sender, MailContent.oneLine(e));
            return new Outcome(messageId, key, folder, text, null);
        }
    }

    private void sendReplies() throws IOException {
        int sent = outbox.flush(smarthost);
        if (sent > 0) LOG.info("replies sent: {}", sent);
    }

    /** The recipients in the fax domain, To then Cc, each once; refused when one there is not a number. */
    private List<String> numbers(MimeMessage mail) throws MailRefusal {
        Set<String> numbers = new LinkedHashSet<>();
        for (Message.RecipientType type : List.of(Message.RecipientType.TO, Message.RecipientType.CC)) {
            Address[] all;
            try {
                all = mail.getRecipients(type);
            } catch (MessagingException e) {
                throw new MailRefusal(554, "5.6.0 the " + type + " header cannot be read: " + MailContent.oneLine(e));
            }
            if (all == null) continue;
            for (Address a : all) {
                if (!(a instanceof InternetAddress ia)) continue;
                String number = config.addresses().numberOf(ia.getAddress());
                if (number != null) numbers.add(number);
                else if (config.addresses().isFaxDomain(ia.getAddress())) {
                    throw new MailRefusal(550, "5.1.1 <" + ia.getAddress() + ">: the local part is not a fax number");
                }
            }
        }
        if (numbers.isEmpty()) throw new MailRefusal(550, "5.1.3 no recipient NUMBER@" + config.addresses().faxDomain() + " in To or Cc");
        return List.copyOf(numbers);
    }

    private static InternetAddress sender(MimeMessage mail) {
        try {
            Address[] from = mail.getFrom();
            return from != null && from.length > 0 && from[0] instanceof InternetAddress ia && ia.getAddress() != null ? ia : null;
        } catch (MessagingException e) {
            return null;
        }
    }

    /** No reply to automatic mail (RFC 3834) nor to our own address: two robots must not answer each other forever. */
    private boolean answerable(MimeMessage mail, InternetAddress sender) throws MessagingException {
        if (sender == null) return false;
        String auto = mail.getHeader("Auto-Submitted", null);
        if (auto != null && !auto.strip().equalsIgnoreCase("no")) return false;
        return !sender.getAddress().equalsIgnoreCase(config.smarthost().from().getAddress());
    }

    private MimeMessage reply(MimeMessage mail, InternetAddress sender, String outcome) throws MessagingException {
        MimeMessage r = smarthost.newMessage();
        Address[] replyTo = mail.getHeader("Reply-To") != null ? mail.getReplyTo() : new Address[] {sender};
        r.setRecipients(Message.RecipientType.TO, replyTo);
        String subject = mail.getSubject();
        r.setSubject(subject == null ? "Re: your fax" : subject.regionMatches(true, 0, "Re:", 0, 3) ? subject : "Re: " + subject, "UTF-8");
        if (mail.getMessageID() != null) {
            r.setHeader("In-Reply-To", mail.getMessageID());
            r.setHeader("References", mail.getMessageID());
        }
        r.setHeader("Auto-Submitted", "auto-replied");
        r.setText(outcome + "\n", "UTF-8");
        return r;
    }

    /** Names a message's reply: its Message-ID and sender, or its whole text when it has no Message-ID. */
    private static String replyKey(String messageId, InternetAddress sender, Path raw) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("faxlan mail-poller reply\n".getBytes(StandardCharsets.UTF_8));
            if (messageId != null) {
                md.update(messageId.getBytes(StandardCharsets.UTF_8));
                md.update(("\n" + (sender == null ? "" : sender.getAddress().toLowerCase(Locale.ROOT))).getBytes(StandardCharsets.UTF_8));
            } else {
                md.update(Files.readAllBytes(raw));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private FaxlanClient client() {
        return FaxlanClient.builder().server(server).user(config.serverUser()).password(config.serverPassword()).timeout(config.serverTimeout())
                .pin(pin.get()).onNewIdentity(fp -> pin.compareAndSet(null, fp)).build();
    }

    /** Replies waiting for the smarthost. */
    public int repliesWaiting() throws IOException {
        return outbox.waiting();
    }

    @Override
    public void close() {
        stopping.countDown();
        ImapMailbox box = current.get();
        if (box != null) box.wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
    }
}
