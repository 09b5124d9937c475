package dev.faxlan.sdk;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.sdk.transport.CpiConnection;
import dev.faxlan.sdk.transport.PinningTrustManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The CPI client: every faxlan program talks to the server through this class.
 *
 * <p>Each call retries with exponential backoff and jitter until the client's timeout (default 30 s):
 * after a lost packet, a broken connection or a server restart. Mutating calls carry one idempotency
 * key across all their retries, so the server executes them exactly once. Uploads resume at the
 * server's offset instead of starting over.
 *
 * <pre>{@code
 * try (FaxlanClient fax = FaxlanClient.builder().server("faxhost", 4644).user("alice").password(pw).build()) {
 *     List<Job> jobs = fax.submit(SubmitRequest.of("+15551234567", Path.of("letter.pdf")));
 * }
 * }</pre>
 */
public final class FaxlanClient implements AutoCloseable {
    static final long FIRST_BACKOFF_MS = 200;
    static final long MAX_BACKOFF_MS = 5_000;
    static final long FIRST_ATTEMPT_MS = 5_000;
    static final long MAX_ATTEMPT_MS = 20_000;
    /** Interval of the alert subscription's liveness ping; also keeps NAT and firewall state open. */
    public static final long KEEPALIVE_MS = 15_000;

    private final InetSocketAddress server;
    private final String user;
    private final char[] password;
    private final long timeoutMs;
    private final Consumer<byte[]> onNewIdentity;
    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile byte[] pin;
    private volatile byte[] session;
    private CpiConnection connection;
    private volatile AlertSubscription subscription;

