package dev.faxlan.server.cpi.operation;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.AlertMessage;
import dev.faxlan.protocol.message.InboxMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.SessionMessage;
import dev.faxlan.server.auth.PasswordHasher;
import dev.faxlan.server.core.Notifications;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.core.account.AccountService;
import dev.faxlan.server.core.apikey.ApiKeyService;
import dev.faxlan.server.core.cover.CoverService;
import dev.faxlan.server.core.event.EventLog;
import dev.faxlan.server.core.inbox.InboxService;
import dev.faxlan.server.core.job.JobService;
import dev.faxlan.server.core.job.JobThumbnails;
import dev.faxlan.server.core.mailbox.MailboxService;
import dev.faxlan.server.core.phonebook.PhonebookService;
import dev.faxlan.server.core.port.LineDirectory;
import dev.faxlan.server.core.routing.RouteService;
import dev.faxlan.server.core.session.Authenticator;
import dev.faxlan.server.core.upload.UploadService;
import dev.faxlan.server.files.DiskSpace;
import dev.faxlan.server.files.RepeatedLog;
import dev.faxlan.server.cpi.AlertAccess;
import dev.faxlan.server.metrics.ServerMetrics;
import dev.faxlan.server.service.AlertSink;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.service.NumberCheck;
import dev.faxlan.server.service.UploadLimits;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Uploads;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CPI adapter's router: it authenticates a request, routes it to the class that answers its
 * operation family, runs every change exactly once ({@link Idempotent}) and turns the core's
 * refusals into CPI error codes. The work itself is the core's (dev.faxlan.server.core). Knows
 * nothing of QUIC or Netty: a request and the caller's address go in, a response comes out.
 */
public final class CpiService {
    private static final Logger log = LoggerFactory.getLogger(CpiService.class);
    public static final long SESSION_LIFETIME_MS = Authenticator.SESSION_LIFETIME_MS;
    public static final long IDEMPOTENCY_RETENTION_MS = Idempotent.RETENTION_MS;

    private final Database db;
    private final Spool spool;
    private final Clock clock;
    private final Notifications notifications = new Notifications();
    private final Authenticator authenticator;
    private final AccountService accounts;
    private final JobService jobs;
    private final UploadService uploads;
    private final InboxService inbox;
    private final EventLog events;
    private final Idempotent idempotent;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Operations operations = new Operations();
    private final RepeatedLog failures = new RepeatedLog(log, 60_000);
    private volatile DiskSpace disk = DiskSpace.UNCHECKED;
    private volatile LineDirectory lines = LineDirectory.NONE;
    private volatile boolean stopping;
    private final SessionOperations sessionOperations;

    public CpiService(Database db, Spool spool, Clock clock, String serverName, String version, byte[] fingerprint, long maxUploadBytes) {
        this(db, spool, clock, serverName, version, fingerprint, maxUploadBytes, UploadLimits.DEFAULT);
    }

    public CpiService(Database db, Spool spool, Clock clock, String serverName, String version, byte[] fingerprint, long maxUploadBytes,
            UploadLimits uploadLimits) {
        this(db, spool, clock, serverName, version, fingerprint, maxUploadBytes, uploadLimits, NumberCheck.ANY);
    }

    /** @param numberCheck whether the server's lines can dial a number; {@code submit} refuses one they cannot */
    public CpiService(Database db, Spool spool, Clock clock, String serverName, String version, byte[] fingerprint, long maxUploadBytes,
            UploadLimits uploadLimits, NumberCheck numberCheck) {
        this.db = db;
        this.spool = spool;
        this.clock = clock;
        PasswordHasher hasher = new PasswordHasher();
        this.authenticator = new Authenticator(db, clock, hasher, notifications);
        this.accounts = new AccountService(db, clock, hasher, authenticator, notifications);
        this.jobs = new JobService(db, clock, numberCheck, notifications);
        this.uploads = new UploadService(db, spool, clock, maxUploadBytes, uploadLimits);
        this.inbox = new InboxService(db, spool);
        this.events = new EventLog(db);
        this.idempotent = new Idempotent(db, clock, metrics::replayed);
        sessionOperations = new SessionOperations(authenticator, clock, serverName, version, fingerprint);
        sessionOperations.register(operations);
        new JobOperations(jobs, new JobThumbnails(jobs, db, spool, clock)).register(operations);
        new UploadOperations(uploads).register(operations);
        new InboxOperations(inbox).register(operations);
        new MailboxOperations(new MailboxService(db, clock)).register(operations);
        new CoverOperations(new CoverService(db, clock)).register(operations);
        new PhonebookOperations(new PhonebookService(db, clock)).register(operations);
        new RouteOperations(new RouteService(db, clock)).register(operations);
        new UserOperations(accounts).register(operations);
        new ApiKeyOperations(new ApiKeyService(db, clock, notifications)).register(operations);
        new LineOperations(() -> lines).register(operations);
    }

