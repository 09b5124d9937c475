package dev.faxlan.sdk;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.ApiKeyMessage;
import dev.faxlan.protocol.message.CoverMessage;
import dev.faxlan.protocol.message.CpiRequest;
import dev.faxlan.protocol.message.InboxMessage;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.LineMessage;
import dev.faxlan.protocol.message.MailboxMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.protocol.message.PhonebookMessage;
import dev.faxlan.protocol.message.RouteMessage;
import dev.faxlan.protocol.message.SessionMessage;
import dev.faxlan.protocol.message.UserMessage;
import dev.faxlan.transport.keylog.TlsKeyLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.LoggerFactory;

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

    private final ServerLink link;
    private final Transfers transfers;
    private volatile AlertSubscription subscription;
    private final TlsKeyLog keyLog;

    private FaxlanClient(Builder b) {
        this.link = new ServerLink(b.server, b.user, b.password, b.apiKey, b.timeout.toMillis(), b.pin, b.onNewIdentity, e -> {
            AlertSubscription s = subscription;
            if (s != null) s.onEvent(e);
        }, new NodeList(b.knownNodes, b.savedIdentities, new java.security.SecureRandom()), b.onClusterNodes);
        this.transfers = new Transfers(link);
        this.keyLog = b.keyLogFile;
        link.keyLog(keyLog);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private InetSocketAddress server;
        private String user;
        private char[] password;
        private char[] apiKey;
        private Duration timeout = Duration.ofSeconds(30);
        private byte[] pin;
        private Consumer<byte[]> onNewIdentity = fp -> {};
        private Path keyLog;
        private TlsKeyLog keyLogFile;
        private List<ClusterNode> knownNodes = List.of();
        private java.util.Map<String, byte[]> savedIdentities = java.util.Map.of();
        private Consumer<List<ClusterNode>> onClusterNodes = n -> {};

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

        /**
         * Logs in with an API key ({@code fxk_…}, made with {@link FaxlanClient#createApiKey}) instead of a
         * user and password: the session is the key's user's, with that user's role, and is made again
         * with the key after it expires, as with a password.
         */
        public Builder apiKey(char[] key) {
            this.apiKey = key == null ? null : key.clone();
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

        /**
         * The nodes of the server's cluster the client already knows (a saved list), each with its pinned
         * fingerprint: if the server does not answer, the client continues on one of them. Once connected,
         * the client takes the nodes the server lists in {@code info} instead.
         */
        public Builder knownNodes(List<ClusterNode> nodes) {
            this.knownNodes = List.copyOf(nodes);
            return this;
        }

        /**
         * Fingerprints the user saved, by address ({@code host:port}, IPv6 in brackets): a node the cluster
         * lists at one of these addresses with another fingerprint is refused, as a server whose key changed is.
         */
        public Builder savedIdentities(java.util.Map<String, byte[]> byAddress) {
            java.util.Map<String, byte[]> copy = new java.util.HashMap<>();
            byAddress.forEach((a, fp) -> copy.put(a, fp.clone()));
            this.savedIdentities = copy;
            return this;
        }

        /** Told the cluster's nodes each time the server lists them (after a connection is made, and now and then), so the caller can save them. */
        public Builder onClusterNodes(Consumer<List<ClusterNode>> listener) {
            this.onClusterNodes = listener;
            return this;
        }

        /**
         * Debugging only: appends the TLS secrets of every connection this client makes to {@code file} in the
         * NSS key log format, so that Wireshark can decrypt a capture (docs/packet-analysis.md). The file is
         * created owner-only; {@link #build()} logs a warning naming it. Null (the default) writes none.
         */
        public Builder keyLog(Path file) {
            this.keyLog = file;
            return this;
        }

        public FaxlanClient build() {
            if (server == null) throw new IllegalArgumentException("no server address given");
            if (apiKey != null && password != null) throw new IllegalArgumentException("give either an API key or a password, not both");
            // A name that does not resolve will not resolve on a retry either: fail now, not after the timeout.
            if (server.isUnresolved()) throw new FaxlanException.Unreachable("cannot resolve " + server.getHostString(), null);
            if (keyLog != null) {
                try {
                    keyLogFile = TlsKeyLog.open(keyLog);
                } catch (IOException e) {
                    throw new FaxlanException(e.getMessage(), 2, e);
                }
                LoggerFactory.getLogger(FaxlanClient.class).warn(keyLogFile.warning());
            }
            return new FaxlanClient(this);
        }
    }

    /** The server this client talks to now: in a cluster, another node once the first stopped answering. */
    public InetSocketAddress server() {
        return link.server();
    }

    /** The server's fingerprint: pinned, or learnt on the first connection (in a cluster: the current node's). */
    public byte[] pin() {
        return link.pin();
    }

    /** The nodes of the server's cluster as the client knows them now: empty for a server that is not part of one. */
    public List<ClusterNode> clusterNodes() {
        return link.nodes();
    }

    // ---------------------------------------------------------------- operations

    public ServerInfo info() {
        SessionMessage.InfoReply r = call(new SessionMessage.Info());
        return new ServerInfo(r.name(), r.version(), (int) r.protocol(), r.time(), r.fp(), r.nodes() == null ? List.of() : ClusterNode.listed(r.nodes()));
    }

    /** Logs in now (calls log in on demand otherwise); returns the user's role. */
    public String login() {
        return link.login(link.deadline()).role();
    }

    /**
     * The user this client acts as: the one given to the builder, or, with an API key, the key's
     * user (the client logs in first if it has not yet).
     */
    public String user() {
        String u = link.user();
        return u != null ? u : link.login(link.deadline()).user();
    }

    /** Uploads a file (resuming after failures) and returns its SHA-256 as the server knows it. */
    public String upload(Path file, LongConsumer progress) {
        return transfers.upload(file, progress);
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
        List<String> hashes = new ArrayList<>();
        for (Path p : req.documents()) hashes.add(upload(p, bytes -> progress.update(p, bytes)));
        JobMessage.Submit submit = new JobMessage.Submit(req.to(), hashes, req.subject(), req.cover(), req.resolution(),
                req.at() == null ? null : req.at().toEpochMilli(), req.priority() == SubmitRequest.DEFAULT_PRIORITY ? null : (long) req.priority(),
                req.fields().isEmpty() ? null : new LinkedHashMap<String, Object>(req.fields()), req.owner());
        return each(call(submit).jobs(), Job::from);
    }

    public List<Job> jobs(boolean includeFinished) {
        return each(call(new JobMessage.ListJobs(includeFinished)).jobs(), Job::from);
    }

    public Job job(long id) {
        return Job.from(call(new JobMessage.GetJob(id)).job());
    }

    public Job cancel(long id) {
        return Job.from(call(new JobMessage.CancelJob(id)).job());
    }

    /** Page 1 of a job as it is faxed: a grayscale PNG {@code width} pixels across, and the fax page's size in pels. */
    public record Thumbnail(long job, int pageWidth, int pageHeight, byte[] png) {}

    /** Page 1 of job {@code id} as a small picture, {@code width} pixels across (16 to 1728). */
    public Thumbnail thumbnail(long id, int width) {
        return thumbnail(id, width, 1);
    }

    /** Page {@code page} (from 1, the cover page first) of job {@code id} as it is faxed, {@code width} pixels across (16 to 1728). */
    public Thumbnail thumbnail(long id, int width, int page) {
        JobMessage.Thumbnail t = call(new JobMessage.GetThumbnail(id, (long) width, page == 1 ? null : (long) page));
        return new Thumbnail(t.job(), (int) t.pageWidth(), (int) t.pageHeight(), t.png());
    }

    public void addUser(String name, char[] newPassword, String role) {
        send(new UserMessage.AddUser(name, new String(newPassword), role));
    }

    public List<UserAccount> users() {
        return each(call(new UserMessage.ListUsers()).users(), u -> new UserAccount(u.name(), u.role(), or(u.created(), 0)));
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
        send(new UserMessage.ChangePassword(name, current == null ? null : new String(current), new String(newPassword)));
    }

    public void removeUser(String name) {
        send(new UserMessage.RemoveUser(name));
    }

    // ---- API keys ----

    /** Makes an API key for the caller; its {@link ApiKey#key()} is the whole key, which no later call shows again. */
    public ApiKey createApiKey(String label) {
        return createApiKey(label, null);
    }

    /** Makes an API key for {@code user} (another user's: administrators only; null: the caller's own). */
    public ApiKey createApiKey(String label, String user) {
        ApiKeyMessage.CreatedKey k = call(new ApiKeyMessage.CreateKey(label, user));
        if (k.key() == null) {
            // Only a replay lacks it: the first answer was lost, and the server keeps no copy of the secret.
            throw new FaxlanException("API key " + k.id() + " (" + k.prefix() + ") was made but its answer was lost; revoke it and create another", 1, null);
        }
        return new ApiKey(k.id(), k.label(), k.user(), k.prefix(), Instant.ofEpochMilli(k.created()), null, k.key());
    }

    /** The caller's API keys, or with {@code all} every user's (administrators only); never their secrets. */
    public List<ApiKey> apiKeys(boolean all) {
        return each(call(new ApiKeyMessage.ListKeys(all ? Boolean.TRUE : null)).keys(), ApiKey::from);
    }

    /** Revokes API key {@code id}: it logs in no more, and the sessions opened with it end at once. */
    public ApiKey revokeApiKey(long id) {
        return ApiKey.from(call(new ApiKeyMessage.RevokeKey(id)));
    }

    // ---- received faxes ----

    /** Received faxes in the mailboxes the user sees (or only in {@code mailbox}), newest first. */
    public List<InboxFax> inbox(String mailbox, boolean unreadOnly) {
        return each(call(new InboxMessage.ListFaxes(mailbox, unreadOnly ? Boolean.TRUE : null, null)).faxes(), InboxFax::from);
    }

    /**
     * Received faxes whose text (read by the server's OCR) has every one of {@code words}, in any case and
     * on any page, in the mailboxes the user sees (or only in {@code mailbox}), newest first.
     */
    public List<InboxFax> searchInbox(String words, String mailbox, boolean unreadOnly) {
        return each(call(new InboxMessage.ListFaxes(mailbox, unreadOnly ? Boolean.TRUE : null, null, words)).faxes(), InboxFax::from);
    }

    /** The text the server read from page {@code page} (1-based) of fax {@code id}. */
    public FaxPageText faxText(long id, int page) {
        return FaxPageText.from(call(new InboxMessage.GetText(id, page)));
    }

    /** The text of every page of fax {@code id}, one request per page (a page's words can be long). */
    public List<FaxPageText> faxText(long id) {
        List<FaxPageText> pages = new java.util.ArrayList<>();
        FaxPageText first = faxText(id, 1);
        pages.add(first);
        for (int p = 2; p <= first.pages(); p++) pages.add(faxText(id, p));
        return pages;
    }

    public InboxFax receivedFax(long id) {
        return InboxFax.from(call(new InboxMessage.GetFax(id)).fax());
    }

    public InboxFax markRead(long id, boolean read) {
        return InboxFax.from(call(new InboxMessage.Mark(id, read)).fax());
    }

    /** Moves received fax {@code id} to {@code mailbox} (one the user sees); returns it as it is now. */
    public InboxFax moveFax(long id, String mailbox) {
        return InboxFax.from(call(new InboxMessage.Move(id, mailbox)).fax());
    }

    public void deleteFax(long id) {
        send(new InboxMessage.Delete(id));
    }

    /**
     * Downloads a received fax's TIFF document to {@code out}, resuming after failures, and checks its
     * SHA-256. The bytes go to {@code out.part} first, so {@code out} appears only complete.
     */
    public InboxFax fetch(long id, Path out, LongConsumer progress) {
        InboxFax fax = receivedFax(id);
        Path part = out.resolveSibling(out.getFileName() + ".part");
        try {
            return transfers.download(id, fax, part, out, progress);
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

    // ---- routes (administrators) ----

    public List<Route> routes() {
        return each(call(new RouteMessage.ListRoutes()).routes(), Route::from);
    }

    /** Adds a rule at {@code position} (1-based; 0 appends it). */
    public Route addRoute(Route.Match match, String mailbox, int position) {
        return addRoute(match, mailbox, position, null);
    }

    /** As {@link #addRoute(Route.Match, String, int)}, also sending each matching fax on to {@code forward} (a fax number) when not null. */
    public Route addRoute(Route.Match match, String mailbox, int position, String forward) {
        return Route.from(call(new RouteMessage.AddRoute(match.did(), match.subaddress(), match.csid(), match.caller(), match.line(), mailbox,
                forward, position > 0 ? (long) position : null, match.content())).route());
    }

    public void removeRoute(long id) {
        send(new RouteMessage.RemoveRoute(id));
    }

    /** Which rule a call with these values would hit, and the mailbox it would land in. */
    public Route.Hit testRoute(Route.Match call) {
        RouteMessage.Tested t = call(new RouteMessage.TestRoute(call.did(), call.subaddress(), call.csid(), call.caller(), call.line(), call.content()));
        return new Route.Hit(t.mailbox(), t.route() == null ? null : Route.from(t.route()));
    }

    // ---- mailboxes ----

    /** A mailbox the user sees: {@code personal} (a user's) or {@code shared}, with who sees it (administrators always do). */
    public record MailboxInfo(String name, String kind, List<String> members) {}

    public List<MailboxInfo> mailboxes() {
        return each(call(new MailboxMessage.ListMailboxes()).mailboxes(), m -> new MailboxInfo(m.name(), m.kind(), m.members()));
    }

    /** Administrators: a shared mailbox, for routing rules to deliver to. */
    public void addMailbox(String name) {
        send(new MailboxMessage.AddMailbox(name));
    }

    /** Administrators: removes a shared mailbox no rule delivers to; its faxes move to Unaddressed. */
    public void removeMailbox(String name) {
        send(new MailboxMessage.RemoveMailbox(name));
    }

    /** Administrators: lets {@code user} see a shared mailbox ({@code member} true) or no longer. */
    public void setMailboxMember(String mailbox, String user, boolean member) {
        if (member) send(new MailboxMessage.AddMember(mailbox, user));
        else send(new MailboxMessage.RemoveMember(mailbox, user));
    }

    // ---- lines (administrators) ----

    /** A fax line of the server: {@code kind} {@code sip} or {@code loopback}; {@code state} its registration or {@code ready}; {@code calls} in progress. */
    public record LineInfo(String name, String kind, String state, int calls) {}

    /** Administrators: the server's fax lines and their state now. */
    public List<LineInfo> lines() {
        return each(call(new LineMessage.ListLines()).lines(), l -> new LineInfo(l.name(), l.kind(), l.state(), (int) l.calls()));
    }

    // ---- cover pages and the phonebook ----

    /** A cover page template's name and kind: {@code built-in}, {@code shared} or {@code own}. */
    public record CoverInfo(String name, String kind) {}

    /** Cover pages this user can use: built-in, shared and their own. */
    public List<CoverInfo> covers() {
        return each(call(new CoverMessage.ListCovers()).covers(), c -> new CoverInfo(c.name(), c.kind()));
    }

    /** The template text of cover page {@code name} (docs/cover-pages.md). */
    public String coverSource(String name) {
        return call(new CoverMessage.GetCover(name)).source();
    }

    /** Stores a cover page template under {@code name} (replacing one of that name); shared ones as administrator. */
    public void putCover(String name, String source, boolean shared) {
        send(new CoverMessage.PutCover(name, source, shared));
    }

    /** The user's phonebook entries and the shared ones, by name. */
    public List<Contact> contacts() {
        return each(call(new PhonebookMessage.ListContacts()).contacts(), Contact::from);
    }

    /** Adds a phonebook entry; {@code shared} ones (everyone sees them) only as administrator. */
    public Contact addContact(String name, String company, String fax, boolean shared) {
        return Contact.from(call(new PhonebookMessage.AddContact(name, fax, shared, company)).contact());
    }

    public void removeContact(long id) {
        send(new PhonebookMessage.RemoveContact(id));
    }

    /**
     * Starts receiving alerts in a background thread: each event of the user's log exactly in sequence
     * order, acknowledged after {@code listener} returns. Reconnects on its own and resumes after the
     * last delivered event; with {@code from} null the server resumes at the subscriber's stored cursor.
     */
    public AlertSubscription subscribe(String subscriber, Long from, Consumer<Alert> listener) {
        AlertSubscription s = new AlertSubscription(link, subscriber, from, listener);
        subscription = s;
        s.start();
        return s;
    }

    /** A request whose answer tells nothing the caller needs: only its success is read, as it always was. */
    private void send(CpiRequest<?> request) {
        link.call(Operations.op(request), MessageCodec.encode((Record) request));
    }

    /** Each element of a list the server returned, made into the SDK's type. */
    private static <T, R> List<R> each(List<T> items, Function<T, R> convert) {
        return items.stream().map(convert).toList();
    }

    /** A field the server may leave out, or its default. */
    static long or(Long value, long dflt) {
        return value == null ? dflt : value;
    }

    // ---------------------------------------------------------------- requests as they are

    /** Executes one typed request with retries until the client's timeout; returns its typed answer. */
    public <R extends Record> R call(CpiRequest<R> request) {
        return link.call(request);
    }

    /** Executes one operation with retries until the client's timeout; returns the response body. */
    public Fields call(Op op, Fields body) {
        return link.call(op, body);
    }

    /**
     * Executes one mutating operation under an idempotency key the caller keeps, for clients that must
     * survive their own restart (a gateway that persisted the key): the same key and body repeat the
     * first result; the same key with another body is {@code IDEMPOTENCY_KEY_REUSED}.
     */
    public Fields call(Op op, Fields body, byte[] idempotencyKey) {
        return link.call(op, body, idempotencyKey);
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

    @Override
    public void close() {
        AlertSubscription s = subscription;
        if (s != null) s.close();
        link.close();
        if (keyLog != null) keyLog.close();
    }
}