    private FaxlanClient(Builder b) {
        this.server = b.server;
        this.user = b.user;
        this.password = b.password;
        this.timeoutMs = b.timeout.toMillis();
        this.pin = b.pin;
        this.onNewIdentity = b.onNewIdentity;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("faxlan-client", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private InetSocketAddress server;
        private String user;
        private char[] password;
        private Duration timeout = Duration.ofSeconds(30);
        private byte[] pin;
        private Consumer<byte[]> onNewIdentity = fp -> {};

        public Builder server(String host, int port) {
            this.server = new InetSocketAddress(host, port);
            return this;
        }

        public Builder server(InetSocketAddress address) {
            this.server = address;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(char[] password) {
            this.password = password == null ? null : password.clone();
            return this;
        }

        /** Total time a call may take, retries included, before it fails as unreachable. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The pinned server fingerprint; null trusts the first certificate seen and reports it. */
        public Builder pin(byte[] fingerprint) {
            this.pin = fingerprint == null ? null : fingerprint.clone();
            return this;
        }

        /** Told the fingerprint learnt on first use, so the caller can save it. */
        public Builder onNewIdentity(Consumer<byte[]> listener) {
            this.onNewIdentity = listener;
            return this;
        }

        public FaxlanClient build() {
            if (server == null) throw new IllegalArgumentException("no server address given");
            // A name that does not resolve will not resolve on a retry either: fail now, not after the timeout.
            if (server.isUnresolved()) throw new FaxlanException.Unreachable("cannot resolve " + server.getHostString(), null);
            return new FaxlanClient(this);
        }
    }

    public InetSocketAddress server() {
        return server;
    }

    /** The server's fingerprint: pinned, or learnt on the first connection. */
    public byte[] pin() {
        return pin;
    }

    // ---------------------------------------------------------------- operations

    public ServerInfo info() {
        Fields f = call(Op.INFO, Fields.EMPTY);
        return get(() -> new ServerInfo(f.string("name"), f.string("version"), (int) f.integer("protocol"), f.integer("time"), f.bytes("fp")));
    }

    /** Logs in now (calls log in on demand otherwise); returns the user's role. */
    public String login() {
        return get(() -> doLogin(deadline()).string("role"));
    }

    /** Uploads a file (resuming after failures) and returns its SHA-256 as the server knows it. */
    public String upload(Path file, LongConsumer progress) {
        long size;
        String sha;
        try {
            size = Files.size(file);
            sha = sha256(file);
        } catch (IOException e) {
            throw new FaxlanException("cannot read " + file + ": " + e.getMessage(), 1, e);
        }
        Fields begin = call(Op.UPLOAD_BEGIN, Fields.builder().put("size", size).put("sha256", sha).put("name", file.getFileName().toString()).build());
        String id = get(() -> begin.string("upload"));
        long offset = get(() -> begin.integer("offset"));
        if (get(() -> begin.bool("complete", false))) {
            progress.accept(size);
            return sha;
        }
        long deadline = deadline();
        long backoff = FIRST_BACKOFF_MS;
        Throwable last = null;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                if (System.currentTimeMillis() > deadline) {
                    throw new FaxlanException.Unreachable("upload of " + file + " made no progress for " + timeoutMs + " ms at offset " + offset
                            + (last != null ? " (" + last.getMessage() + ")" : ""), last);
                }
                try {
                    CpiConnection conn = connection(deadline);
                    ensureSession(deadline);
                    Message.Request header = new Message.Request(requestIds.incrementAndGet(), Op.UPLOAD_DATA, session, null,
                            Fields.builder().put("upload", id).put("offset", offset).build());
                    long start = offset;
                    AtomicLong sent = new AtomicLong(offset);
                    Message m = awaitProgress(conn.upload(header, ch, offset, size, p -> {
                        sent.set(p);
                        progress.accept(p);
                    }), sent, deadline);
                    if (m instanceof Message.Ok ok) {
                        if (get(() -> ok.body().bool("complete", false))) return sha;
                        offset = get(() -> ok.body().integer("offset"));
                    } else if (m instanceof Message.Error e) {
                        if (e.code() == ErrorCode.UPLOAD_OFFSET_MISMATCH) {
                            offset = get(() -> uploadStatus(id).integer("offset"));
                        } else if (e.code() == ErrorCode.SESSION_EXPIRED) {
                            session = null;
                        } else if (e.code() == ErrorCode.CONFLICT && get(() -> uploadStatus(id).bool("complete", false))) {
                            return sha;
                        } else if (!e.code().retryable()) {
                            throw new FaxlanException.Refused(e.code(), e.message());
                        }
                    }
                    if (offset > start) {
                        deadline = deadline();
                        backoff = FIRST_BACKOFF_MS;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FaxlanException("interrupted", 1, e);
                } catch (IOException | TimeoutException e) {
                    last = e;
                    dropConnection();
                    sleep(backoff, deadline);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                    try {
                        // One status call tells both where to resume and whether the server already has it all.
                        Fields status = uploadStatus(id);
                        if (get(() -> status.bool("complete", false))) return sha;
                        long before = offset;
                        offset = get(() -> status.integer("offset"));
                        if (offset > before) deadline = deadline();
                    } catch (FaxlanException.Unreachable u) {
                        last = u;
                    }
                }
            }
        } catch (IOException e) {
            throw new FaxlanException("cannot read " + file + ": " + e.getMessage(), 1, e);
        }
    }

    private Fields uploadStatus(String id) {
        return call(Op.UPLOAD_STATUS, Fields.builder().put("upload", id).build());
    }

    /** Uploads the documents and creates one job per recipient. */
    public List<Job> submit(SubmitRequest req) {
        return submit(req, (file, bytes) -> {});
    }

    /** Progress of an upload: the file and the bytes of it the server has been sent. */
    @FunctionalInterface
    public interface UploadProgress {
        void update(Path file, long bytes);
    }

    public List<Job> submit(SubmitRequest req, UploadProgress progress) {
        List<Object> hashes = new ArrayList<>();
        for (Path p : req.documents()) hashes.add(upload(p, bytes -> progress.update(p, bytes)));
        Fields.Builder body = Fields.builder()
                .put("to", new ArrayList<Object>(req.to()))
                .put("documents", hashes)
                .put("subject", req.subject())
                .put("cover", req.cover())
                .put("resolution", req.resolution());
        if (req.at() != null) body.put("at", req.at().toEpochMilli());
        if (req.priority() != SubmitRequest.DEFAULT_PRIORITY) body.put("priority", (long) req.priority());
        if (!req.fields().isEmpty()) body.put("fields", new java.util.LinkedHashMap<String, Object>(req.fields()));
        Fields f = call(Op.SUBMIT, body.build());
        return get(() -> {
            List<Job> jobs = new ArrayList<>();
            for (Fields j : f.maps("jobs")) jobs.add(Job.from(j));
            return jobs;
        });
    }

    public List<Job> jobs(boolean includeFinished) {
        Fields f = call(Op.JOB_LIST, Fields.builder().put("all", includeFinished).build());
        return get(() -> {
            List<Job> jobs = new ArrayList<>();
            for (Fields j : f.maps("jobs")) jobs.add(Job.from(j));
            return jobs;
        });
    }

    public Job job(long id) {
        Fields f = call(Op.JOB_GET, Fields.builder().put("job", id).build());
        return get(() -> Job.from(f.map("job")));
    }

    public Job cancel(long id) {
        Fields f = call(Op.JOB_CANCEL, Fields.builder().put("job", id).build());
        return get(() -> Job.from(f.map("job")));
    }

    public void addUser(String name, char[] newPassword, String role) {
        call(Op.USER_ADD, Fields.builder().put("user", name).put("password", new String(newPassword)).put("role", role).build());
    }

    public List<UserAccount> users() {
        Fields f = call(Op.USER_LIST, Fields.EMPTY);
        return list(f, "users", u -> new UserAccount(u.string("name"), u.string("role"), u.integer("created", 0)));
    }

    /** Changes someone else's password, as administrator. */
    public void passwd(String name, char[] newPassword) {
        passwd(name, null, newPassword);
    }

    /**
     * Changes a password: the caller's own (name null, or the caller's) needs {@code current}, the
     * password in force; an administrator changing someone else's gives null.
     */
    public void passwd(String name, char[] current, char[] newPassword) {
        call(Op.USER_PASSWD, Fields.builder().put("user", name).put("current", current == null ? null : new String(current))
                .put("password", new String(newPassword)).build());
    }

    public void removeUser(String name) {
        call(Op.USER_REMOVE, Fields.builder().put("user", name).build());
    }

    // ---- received faxes ----

    /** Received faxes in the mailboxes the user sees (or only in {@code mailbox}), newest first. */
    public List<InboxFax> inbox(String mailbox, boolean unreadOnly) {
        Fields f = call(Op.INBOX_LIST, Fields.builder().put("mailbox", mailbox).put("unread", unreadOnly ? Boolean.TRUE : null).build());
        return list(f, "faxes", InboxFax::from);
    }

    public InboxFax receivedFax(long id) {
        Fields f = call(Op.INBOX_GET, Fields.builder().put("fax", id).build());
        return get(() -> InboxFax.from(f.map("fax")));
    }

    public InboxFax markRead(long id, boolean read) {
        Fields f = call(Op.INBOX_MARK, Fields.builder().put("fax", id).put("read", read).build());
        return get(() -> InboxFax.from(f.map("fax")));
    }

    public void deleteFax(long id) {
        call(Op.INBOX_DELETE, Fields.builder().put("fax", id).build());
    }

    /**
     * Downloads a received fax's TIFF document to {@code out}, resuming after failures, and checks its
     * SHA-256. The bytes go to {@code out.part} first, so {@code out} appears only complete.
     */
    public InboxFax fetch(long id, Path out, LongConsumer progress) {
        InboxFax fax = receivedFax(id);
        Path part = out.resolveSibling(out.getFileName() + ".part");
        try {
            return download(id, fax, part, out, progress);
        } catch (RuntimeException e) {
            // A failed download leaves nothing behind: a .part file is never resumed across runs.
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // the failure reported is the download's
            }
            throw e;
        }
    }