    /** Executes one request. Never throws: failures become {@link Message.Error}. */
    public Message handle(Message.Request req, String clientAddress) {
        try {
            return new Message.Ok(req.id(), dispatch(req, clientAddress));
        } catch (CpiException e) {
            return new Message.Error(req.id(), e.code(), e.getMessage());
        } catch (ProblemException e) {
            return new Message.Error(req.id(), code(e.problem()), e.getMessage());
        } catch (Exception e) {
            if (disk.low()) {
                // The cause is known: no stack trace, one line a minute.
                failures.error("disk-full", "requests fail while the disk is full (" + disk.free() + " bytes free): " + req.op().wire() + ": " + e, null);
                return new Message.Error(req.id(), ErrorCode.DISK_FULL, disk.message(req.op().wire()));
            }
            if (Database.isUnavailable(e)) return databaseUnavailable(req, e);
            failures.error(req.op().wire() + ":" + e.getClass().getName(), "request " + req + " failed", e);
            return new Message.Error(req.id(), ErrorCode.INTERNAL, "internal error while executing " + req.op().wire());
        }
    }

    private Fields dispatch(Message.Request req, String address) throws CpiException, SQLException, IOException {
        Op op = req.op();
        Caller caller = op.needsSession() ? authenticate(req).at(address) : null;
        if (stopping && (op == Op.SUBMIT || op == Op.UPLOAD_BEGIN)) {
            throw new CpiException(ErrorCode.BUSY, "the server is shutting down; try again when it is back");
        }
        Operations.Call call = new Operations.Call(req, caller, address);
        Optional<Operations.Command> command = operations.command(op);
        if (command.isPresent()) {
            Operations.Change change = command.get().prepare(call);
            return idempotent.once(req, caller, change);
        }
        Optional<Operations.Query> query = operations.query(op);
        if (query.isPresent()) return query.get().answer(call);
        throw new CpiException(ErrorCode.BAD_REQUEST, "operation " + op.wire() + " is not valid on this stream");
    }

    /** Which class answers each operation. */
    Operations operations() {
        return operations;
    }

    /** The CPI error code of each refusal of the core. */
    static ErrorCode code(Problem problem) {
        return switch (problem) {
            case INVALID -> ErrorCode.BAD_REQUEST;
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorCode.ALREADY_EXISTS;
            case CONFLICT -> ErrorCode.CONFLICT;
            case NOT_PERMITTED -> ErrorCode.PERMISSION_DENIED;
            case TOO_LARGE -> ErrorCode.UPLOAD_TOO_LARGE;
            case HASH_MISMATCH -> ErrorCode.UPLOAD_HASH_MISMATCH;
            case DISK_FULL -> ErrorCode.DISK_FULL;
            case UNKNOWN_DOCUMENT -> ErrorCode.DOCUMENT_UNKNOWN;
            case WRONG_CREDENTIALS -> ErrorCode.AUTH_FAILED;
            case THROTTLED -> ErrorCode.AUTH_THROTTLED;
            case NOT_LOGGED_IN -> ErrorCode.SESSION_EXPIRED;
        };
    }

    /** The refusal as the CPI error the streams (upload data, fetch, subscribe) answer with. */
    private static CpiException cpi(ProblemException e) {
        return new CpiException(code(e.problem()), e.getMessage());
    }

    // ---- the streams' requests: upload data, fetch, alert subscriptions ----

    /** Resolves the session token of a request to its user. */
    public Caller authenticate(Message.Request req) throws CpiException, SQLException {
        try {
            return authenticator.caller(req.session());
        } catch (ProblemException e) {
            throw cpi(e);
        }
    }

    /** The caller's upload, checked for ownership; used by the data stream before it accepts bytes. */
    public Uploads.Upload ownUpload(Caller caller, String id) throws Exception {
        try {
            return uploads.own(caller, id);
        } catch (ProblemException e) {
            throw cpi(e);
        }
    }

    /** Called when an upload's bytes are all in: moves it into the spool if its hash matches. */
    public Fields completeUpload(Uploads.Upload u) throws Exception {
        try {
            return Operations.encode(UploadOperations.state(uploads.complete(u)));
        } catch (ProblemException e) {
            throw cpi(e);
        }
    }

    /** What an {@code inbox.fetch} stream sends: its header and the document's bytes from {@code offset}. */
    public record Fetch(Fields header, Path file, long offset, long size) {}

    /** Checks an {@code inbox.fetch} request and finds the fax's document. */
    public Fetch openFetch(Caller caller, Fields body) throws Exception {
        InboxMessage.Fetch asked = MessageCodec.decode(InboxMessage.Fetch.class, body);
        long id = asked.fax();
        InboxService.Document d;
        try {
            d = inbox.document(caller, id, asked.offset() != null ? asked.offset() : 0);
        } catch (ProblemException e) {
            throw cpi(e);
        }
        ReceivedFaxes.Fax f = d.fax();
        Fields header = Operations.encode(new InboxMessage.Fetched(id, d.offset(), f.size(), f.sha256()));
        return new Fetch(header, d.file(), d.offset(), f.size());
    }

