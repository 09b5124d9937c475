package dev.faxlan.mail.out;

import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.mail.smarthost.Smarthost;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mails transmission reports and received faxes. A CPI client logged in as an administrator: each
 * poll reads every job ({@code job.list all}) and every received fax ({@code inbox.list}), mails
 * those that ended or arrived since, and records each message in the {@link MailOutState} once the
 * smarthost took it. A message the smarthost did not take has no record and goes at the next poll.
 */
public final class MailOut implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailOut.class);
    /** The address part of a state line when nobody was mailed (reports off, no address, no members). */
    static final String NOBODY = "-";
    /** The address part of the lines of a first start: everything before it counts as mailed. */
    static final String BEFORE_START = "*";
    /** The width of the picture of page 1 in a report, in pixels: readable as a preview, a few kilobytes. */
    static final int THUMBNAIL_WIDTH = 300;
    /** The event type the server appends for a received fax (docs/protocol.md §5). */
    static final String FAX_RECEIVED = "fax.received";

    private final MailOutConfig config;
    private final FaxlanClient client;
    private final Smarthost smarthost;
    private final MailOutState state;
    private final Path work;
    private final Object wake = new Object();
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private volatile boolean closed;
    private boolean woken;

    /** What one poll did, for logs and tests. */
    public record Round(int sent, int failed) {}

    MailOut(MailOutConfig config, FaxlanClient client, Smarthost smarthost, MailOutState state, Path work) {
        this.config = config;
        this.client = client;
        this.smarthost = smarthost;
        this.state = state;
        this.work = work;
    }

    /** Opens the state and starts polling in a background thread; the first poll runs at once. */
    public static MailOut start(MailOutConfig config, InetSocketAddress server, byte[] pin) throws IOException {
        MailOut m = create(config, server, pin);
        m.startPolling();
        return m;
    }

    /**
     * Starts the background thread that polls every {@code poll.seconds}, the first time at once.
     * Every administrator's event log gets each {@code fax.received}, so the service subscribes to
     * its own and polls at once when a fax arrives; jobs' events go to their owners only, so ended
     * jobs wait for the next poll. The poll alone decides what is mailed: a lost event costs time only.
     */
    public void startPolling() {
        Thread t = new Thread(this::run, "faxlan-mail-out");
        t.setDaemon(true);
        if (!thread.compareAndSet(null, t)) throw new IllegalStateException("mail-out polls already");
        t.start();
        client.subscribe(subscriberName(), null, alert -> {
            if (FAX_RECEIVED.equals(alert.type())) wake();
        });
    }

    /** One subscriber name per state file: two services with their own state do not take each other's subscription. */
    private String subscriberName() {
        byte[] path = config.stateFile().toAbsolutePath().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(path);
            return "mail-out-" + java.util.HexFormat.of().formatHex(h, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A service that polls only when {@link #poll} is called (tests drive it this way). */
    public static MailOut create(MailOutConfig config, InetSocketAddress server, byte[] pin) throws IOException {
        AtomicReference<byte[]> pinned = new AtomicReference<>(pin);
        FaxlanClient client = FaxlanClient.builder().server(server).user(config.user()).password(config.password()).timeout(config.serverTimeout())
                .pin(pin).onNewIdentity(fp -> pinned.compareAndSet(null, fp)).build();
        Path work = Files.createTempDirectory("faxlan-mail-out");
        return new MailOut(config, client, new Smarthost(config.smarthost()), MailOutState.open(config.stateFile()), work);
    }

    /**
     * Logs in now and checks the account is an administrator, so a wrong password or role is said
     * at start rather than in every poll's log line; an unreachable server throws too.
     */
    public void checkLogin() {
        String role = client.login();
        if (!"admin".equals(role)) {
            throw new FaxlanException(config.user() + " is not an administrator: mail-out must see every user's jobs and mailboxes", 2);
        }
    }

    /** Asks for a poll now rather than at the end of the interval. */
    public void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    private void run() {
        while (!closed) {
            try {
                Round r = poll();
                if (r.sent() > 0 || r.failed() > 0) log.info("mail-out: {} message(s) sent, {} to try again", r.sent(), r.failed());
            } catch (FaxlanException e) {
                log.warn("mail-out: the call to the fax server failed ({}); trying again in {} s", e.getMessage(), config.poll().toSeconds());
            } catch (IOException | RuntimeException e) {
                log.warn("mail-out: the poll failed ({}); trying again in {} s", e, config.poll().toSeconds());
            }
            synchronized (wake) {
                long until = System.nanoTime() + config.poll().toNanos();
                while (!woken && !closed) {
                    long left = until - System.nanoTime();
                    if (left <= 0) break;
                    try {
                        wake.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /**
     * One round: the jobs that ended and the faxes that arrived since the last are mailed. The first
     * round after a start without a state file mails nothing: it records what exists as mailed, so a
     * new service does not send reports for a server's whole history.
     */
    public synchronized Round poll() throws IOException {
        List<Job> jobs = client.jobs(true).stream().filter(Job::finished).sorted(Comparator.comparingLong(Job::id)).toList();
        List<InboxFax> faxes = client.inbox(null, false).stream().sorted(Comparator.comparingLong(InboxFax::id)).toList();
        if (state.fresh() && state.size() == 0) {
            List<String> before = new ArrayList<>();
            for (Job j : jobs) before.add(MailOutState.key("job", j.id(), BEFORE_START));
            for (InboxFax f : faxes) before.add(MailOutState.key("fax", f.id(), BEFORE_START));
            before.add(MailOutState.key("start", 0, BEFORE_START)); // an empty server's first round is recorded too
            state.addAll(before);
            log.info("mail-out: first start: {} finished job(s) and {} received fax(es) count as mailed already", jobs.size(), faxes.size());
            return new Round(0, 0);
        }
        Set<String> listed = new HashSet<>();
        listed.add("start 0");
        jobs.forEach(j -> listed.add("job " + j.id()));
        faxes.forEach(f -> listed.add("fax " + f.id()));
        state.retain(k -> listed.contains(k.substring(0, k.lastIndexOf(' '))));
        int[] counts = new int[2];
        try {
            for (Job j : jobs) report(j, counts);
            Map<String, List<String>> members = null;
            for (InboxFax f : faxes) {
                if (handled("fax", f.id())) continue;
                if (members == null) members = members();
                received(f, members.getOrDefault(f.mailbox(), List.of()), counts);
            }
        } catch (SmarthostDown e) {
            counts[1]++;
            log.warn("mail-out: the smarthost {} did not take a message ({}); it and the rest are tried again at the next poll",
                    config.smarthost().host() + ":" + config.smarthost().port(), e.getMessage());
        }
        return new Round(counts[0], counts[1]);
    }

    private void report(Job job, int[] counts) throws IOException, SmarthostDown {
        if (handled("job", job.id())) return;
        InternetAddress to = config.addresses().get(job.owner());
        if (!config.reportsFor(job.owner()) || to == null) {
            if (to == null && config.reportsFor(job.owner())) log.info("mail-out: no report for job {}: user {} has no address (address.{})", job.id(), job.owner(), job.owner());
            state.add(MailOutState.key("job", job.id(), NOBODY));
            return;
        }
        String key = MailOutState.key("job", job.id(), to.getAddress());
        if (state.done(key)) return;
        byte[] thumbnail = thumbnail(job);
        if (send(() -> MailOutMessages.report(smarthost, job, to, thumbnail), "report of job " + job.id(), key)) counts[0]++;
        else counts[1]++;
    }

    private void received(InboxFax fax, List<String> members, int[] counts) throws IOException, SmarthostDown {
        MailOutConfig.Received mode = config.receivedFor(fax.mailbox());
        List<InternetAddress> to = new ArrayList<>();
        for (String m : members) if (config.addresses().containsKey(m)) to.add(config.addresses().get(m));
        if (mode == MailOutConfig.Received.OFF || to.isEmpty()) {
            if (mode != MailOutConfig.Received.OFF) log.info("mail-out: fax {} in mailbox {}: no member has an address", fax.id(), fax.mailbox());
            state.add(MailOutState.key("fax", fax.id(), NOBODY));
            return;
        }
        byte[] pdf = null;
        if (mode == MailOutConfig.Received.PDF && fax.sha256() != null && fax.pages() > 0) pdf = pdf(fax);
        for (InternetAddress a : to) {
            String key = MailOutState.key("fax", fax.id(), a.getAddress());
            if (state.done(key)) continue;
            byte[] doc = pdf;
            if (send(() -> MailOutMessages.received(smarthost, fax, a, doc), "fax " + fax.id(), key)) counts[0]++;
            else counts[1]++;
        }
    }

    /**
     * Page 1 of the job as the server draws it ({@code job.thumbnail}); null when the server cannot
     * draw it (a document that no longer converts, a server without the operation): the report goes
     * without. An unreachable server fails the round instead, so the report waits for its picture.
     */
    private byte[] thumbnail(Job job) {
        try {
            return client.thumbnail(job.id(), THUMBNAIL_WIDTH).png();
        } catch (FaxlanException.Refused e) {
            log.info("mail-out: the report of job {} goes without a picture of page 1: {}", job.id(), e.getMessage());
            return null;
        }
    }

    /** The fax fetched from the server and made a PDF, in memory: it goes into a message at once. */
    private byte[] pdf(InboxFax fax) throws IOException {
        Path tiff = work.resolve("fax-" + fax.id() + ".tif");
        try {
            client.fetch(fax.id(), tiff, n -> {});
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FaxViewer.toPdf(tiff, out);
            return out.toByteArray();
        } finally {
            Files.deleteIfExists(tiff);
        }
    }

    /** Makes one message to send. */
    private interface Message {
        MimeMessage make() throws MessagingException;
    }

    /** Sends one message; false when the smarthost refused this one message (tried again next poll). */
    private boolean send(Message message, String what, String key) throws IOException, SmarthostDown {
        MimeMessage m;
        try {
            m = message.make();
        } catch (MessagingException e) {
            throw new IOException("the " + what + " cannot be made into a mail: " + e.getMessage(), e);
        }
        try {
            smarthost.send(m);
        } catch (SendFailedException e) {
            log.warn("mail-out: the smarthost refused the {} to {}: {}; tried again at the next poll", what, key.substring(key.lastIndexOf(' ') + 1),
                    e.getMessage());
            return false;
        } catch (MessagingException e) {
            throw new SmarthostDown(e);
        }
        state.add(key);
        log.info("mail-out: {} mailed to {}", what, key.substring(key.lastIndexOf(' ') + 1));
        return true;
    }

    private boolean handled(String kind, long id) {
        return state.done(MailOutState.key(kind, id, BEFORE_START)) || state.done(MailOutState.key(kind, id, NOBODY));
    }

    /** Each mailbox's members (a personal mailbox's is its owner), as the server lists them. */
    private Map<String, List<String>> members() {
        Map<String, List<String>> out = new HashMap<>();
        for (FaxlanClient.MailboxInfo m : client.mailboxes()) out.put(m.name(), m.members());
        return out;
    }

    /** The smarthost could not be reached or failed as a whole: the round stops, the rest waits for the next. */
    private static final class SmarthostDown extends Exception {
        SmarthostDown(MessagingException cause) {
            super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        }
    }

    @Override
    public void close() {
        closed = true;
        wake();
        Thread t = thread.get();
        if (t != null) {
            try {
                t.join(config.serverTimeout().toMillis() + config.smarthost().timeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        try {
            Files.deleteIfExists(work);
        } catch (IOException e) {
            log.debug("mail-out: {} not removed: {}", work, e.toString());
        }
    }
}