    private InboxFax download(long id, InboxFax fax, Path part, Path out, LongConsumer progress) {
        long deadline = deadline();
        long backoff = FIRST_BACKOFF_MS;
        Throwable last = null;
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ)) {
            long offset = 0;
            while (true) {
                if (System.currentTimeMillis() > deadline) {
                    throw new FaxlanException.Unreachable("download of fax " + id + " made no progress for " + timeoutMs + " ms at byte " + offset
                            + (last != null ? " (" + last.getMessage() + ")" : ""), last);
                }
                AtomicLong got = new AtomicLong(offset);
                try {
                    CpiConnection conn = connection(deadline);
                    ensureSession(deadline);
                    Message.Request req = new Message.Request(requestIds.incrementAndGet(), Op.INBOX_FETCH, session, null,
                            Fields.builder().put("fax", id).put("offset", offset).build());
                    Message m = awaitProgress(conn.fetch(req, ch, p -> {
                        got.set(p);
                        progress.accept(p);
                    }), got, deadline);
                    if (m instanceof Message.Ok) break;
                    if (m instanceof Message.Error e) {
                        if (e.code() == ErrorCode.SESSION_EXPIRED) {
                            session = null;
                            continue;
                        }
                        if (!e.code().retryable()) throw new FaxlanException.Refused(e.code(), e.message());
                        last = e.toException();
                        sleep(backoff, deadline);
                        backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FaxlanException("interrupted", 1, e);
                } catch (IOException | TimeoutException e) {
                    last = e;
                    dropConnection();
                    sleep(backoff, deadline);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
                // Resume after the bytes that arrived; the deadline counts from the last progress.
                if (got.get() > offset) {
                    offset = got.get();
                    deadline = deadline();
                }
                ch.truncate(offset);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new FaxlanException("cannot write " + part + ": " + e.getMessage(), 1, e);
        }
        try {
            String sha = sha256(part);
            if (fax.sha256() != null && !sha.equals(fax.sha256())) {
                throw new FaxlanException("fax " + id + " arrived with SHA-256 " + sha + ", not the server's " + fax.sha256() + "; fetch it again", 1);
            }
            Files.move(part, out, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FaxlanException("cannot write " + out + ": " + e.getMessage(), 1, e);
        }
        return fax;
    }

    // ---- routes (administrators) ----

    public List<Route> routes() {
        Fields f = call(Op.ROUTE_LIST, Fields.EMPTY);
        return list(f, "routes", Route::from);
    }

    /** Adds a rule at {@code position} (1-based; 0 appends it). */
    public Route addRoute(Route.Match match, String mailbox, int position) {
        return addRoute(match, mailbox, position, null);
    }

    /** As {@link #addRoute(Route.Match, String, int)}, also sending each matching fax on to {@code forward} (a fax number) when not null. */
    public Route addRoute(Route.Match match, String mailbox, int position, String forward) {
        Fields.Builder b = match.into(Fields.builder()).put("mailbox", mailbox);
        if (forward != null) b.put("forward", forward);
        if (position > 0) b.put("position", position);
        Fields f = call(Op.ROUTE_ADD, b.build());
        return get(() -> Route.from(f.map("route")));
    }

    public void removeRoute(long id) {
        call(Op.ROUTE_REMOVE, Fields.builder().put("route", id).build());
    }

    /** A mailbox the user sees: {@code personal} (a user's) or {@code shared}, with who sees it (administrators always do). */
    public record MailboxInfo(String name, String kind, List<String> members) {}

    public List<MailboxInfo> mailboxes() {
        Fields f = call(Op.MAILBOX_LIST, Fields.EMPTY);
        return list(f, "mailboxes", m -> new MailboxInfo(m.string("name"), m.string("kind"), m.strings("members")));
    }

    /** Administrators: a shared mailbox, for routing rules to deliver to. */
    public void addMailbox(String name) {
        call(Op.MAILBOX_ADD, Fields.builder().put("mailbox", name).build());
    }

    /** Administrators: removes a shared mailbox no rule delivers to; its faxes move to Unaddressed. */
    public void removeMailbox(String name) {
        call(Op.MAILBOX_REMOVE, Fields.builder().put("mailbox", name).build());
    }

    /** Administrators: lets {@code user} see a shared mailbox ({@code member} true) or no longer. */
    public void setMailboxMember(String mailbox, String user, boolean member) {
        call(member ? Op.MAILBOX_MEMBER_ADD : Op.MAILBOX_MEMBER_REMOVE, Fields.builder().put("mailbox", mailbox).put("user", user).build());
    }

    /** A cover page template's name and kind: {@code built-in}, {@code shared} or {@code own}. */
    public record CoverInfo(String name, String kind) {}

    /** Cover pages this user can use: built-in, shared and their own. */
    public List<CoverInfo> covers() {
        Fields f = call(Op.COVER_LIST, Fields.EMPTY);
        return list(f, "covers", m -> new CoverInfo(m.string("name"), m.string("kind")));
    }

    /** The template text of cover page {@code name} (docs/cover-pages.md). */
    public String coverSource(String name) {
        Fields f = call(Op.COVER_GET, Fields.builder().put("name", name).build());
        return get(() -> f.string("source"));
    }

    /** Stores a cover page template under {@code name} (replacing one of that name); shared ones as administrator. */
    public void putCover(String name, String source, boolean shared) {
        call(Op.COVER_PUT, Fields.builder().put("name", name).put("source", source).put("shared", shared).build());
    }

    /** Decodes one map of a list the server returned. */
    @FunctionalInterface
    private interface Decoder<T> {
        T from(Fields f) throws CpiException;
    }

    /** The maps under {@code name} in a response, each decoded. */
    private static <T> List<T> list(Fields f, String name, Decoder<T> decoder) {
        return get(() -> {
            List<T> out = new ArrayList<>();
            for (Fields m : f.maps(name)) out.add(decoder.from(m));
            return out;
        });
    }

    /** The user's phonebook entries and the shared ones, by name. */
    public List<Contact> contacts() {
        Fields f = call(Op.PHONEBOOK_LIST, Fields.EMPTY);
        return list(f, "contacts", Contact::from);
    }

    /** Adds a phonebook entry; {@code shared} ones (everyone sees them) only as administrator. */
    public Contact addContact(String name, String company, String fax, boolean shared) {
        Fields.Builder b = Fields.builder().put("name", name).put("fax", fax).put("shared", shared);
        if (company != null) b.put("company", company);
        Fields f = call(Op.PHONEBOOK_ADD, b.build());
        return get(() -> Contact.from(f.map("contact")));
    }

    public void removeContact(long id) {
        call(Op.PHONEBOOK_REMOVE, Fields.builder().put("contact", id).build());
    }

    /** Which rule a call with these values would hit, and the mailbox it would land in. */
    public Route.Hit testRoute(Route.Match call) {
        Fields f = call(Op.ROUTE_TEST, call.into(Fields.builder()).build());
        return get(() -> new Route.Hit(f.string("mailbox"), f.has("route") ? Route.from(f.map("route")) : null));
    }

    /**
     * Starts receiving alerts in a background thread: each event of the user's log exactly in sequence
     * order, acknowledged after {@code listener} returns. Reconnects on its own and resumes after the
     * last delivered event; with {@code from} null the server resumes at the subscriber's stored cursor.
     */
    public AlertSubscription subscribe(String subscriber, Long from, Consumer<Alert> listener) {
        AlertSubscription s = new AlertSubscription(this, subscriber, from, listener);
        subscription = s;
        s.start();
        return s;
    }

    // ---------------------------------------------------------------- the retry loop

    /** Executes one operation with retries until the deadline; returns the response body. */
    public Fields call(Op op, Fields body) {
        byte[] key = null;
        if (op.mutating()) {
            key = new byte[CpiCodec.IDEMPOTENCY_KEY_BYTES];
            random.nextBytes(key);
        }
        return callWithKey(op, body, key, deadline());
    }

    /**
     * Executes one mutating operation under an idempotency key the caller keeps, for clients that must
     * survive their own restart (a gateway that persisted the key): the same key and body repeat the
     * first result; the same key with another body is {@code IDEMPOTENCY_KEY_REUSED}.
     */
    public Fields call(Op op, Fields body, byte[] idempotencyKey) {
        if (!op.mutating()) throw new IllegalArgumentException(op.wire() + " takes no idempotency key");
        if (idempotencyKey == null || idempotencyKey.length != CpiCodec.IDEMPOTENCY_KEY_BYTES) {
            throw new IllegalArgumentException("an idempotency key is " + CpiCodec.IDEMPOTENCY_KEY_BYTES + " bytes");
        }
        return callWithKey(op, body, idempotencyKey.clone(), deadline());
    }

    Fields callWithKey(Op op, Fields body, byte[] key, long deadline) {
        long backoff = FIRST_BACKOFF_MS;
        long attemptMs = FIRST_ATTEMPT_MS;
        Throwable last = null;
        while (true) {
            long now = System.currentTimeMillis();
            if (now >= deadline) {
                throw new FaxlanException.Unreachable("no answer from " + describe() + " after " + timeoutMs + " ms"
                        + (last != null ? " (last: " + last.getMessage() + ")" : ""), last);
            }
            try {
                CpiConnection conn = connection(deadline);
                if (op.needsSession()) ensureSession(deadline);
                Message.Request req = new Message.Request(requestIds.incrementAndGet(), op, op.needsSession() ? session : null, key, body);
                Message m = conn.request(req).get(Math.min(attemptMs, Math.max(1, deadline - System.currentTimeMillis())), TimeUnit.MILLISECONDS);
                if (m instanceof Message.Ok ok) return ok.body();
                if (m instanceof Message.Error e) {
                    if (e.code() == ErrorCode.SESSION_EXPIRED && op.needsSession()) {
                        session = null;
                        continue;
                    }
                    // A throttled login would only be throttled longer by retrying: the caller is told at once how long to wait.
                    if (e.code() == ErrorCode.AUTH_FAILED || e.code() == ErrorCode.AUTH_THROTTLED) {
                        throw new FaxlanException.AuthenticationFailed(e.message());
                    }
                    if (!e.code().retryable()) throw new FaxlanException.Refused(e.code(), e.message());
                    last = e.toException();
                } else {
                    last = new IOException("unexpected " + m.getClass().getSimpleName() + " in answer to " + op.wire());
                }
            } catch (TimeoutException e) {
                last = new IOException("no response within " + attemptMs + " ms");
                attemptMs = Math.min(MAX_ATTEMPT_MS, attemptMs * 2);
                dropConnection();
            } catch (ExecutionException e) {
                last = e.getCause();
                dropConnection();
            } catch (IOException e) {
                last = e;
                dropConnection();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FaxlanException("interrupted", 1, e);
            }
            sleep(backoff, deadline);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    private void ensureSession(long deadline) throws IOException {
        if (session != null) return;
        synchronized (this) {
            if (session == null) doLogin(deadline);
        }
    }

    private Fields doLogin(long deadline) {
        if (user == null || password == null) {
            throw new FaxlanException.AuthenticationFailed("no user or password given (use --user and --password-file, or FAXLAN_USER and FAXLAN_PASSWORD)");
        }
        Fields f = callWithKey(Op.LOGIN, Fields.builder().put("user", user).put("password", new String(password)).build(), null, deadline);
        session = get(() -> f.bytes("session"));
        return f;
    }

    synchronized CpiConnection connection(long deadline) throws IOException, InterruptedException {
        if (connection != null && connection.isActive()) return connection;
        long budget = Math.max(1, Math.min(FIRST_ATTEMPT_MS, deadline - System.currentTimeMillis()));
        PinningTrustManager trust = new PinningTrustManager(pin);
        try {
            connection = CpiConnection.connect(group, epoll, server, trust, this::routeEvent, budget);
        } catch (CpiConnection.IdentityException e) {
            throw new FaxlanException.IdentityMismatch("the server at " + describe() + " presented identity " + Fingerprint.format(trust.seen())
                    + ", not the pinned " + Fingerprint.format(pin) + ". If the server was reinstalled on purpose, remove it with"
                    + " 'faxlan servers --remove' and add it again; otherwise someone may be impersonating it.");
        }
        if (pin == null && trust.seen() != null) {
            pin = trust.seen();
            onNewIdentity.accept(pin.clone());
        }
        return connection;
    }

    synchronized void dropConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private void routeEvent(CpiConnection.PushedEvent e) {
        AlertSubscription s = subscription;
        if (s != null) s.onEvent(e);
    }

    long deadline() {
        return System.currentTimeMillis() + timeoutMs;
    }

    static void sleep(long backoff, long deadline) {
        long jittered = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
        long wait = Math.min(jittered, deadline - System.currentTimeMillis());
        if (wait <= 0) return;
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaxlanException("interrupted", 1, e);
        }
    }

    private String describe() {
        return server.getHostString() + ":" + server.getPort();
    }

    @FunctionalInterface
    interface FieldRead<T> {
        T read() throws CpiException;
    }

    /** Reads response fields; a malformed response is the server's fault, reported as such. */
    static <T> T get(FieldRead<T> read) {
        try {
            return read.read();
        } catch (CpiException e) {
            throw new FaxlanException("the server sent a malformed response: " + e.getMessage(), 1, e);
        }
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private Message awaitProgress(java.util.concurrent.CompletableFuture<Message> f, AtomicLong sent, long deadline)
            throws IOException, TimeoutException, InterruptedException {
        // An upload may take long; it fails only when no byte moved for the whole timeout.
        long lastSent = sent.get();
        long lastMove = System.currentTimeMillis();
        while (true) {
            try {
                return f.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long s = sent.get();
                long now = System.currentTimeMillis();
                if (s != lastSent) {
                    lastSent = s;
                    lastMove = now;
                } else if (now - lastMove > Math.min(timeoutMs, MAX_ATTEMPT_MS)) {
                    throw new TimeoutException("upload stalled at byte " + s);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }

    @Override
    public void close() {
        AlertSubscription s = subscription;
        if (s != null) s.close();
        if (session != null) {
            try {
                CpiConnection c;
                synchronized (this) {
                    c = connection;
                }
                if (c != null && c.isActive()) {
                    c.request(new Message.Request(requestIds.incrementAndGet(), Op.LOGOUT, session, null, Fields.EMPTY)).get(1, TimeUnit.SECONDS);
                }
            } catch (Exception ignored) {
                // best effort: the session expires on its own
            }
        }
        dropConnection();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

}