    /** The subscriber an {@code alert.subscribe} names (1 to 64 characters), else {@code default}. */
    public static String subscriber(Fields body) throws CpiException {
        try {
            return EventLog.subscriber(MessageCodec.decode(AlertMessage.Subscribe.class, body).subscriber());
        } catch (ProblemException e) {
            throw cpi(e);
        }
    }

    /** Where a subscription starts: the client's own cursor, else the stored one, else only new events. */
    public long subscriptionStart(Caller caller, Fields body) throws CpiException, SQLException {
        String subscriber = subscriber(body);
        Long from = MessageCodec.decode(AlertMessage.Subscribe.class, body).from();
        try {
            return events.start(caller, subscriber, from);
        } catch (ProblemException e) {
            throw cpi(e);
        }
    }

    public List<Events.StoredEvent> eventsAfter(long userId, long after, int limit) throws SQLException {
        return events.after(userId, after, limit);
    }

    public long lastEventSeq(long userId) throws SQLException {
        return events.lastSeq(userId);
    }

    public void acknowledge(long userId, String subscriber, long seq) throws SQLException {
        events.acknowledge(userId, subscriber, seq);
    }

    public static Message.Event toMessage(Events.StoredEvent e) {
        return AlertAccess.toMessage(e);
    }

    public AlertAccess alertAccess() {
        return new AlertAccess(db, clock);
    }

    /**
     * The answer to a request that failed because the database cannot be reached ({@link Database#isUnavailable}):
     * BUSY, which clients retry, since the pool reconnects by itself once the database is back; a warning
     * without a stack trace, once a minute however many requests fail.
     */
    public Message.Error databaseUnavailable(Message.Request req, Exception e) {
        failures.warn("database-unreachable", "requests are refused while the database cannot be reached: " + req.op().wire() + ": " + e);
        return new Message.Error(req.id(), ErrorCode.BUSY, "the database cannot be reached just now; retry later");
    }

    /**
     * The answer to a failure storing data (an upload's bytes): DISK_FULL when the disk is low, else
     * STORAGE_FULL; logged once a minute, however often it happens.
     */
    public Message.Error storageFailure(long requestId, String what, Exception e) {
        if (disk.low()) {
            failures.error("disk-full", what + " failed while the disk is full (" + disk.free() + " bytes free): " + e, null);
            return new Message.Error(requestId, ErrorCode.DISK_FULL, disk.message(what));
        }
        failures.error("storage:" + what, what + " failed", e);
        return new Message.Error(requestId, ErrorCode.STORAGE_FULL, "the server could not store the upload: " + e.getMessage());
    }

    // ---- wiring and housekeeping ----

    /** The core's job use cases, which the dispatcher moves jobs on with. */
    public JobService jobs() {
        return jobs;
    }

    public Spool spool() {
        return spool;
    }

    /** The server's meters: requests and errors are counted by the CPI adapter, the rest by the server's parts. */
    public ServerMetrics metrics() {
        return metrics;
    }

    public void setAlertSink(AlertSink sink) {
        notifications.setAlertSink(sink);
    }

    /** Called after each committed submission, so the dispatcher can look at once. */
    public void onJobsSubmitted(Runnable r) {
        notifications.onJobsSubmitted(r);
    }

    /** Called after a job was cancelled, so a call in progress is hung up. */
    public void onJobCancelled(LongConsumer c) {
        notifications.onJobCancelled(c);
    }

    /** Tells live alert subscribers that a user's event log grew (after the commit that grew it). */
    public void eventsAppended(long userId) {
        notifications.eventsAppended(userId);
    }

    /** The file system uploads are stored on, and the reserve kept free on it. */
    /** The running lines, for {@code line.list} (they start after the service). */
    public void setLines(LineDirectory lines) {
        this.lines = lines;
    }

    /** The live nodes of this server's cluster, as {@code info} lists them (none: a server on its own). */
    public void setClusterNodes(Supplier<List<SessionMessage.Node>> nodes) {
        sessionOperations.clusterNodes(nodes);
    }

    public void setDiskSpace(DiskSpace disk) {
        this.disk = disk;
        uploads.setDiskSpace(disk);
    }

    /** The server is stopping: new submissions and uploads are refused with BUSY, everything else still works. */
    public void stopTakingWork() {
        stopping = true;
    }

    /**
     * Creates the administrator on first start; returns the generated password if one was made.
     *
     * @throws IllegalArgumentException if {@code presetPassword} breaks the password rule
     */
    public Optional<String> bootstrapAdmin(String presetPassword) throws SQLException {
        return accounts.bootstrapAdmin(presetPassword);
    }

    /** Gives every account its personal mailbox (accounts made before mailboxes existed, the first admin). */
    public void ensurePersonalMailboxes() throws SQLException {
        accounts.ensurePersonalMailboxes();
    }

    /** Housekeeping: forget expired sessions, old idempotency records and abandoned uploads. */
    public void purge() throws Exception {
        authenticator.purgeExpired();
        idempotent.purge();
        uploads.purgeAbandoned();
    }
}
