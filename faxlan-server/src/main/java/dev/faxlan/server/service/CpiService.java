package dev.faxlan.server.service;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.protocol.message.AlertMessage;
import dev.faxlan.protocol.message.CoverMessage;
import dev.faxlan.protocol.message.InboxMessage;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MailboxMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.PhonebookMessage;
import dev.faxlan.protocol.message.RouteMessage;
import dev.faxlan.protocol.message.SessionMessage;
import dev.faxlan.protocol.message.UploadMessage;
import dev.faxlan.protocol.message.UserMessage;
import dev.faxlan.protocol.cbor.CborException;
import dev.faxlan.server.auth.LoginThrottle;
import dev.faxlan.server.auth.PasswordHasher;
import dev.faxlan.server.auth.PasswordRule;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.core.account.AccountService;
import dev.faxlan.server.core.cover.CoverService;
import dev.faxlan.server.core.inbox.InboxService;
import dev.faxlan.server.core.mailbox.MailboxService;
import dev.faxlan.server.core.phonebook.PhonebookService;
import dev.faxlan.server.core.routing.RouteService;
import dev.faxlan.server.core.upload.UploadService;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.Events;
import dev.faxlan.server.storage.Idempotency;
import dev.faxlan.server.routing.Router;
import dev.faxlan.server.storage.Jobs;
import dev.faxlan.server.storage.JobDetails;
import dev.faxlan.server.storage.Phonebook;
import dev.faxlan.server.storage.Routes;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Sessions;
import dev.faxlan.server.storage.Uploads;
import dev.faxlan.server.storage.Users;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes CPI requests: authentication, sessions, jobs and the event log itself; phonebook, cover
 * pages, routing rules, mailboxes, accounts, received faxes and uploads through the core's services
 * (dev.faxlan.server.core), whose refusals it answers with the matching {@link ErrorCode}. It is over
 * 500 lines until jobs, sessions and alerts move into the core too and it becomes a router.
 * Knows nothing of QUIC or Netty: a request and the caller's address go in, a response comes out.
 *
 * <p>Mutating operations run through {@link #once}: the effects and the stored response commit in one
 * transaction keyed by (user, idempotency key), so a retried request returns the first result and
 * never executes twice, across reconnects and restarts.
 */
public final class CpiService {
    private static final Logger log = LoggerFactory.getLogger(CpiService.class);
    public static final long SESSION_LIFETIME_MS = 24 * 3600_000L;
    public static final long IDEMPOTENCY_RETENTION_MS = 7 * 24 * 3600_000L;
        static final int MAX_RECIPIENTS = 100;
    static final int MAX_DOCUMENTS = 50;

    private final Database db;
    private final Spool spool;
    private final Clock clock;
    private final String serverName;
    private final String version;
    private final byte[] fingerprint;
    private final NumberCheck numberCheck;
    private final PasswordHasher hasher = new PasswordHasher();
    private final LoginThrottle throttle;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;
    private volatile AlertSink alerts = userId -> {};
    private volatile Runnable jobsSubmitted = () -> {};
    private volatile java.util.function.LongConsumer jobCancelled = id -> {};
    private volatile dev.faxlan.server.files.DiskSpace disk = dev.faxlan.server.files.DiskSpace.UNCHECKED;
    private volatile boolean stopping;
    private final dev.faxlan.server.files.RepeatedLog failures = new dev.faxlan.server.files.RepeatedLog(log, 60_000);
    private final PhonebookService phonebook;
    private final CoverService covers;
    private final RouteService routes;
    private final MailboxService mailboxes;
    private final InboxService inbox;
    private final AccountService accounts;
    private final UploadService uploads;

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
        this.numberCheck = java.util.Objects.requireNonNull(numberCheck, "numberCheck");
        this.db = db;
        this.spool = spool;
        this.clock = clock;
        this.serverName = serverName;
        this.version = version;
        this.fingerprint = fingerprint;
        this.throttle = new LoginThrottle(clock);
        this.dummyHash = hasher.dummyHash();
        this.phonebook = new PhonebookService(db, clock);
        this.covers = new CoverService(db, clock);
        this.routes = new RouteService(db, clock);
        this.mailboxes = new MailboxService(db, clock);
        this.inbox = new InboxService(db, spool);
        this.accounts = new AccountService(db, clock, hasher);
        this.uploads = new UploadService(db, spool, clock, maxUploadBytes, uploadLimits);
    }

    public void setAlertSink(AlertSink sink) {
        this.alerts = sink;
    }

    public AlertAccess alertAccess() {
        return new AlertAccess(db, clock);
    }

    public Spool spool() {
        return spool;
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
            failures.error(req.op().wire() + ":" + e.getClass().getName(), "request " + req + " failed", e);
            return new Message.Error(req.id(), ErrorCode.INTERNAL, "internal error while executing " + req.op().wire());
        }
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
        };
    }

    private static CpiException cpi(ProblemException e) {
        return new CpiException(code(e.problem()), e.getMessage());
    }

    /** The file system uploads are stored on, and the reserve kept free on it. */
    public void setDiskSpace(dev.faxlan.server.files.DiskSpace disk) {
        this.disk = disk;
        uploads.setDiskSpace(disk);
    }

    public dev.faxlan.server.files.DiskSpace diskSpace() {
        return disk;
    }

    /** The server is stopping: new submissions and uploads are refused with BUSY, everything else still works. */
    public void stopTakingWork() {
        stopping = true;
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

    private Fields dispatch(Message.Request req, String address) throws Exception {
        switch (req.op()) {
            case INFO:
                return encode(new SessionMessage.InfoReply(serverName, version, CpiCodec.VERSION, clock.millis(), fingerprint));
            case LOGIN:
                return encode(login(read(req, SessionMessage.Login.class), address));
            default:
                break;
        }
        Caller caller = authenticate(req).at(address);
        if (stopping && (req.op() == Op.SUBMIT || req.op() == Op.UPLOAD_BEGIN)) {
            throw new CpiException(ErrorCode.BUSY, "the server is shutting down; try again when it is back");
        }
        if (req.op().mutating()) {
            return once(req, caller);
        }
        switch (req.op()) {
            case LOGOUT:
                read(req, SessionMessage.Logout.class);
                db.tx(c -> {
                    Sessions.delete(c, Sessions.tokenHash(req.session()));
                    return null;
                });
                alerts.sessionsEnded();
                return encode(new SessionMessage.Empty());
            case UPLOAD_STATUS:
                return encode(state(uploads.status(caller, read(req, UploadMessage.Status.class).upload())));
            case JOB_LIST: {
                boolean all = Boolean.TRUE.equals(read(req, JobMessage.ListJobs.class).all());
                return db.tx(c -> {
                    List<JobMessage.Job> jobs = new ArrayList<>();
                    for (Jobs.Job j : Jobs.list(c, caller.isAdmin() ? null : caller.userId(), all, 10_000)) jobs.add(job(c, j));
                    return encode(new JobMessage.Jobs(jobs));
                });
            }
            case JOB_GET: {
                long id = read(req, JobMessage.GetJob.class).job();
                return db.tx(c -> encode(new JobMessage.OneJob(job(c, visibleJob(c, caller, id)))));
            }
            case INBOX_LIST: {
                InboxMessage.ListFaxes r = read(req, InboxMessage.ListFaxes.class);
                List<InboxMessage.Fax> out = new ArrayList<>();
                for (ReceivedFaxes.Fax f : inbox.list(caller, new InboxService.Query(r.mailbox(), r.limit(), Boolean.TRUE.equals(r.unread())))) {
                    out.add(fax(f));
                }
                return encode(new InboxMessage.Faxes(out));
            }
            case INBOX_GET:
                return encode(new InboxMessage.OneFax(fax(inbox.get(caller, read(req, InboxMessage.GetFax.class).fax()))));
            case MAILBOX_LIST: {
                read(req, MailboxMessage.ListMailboxes.class);
                List<MailboxMessage.Mailbox> out = new ArrayList<>();
                for (MailboxService.Box m : mailboxes.list(caller)) {
                    out.add(new MailboxMessage.Mailbox(m.name(), m.personal() ? "personal" : "shared", m.members()));
                }
                return encode(new MailboxMessage.Mailboxes(out));
            }
            case COVER_LIST: {
                read(req, CoverMessage.ListCovers.class);
                List<CoverMessage.Cover> out = new ArrayList<>();
                for (CoverService.Cover t : covers.list(caller)) out.add(new CoverMessage.Cover(t.name(), t.kind().text(), t.updated()));
                return encode(new CoverMessage.Covers(out));
            }
            case COVER_GET: {
                String name = read(req, CoverMessage.GetCover.class).name();
                return encode(new CoverMessage.Source(name, covers.source(caller, name)));
            }
            case PHONEBOOK_LIST: {
                read(req, PhonebookMessage.ListContacts.class);
                List<PhonebookMessage.Contact> entries = new ArrayList<>();
                for (Phonebook.Entry e : phonebook.list(caller)) entries.add(contact(e));
                return encode(new PhonebookMessage.Contacts(entries));
            }
            case ROUTE_LIST: {
                Checks.requireAdmin(caller); // before the body is read, so a user is refused whatever they send
                read(req, RouteMessage.ListRoutes.class);
                List<RouteMessage.Route> out = new ArrayList<>();
                for (RouteService.Rule r : routes.list(caller)) out.add(rule(r));
                return encode(new RouteMessage.Routes(out));
            }
            case ROUTE_TEST: {
                Checks.requireAdmin(caller);
                RouteMessage.TestRoute r = read(req, RouteMessage.TestRoute.class);
                Router.Call call = new Router.Call(orEmpty(r.did()), orEmpty(r.subaddress()), orEmpty(r.csid()), orEmpty(r.caller()), orEmpty(r.line()));
                RouteService.Tested tested = routes.test(caller, call);
                return encode(new RouteMessage.Tested(tested.mailbox(), tested.rule() != null ? rule(tested.rule()) : null));
            }
            case USER_LIST: {
                Checks.requireAdmin(caller); // before the body is read, so a user is refused whatever they send
                read(req, UserMessage.ListUsers.class);
                List<UserMessage.Account> users = new ArrayList<>();
                for (Users.User u : accounts.list(caller)) users.add(new UserMessage.Account(u.name(), u.role(), u.created()));
                return encode(new UserMessage.Users(users));
            }
            default:
                throw new CpiException(ErrorCode.BAD_REQUEST, "operation " + req.op().wire() + " is not valid on this stream");
        }
    }

    // ---- authentication ----

    private SessionMessage.LoginReply login(SessionMessage.Login body, String address) throws Exception {
        String user = body.user();
        String password = body.password();
        if (!Checks.USER_NAME.matcher(user).matches() || PasswordRule.tooLongToExist(password)) {
            // Not a name that can exist: refuse before the throttle keeps it as a key (bounded memory).
            throttle.failure("", address);
            throw new CpiException(ErrorCode.AUTH_FAILED, "wrong user name or password");
        }
        long wait = throttle.waitMillis(user, address);
        if (wait > 0) {
            throw new CpiException(ErrorCode.AUTH_THROTTLED, "too many failed logins for " + user + " from this address; try again in " + ((wait + 999) / 1000) + " s");
        }
        Optional<Users.User> found = db.tx(c -> Users.byName(c, user));
        // Verify against a dummy hash for unknown users so timing does not reveal which names exist.
        boolean ok = hasher.verify(password.toCharArray(), found.map(Users.User::passwordHash).orElse(dummyHash)) && found.isPresent();
        if (!ok) {
            throttle.failure(user, address);
            log.info("failed login for user {} from {}", user, address);
            throw new CpiException(ErrorCode.AUTH_FAILED, "wrong user name or password");
        }
        throttle.success(user, address);
        byte[] token = new byte[CpiCodec.SESSION_TOKEN_BYTES];
        random.nextBytes(token);
        long now = clock.millis();
        Users.User u = found.get();
        db.tx(c -> {
            Sessions.insert(c, Sessions.tokenHash(token), u.id(), now, now + SESSION_LIFETIME_MS);
            return null;
        });
        return new SessionMessage.LoginReply(token, u.name(), u.role(), now + SESSION_LIFETIME_MS);
    }

    /** Resolves the session token of a request to its user. */
    public Caller authenticate(Message.Request req) throws Exception {
        if (req.session() == null) throw new CpiException(ErrorCode.SESSION_EXPIRED, "log in first: no session token");
        long now = clock.millis();
        Optional<Caller> caller = db.tx(c -> {
            OptionalLong uid = Sessions.userOf(c, Sessions.tokenHash(req.session()), now);
            if (uid.isEmpty()) return Optional.empty();
            return Users.byId(c, uid.getAsLong()).map(u -> new Caller(u.id(), u.name(), u.role()));
        });
        return caller.orElseThrow(() -> new CpiException(ErrorCode.SESSION_EXPIRED, "the session is unknown or expired; log in again"));
    }

    // ---- exactly-once execution of mutating operations ----

    /**
     * What a committed execution asks to happen after its transaction: alerts to wake, the dispatcher
     * to look, calls to hang up. Filled only by a real execution, never by a replayed answer, and only
     * with the ids the execution itself acted on.
     */
    private static final class Effects {
        final List<Long> notify = new ArrayList<>();
        final List<Long> cancelledJobs = new ArrayList<>();
        boolean jobsSubmitted;
        boolean sessionsEnded;
    }

    private Fields once(Message.Request req, Caller caller) throws Exception {
        byte[] key = req.idempotencyKey();
        if (key == null) throw new CpiException(ErrorCode.BAD_REQUEST, req.op().wire() + " needs an idempotency key");
        byte[] digest = requestDigest(req);
        for (int attempt = 0; ; attempt++) {
            Effects effects = new Effects();
            try {
                Fields result = db.durableTx(c -> { // acknowledged: on the disk before the answer
                    Optional<Idempotency.Stored> stored = Idempotency.find(c, caller.userId(), key);
                    if (stored.isPresent()) return replay(stored.get(), req.op(), digest);
                    Fields fresh = execute(c, req, caller, effects);
                    Idempotency.insert(c, caller.userId(), key, req.op().wire(), digest, Cbor.encode(fresh.asMap()), clock.millis());
                    return fresh;
                });
                for (long userId : effects.notify) alerts.eventsAppended(userId);
                if (effects.jobsSubmitted) jobsSubmitted.run();
                if (effects.sessionsEnded) alerts.sessionsEnded();
                for (long job : effects.cancelledJobs) jobCancelled.accept(job);
                return result;
            } catch (SQLException e) {
                // A concurrent retry of the same request committed first (unique key): replay its result.
                if (attempt == 0 && isUniqueViolation(e)) continue;
                throw e;
            }
        }
    }

    /** SHA-256 over the operation and the body in canonical form (map keys sorted), so a retry matches whatever its key order. */
    static byte[] requestDigest(Message.Request req) {
        java.security.MessageDigest md = Spool.sha256();
        md.update(req.op().wire().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Cbor.encode(canonical(req.body().asMap())));
        return md.digest();
    }

    private static Object canonical(Object value) {
        if (value instanceof java.util.Map<?, ?> m) {
            java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
            for (java.util.Map.Entry<?, ?> e : m.entrySet()) sorted.put(String.valueOf(e.getKey()), canonical(e.getValue()));
            return sorted;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(canonical(o));
            return out;
        }
        return value;
    }

    private static Fields replay(Idempotency.Stored stored, Op op, byte[] digest) throws CpiException {
        if (!stored.op().equals(op.wire())) {
            throw new CpiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key was first used for " + stored.op() + ", not " + op.wire());
        }
        if (stored.requestSha256() != null && !java.security.MessageDigest.isEqual(stored.requestSha256(), digest)) {
            throw new CpiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "idempotency key was first used for another " + op.wire() + " request; a new request needs a new key");
        }
        try {
            return Fields.of(Cbor.decode(stored.response()), "stored response");
        } catch (CborException e) {
            throw new IllegalStateException("stored response is corrupt", e);
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        String state = e.getSQLState();
        return state != null && state.startsWith("23");
    }

    private Fields execute(Connection c, Message.Request req, Caller caller, Effects effects) throws Exception {
        List<Long> notify = effects.notify;
        long now = clock.millis();
        switch (req.op()) {
            case UPLOAD_BEGIN: {
                UploadMessage.Begin r = read(req, UploadMessage.Begin.class);
                return encode(state(uploads.begin(c, caller, new UploadService.Announced(r.name(), r.size(), r.sha256()))));
            }
            case SUBMIT:
                effects.jobsSubmitted = true;
                return encode(submit(c, caller, read(req, JobMessage.Submit.class), now, notify));
            case JOB_CANCEL: {
                Jobs.Job j = visibleJob(c, caller, read(req, JobMessage.CancelJob.class).job());
                if (JobState.fromWire(j.state()).terminal()) {
                    throw new CpiException(ErrorCode.CONFLICT, "job " + j.id() + " is already " + j.state());
                }
                Jobs.updateState(c, j.id(), JobState.CANCELLED.wire(), "cancelled by " + caller.name(), now);
                effects.cancelledJobs.add(j.id());
                Jobs.Job updated = Jobs.byId(c, j.id()).orElseThrow();
                appendJobEvent(c, updated, now, notify);
                return encode(new JobMessage.OneJob(job(c, updated)));
            }
            case USER_ADD: {
                Checks.requireAdmin(caller);
                UserMessage.AddUser r = read(req, UserMessage.AddUser.class);
                Users.User added = accounts.add(c, caller, new AccountService.NewAccount(r.user(), r.role(), r.password()));
                return encode(new UserMessage.Added(added.name(), added.role()));
            }
            case INBOX_MARK: {
                InboxMessage.Mark r = read(req, InboxMessage.Mark.class);
                return encode(new InboxMessage.OneFax(fax(inbox.mark(c, caller, r.fax(), r.read() == null || r.read()))));
            }
            case INBOX_DELETE:
                return encode(new InboxMessage.Deleted(inbox.delete(c, caller, read(req, InboxMessage.Delete.class).fax())));
            case ROUTE_ADD: {
                Checks.requireAdmin(caller); // before the body is read, so a user is refused whatever they send
                RouteMessage.AddRoute r = read(req, RouteMessage.AddRoute.class);
                Routes.Match match = new Routes.Match(r.did(), r.subaddress(), r.csid(), r.caller(), r.line());
                return encode(new RouteMessage.OneRoute(rule(routes.add(c, caller, new RouteService.NewRule(match, r.mailbox(), r.position(), r.forward())))));
            }
            case MAILBOX_ADD: {
                Checks.requireAdmin(caller);
                return encode(new MailboxMessage.Named(mailboxes.add(c, caller, read(req, MailboxMessage.AddMailbox.class).mailbox())));
            }
            case MAILBOX_REMOVE: {
                Checks.requireAdmin(caller);
                return encode(new MailboxMessage.Named(mailboxes.remove(c, caller, read(req, MailboxMessage.RemoveMailbox.class).mailbox())));
            }
            case MAILBOX_MEMBER_ADD: {
                Checks.requireAdmin(caller);
                MailboxMessage.AddMember r = read(req, MailboxMessage.AddMember.class);
                return encode(membership(mailboxes.addMember(c, caller, new MailboxService.Membership(r.mailbox(), r.user()))));
            }
            case MAILBOX_MEMBER_REMOVE: {
                Checks.requireAdmin(caller);
                MailboxMessage.RemoveMember r = read(req, MailboxMessage.RemoveMember.class);
                return encode(membership(mailboxes.removeMember(c, caller, new MailboxService.Membership(r.mailbox(), r.user()))));
            }
            case COVER_PUT: {
                CoverMessage.PutCover r = read(req, CoverMessage.PutCover.class);
                CoverService.Cover stored = covers.put(c, caller, new CoverService.NewCover(r.name(), r.source(), Boolean.TRUE.equals(r.shared())));
                return encode(new CoverMessage.Stored(stored.name(), stored.kind().text()));
            }
            case PHONEBOOK_ADD: {
                PhonebookMessage.AddContact r = read(req, PhonebookMessage.AddContact.class);
                Phonebook.Entry added = phonebook.add(c, caller, new PhonebookService.NewContact(r.name(), r.company(), r.fax(), Boolean.TRUE.equals(r.shared())));
                return encode(new PhonebookMessage.OneContact(contact(added)));
            }
            case PHONEBOOK_REMOVE:
                return encode(new PhonebookMessage.Removed(phonebook.remove(c, caller, read(req, PhonebookMessage.RemoveContact.class).contact())));
            case ROUTE_REMOVE: {
                Checks.requireAdmin(caller);
                return encode(new RouteMessage.Removed(routes.remove(c, caller, read(req, RouteMessage.RemoveRoute.class).route())));
            }
            case USER_PASSWD: {
                UserMessage.ChangePassword r = read(req, UserMessage.ChangePassword.class);
                String name = r.user() != null ? r.user() : caller.name();
                if (!name.equals(caller.name())) Checks.requireAdmin(caller);
                Users.User u = Users.byName(c, name).orElseThrow(() -> new CpiException(ErrorCode.NOT_FOUND, "no user " + name));
                if (name.equals(caller.name())) checkCurrentPassword(u, r.current(), caller.address());
                Users.updatePassword(c, u.id(), hasher.hash(password(r.password()).toCharArray()));
                Sessions.deleteForUser(c, u.id());
                effects.sessionsEnded = true;
                return encode(new UserMessage.Named(name));
            }
            case USER_REMOVE: {
                Checks.requireAdmin(caller);
                String removed = accounts.remove(c, caller, read(req, UserMessage.RemoveUser.class).user());
                effects.sessionsEnded = true;
                return encode(new UserMessage.Named(removed));
            }
            default:
                throw new CpiException(ErrorCode.BAD_REQUEST, req.op().wire() + " is not a mutating operation");
        }
    }

    /**
     * Changing one's own password needs the current one, so a stolen session cannot become the
     * account for good. Wrong guesses count as failed logins from that address.
     */
    private void checkCurrentPassword(Users.User u, String current, String address) throws CpiException {
        if (current == null) {
            throw new CpiException(ErrorCode.BAD_REQUEST, "changing your own password needs your current password (field current)");
        }
        long wait = throttle.waitMillis(u.name(), address);
        if (wait > 0) {
            throw new CpiException(ErrorCode.AUTH_THROTTLED, "too many wrong passwords for " + u.name() + " from this address; try again in "
                    + ((wait + 999) / 1000) + " s");
        }
        if (!hasher.verify(current.toCharArray(), u.passwordHash())) {
            throttle.failure(u.name(), address);
            log.info("wrong current password changing the password of {} from {}", u.name(), address);
            throw new CpiException(ErrorCode.AUTH_FAILED, "the current password of " + u.name() + " is wrong");
        }
    }

    // ---- uploads ----

    /** The caller's upload, checked for ownership; used by the data stream before it accepts bytes. */
    public Uploads.Upload ownUpload(Caller caller, String id) throws Exception {
        try {
            return uploads.own(caller, id);
        } catch (ProblemException e) {
            throw cpi(e); // the data stream answers CPI errors itself
        }
    }

    /** Called when an upload's bytes are all in: moves it into the spool if its hash matches. */
    public Fields completeUpload(Uploads.Upload u) throws Exception {
        try {
            return encode(state(uploads.complete(u)));
        } catch (ProblemException e) {
            throw cpi(e);
        }
    }

    private static UploadMessage.State state(UploadService.State s) {
        return new UploadMessage.State(s.id(), s.offset(), s.size(), s.complete(), s.sha256());
    }

    // ---- jobs ----

    private JobMessage.Submitted submit(Connection c, Caller caller, JobMessage.Submit body, long now, List<Long> notify) throws Exception {
        List<String> to = body.to();
        if (to.isEmpty() || to.size() > MAX_RECIPIENTS) throw new CpiException(ErrorCode.BAD_REQUEST, "give 1 to " + MAX_RECIPIENTS + " recipients");
        List<String> numbers = new ArrayList<>();
        for (String t : to) {
            String number = PhonebookService.recipient(c, caller, t);
            // A number no line can dial is refused here, before any job exists, rather than failing or waiting for good.
            Optional<String> why = numberCheck.whyNot(number);
            if (why.isPresent()) {
                throw new CpiException(ErrorCode.BAD_REQUEST, (t.chars().anyMatch(Character::isLetter) ? "\"" + t.strip() + "\": " : "") + why.get());
            }
            numbers.add(number);
        }
        List<String> docs = body.documents();
        if (docs.isEmpty() || docs.size() > MAX_DOCUMENTS) throw new CpiException(ErrorCode.BAD_REQUEST, "give 1 to " + MAX_DOCUMENTS + " documents");
        for (String d : docs) {
            // Only documents this user uploaded may be sent: knowing a SHA-256 is not permission to fax someone else's document.
            if (!Spool.isSha256Hex(d) || Documents.size(c, d).isEmpty() || !Uploads.completedBy(c, caller.userId(), d)) {
                throw new CpiException(ErrorCode.DOCUMENT_UNKNOWN, "document " + d + " was never uploaded by " + caller.name());
            }
        }
        String resolution = body.resolution() != null ? body.resolution() : "fine";
        if (!List.of("standard", "fine", "superfine").contains(resolution)) {
            throw new CpiException(ErrorCode.BAD_REQUEST, "resolution must be standard, fine or superfine, not " + resolution);
        }
        String subject = Checks.limited(body.subject(), 255, "subject");
        String cover = Checks.limited(body.cover(), 64, "cover");
        if (cover != null) CoverService.source(c, caller.userId(), cover); // an unknown cover page fails the submit, not the call
        Long at = body.at();
        long priority = body.priority() != null ? body.priority() : 5;
        if (priority < 0 || priority > 9) throw new CpiException(ErrorCode.BAD_REQUEST, "priority must be 0 to 9, not " + priority);
        Map<String, String> coverFields = coverFields(body.fields());
        String submission = randomId();
        List<JobMessage.Job> jobs = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            String number = numbers.get(i);
            long id = Jobs.insert(c, new Jobs.NewJob(caller.userId(), submission, number, JobState.QUEUED.wire(), subject, cover, resolution, at, docs), now);
            if (priority != 5) Jobs.setPriority(c, id, (int) priority);
            // A recipient named from the phonebook fills the cover page's To and Company; fields the caller gave win.
            Map<String, String> fields = new LinkedHashMap<>();
            Optional<Phonebook.Entry> contact = to.get(i).chars().anyMatch(Character::isLetter) ? Phonebook.find(c, caller.userId(), to.get(i).strip())
                    : Optional.empty();
            contact.ifPresent(e -> {
                fields.put("to", e.name());
                if (e.company() != null && !e.company().isBlank()) fields.put("to_company", e.company());
            });
            fields.putAll(coverFields);
            JobDetails.putCoverFields(c, id, fields);
            Jobs.updateState(c, id, JobState.QUEUED.wire(), waitReason(at, now), now);
            Jobs.Job j = Jobs.byId(c, id).orElseThrow();
            appendJobEvent(c, j, now, notify);
            jobs.add(job(c, j));
        }
        return new JobMessage.Submitted(submission, jobs);
    }

    /** Why a new job waits: its time has not come, or its turn (the dispatcher says more once it looks). */
    static String waitReason(Long at, long now) {
        if (at == null || at <= now) return "waiting to be sent";
        return "scheduled for " + java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(java.time.Instant.ofEpochMilli(at).atZone(java.time.ZoneId.systemDefault()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    /** Called after each committed submission, so the dispatcher can look at once. */
    public void onJobsSubmitted(Runnable r) {
        this.jobsSubmitted = r;
    }

    /** Called after a job was cancelled, so a call in progress is hung up. */
    public void onJobCancelled(java.util.function.LongConsumer c) {
        this.jobCancelled = c;
    }

    /**
     * Moves a job on for the dispatcher, with its event and alerts, if it is still in {@code from}.
     *
     * @return false when the job had moved meanwhile (cancelled), and nothing changed
     */
    public boolean transition(long jobId, JobState from, JobState to, String reason, Integer attempts, Long nextAttempt, Integer pages)
            throws Exception {
        List<Long> notify = new ArrayList<>();
        boolean moved = db.tx(c -> {
            long now = clock.millis();
            if (!Jobs.transition(c, jobId, from.wire(), to.wire(), reason, attempts, nextAttempt, pages, now)) return false;
            appendJobEvent(c, Jobs.byId(c, jobId).orElseThrow(), now, notify);
            return true;
        });
        for (long userId : notify) alerts.eventsAppended(userId);
        return moved;
    }

    private void appendJobEvent(Connection c, Jobs.Job j, long now, List<Long> notify) throws SQLException {
        JobEvents.append(c, j, now);
        notify.add(j.userId());
    }

    /** Appends job {@code j}'s change to its owner's event log, in the transaction {@code c} that made it. */
    private static Jobs.Job visibleJob(Connection c, Caller caller, long id) throws Exception {
        Optional<Jobs.Job> j = Jobs.byId(c, id);
        // Someone else's job answers exactly like a missing one: ids reveal nothing.
        if (j.isEmpty() || (!caller.isAdmin() && j.get().userId() != caller.userId())) {
            throw new CpiException(ErrorCode.NOT_FOUND, "no job " + id);
        }
        return j.get();
    }

    static JobMessage.Job job(Connection c, Jobs.Job j) throws SQLException {
        JobDetails.Details d = JobDetails.of(c, j);
        return new JobMessage.Job(j.id(), j.owner(), j.submission(), j.recipient(), j.state(), j.subject(), j.cover(), j.resolution(), j.sendAt(),
                j.created(), j.updated(), j.reason(), new ArrayList<>(j.documents()), new ArrayList<>(d.names()), (long) d.priority(),
                (long) d.attempts(), d.coverFields());
    }

    // ---- received faxes and routing ----

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
            throw cpi(e); // the fetch stream answers CPI errors itself
        }
        ReceivedFaxes.Fax f = d.fax();
        Fields header = encode(new InboxMessage.Fetched(id, d.offset(), f.size(), f.sha256()));
        return new Fetch(header, d.file(), d.offset(), f.size());
    }

    static InboxMessage.Fax fax(ReceivedFaxes.Fax f) {
        return new InboxMessage.Fax(f.id(), f.receivedAt(), f.line(), f.callerNumber(), f.calledNumber(), f.remoteIdent(), f.subaddress(),
                f.senderId(), (long) f.pages(), (long) f.badLines(), f.durationMs(), f.result(), f.size(), f.sha256(), f.mailbox(), f.read());
    }

    static RouteMessage.Route rule(RouteService.Rule r) {
        Routes.Match m = r.match();
        return new RouteMessage.Route(r.id(), (long) r.position(), m.calledNumber(), m.subaddress(), m.remoteIdent(), m.callerNumber(), m.line(),
                r.mailbox(), r.forward(), r.created());
    }

    // ---- alerts ----

    /** Where a subscription starts: the client's own cursor, else the stored one, else only new events. */
    public long subscriptionStart(Caller caller, Fields body) throws Exception {
        String subscriber = subscriber(body);
        Long asked = MessageCodec.decode(AlertMessage.Subscribe.class, body).from();
        if (asked != null) {
            long from = asked;
            if (from < 0) throw new CpiException(ErrorCode.BAD_REQUEST, "from must not be negative");
            return from;
        }
        return db.tx(c -> {
            long stored = Events.cursor(c, caller.userId(), subscriber);
            return stored >= 0 ? stored : Events.lastSeq(c, caller.userId());
        });
    }

    public static String subscriber(Fields body) throws CpiException {
        String named = MessageCodec.decode(AlertMessage.Subscribe.class, body).subscriber();
        String s = named != null ? named : "default";
        if (s.isEmpty() || s.length() > 64) throw new CpiException(ErrorCode.BAD_REQUEST, "subscriber name must be 1 to 64 characters");
        return s;
    }

    public List<Events.StoredEvent> eventsAfter(long userId, long after, int limit) throws Exception {
        return db.tx(c -> Events.after(c, userId, after, limit));
    }

    public long lastEventSeq(long userId) throws Exception {
        return db.tx(c -> Events.lastSeq(c, userId));
    }

    public void acknowledge(long userId, String subscriber, long seq) throws Exception {
        db.tx(c -> {
            Events.advanceCursor(c, userId, subscriber, seq);
            return null;
        });
    }

    public static Message.Event toMessage(Events.StoredEvent e) {
        try {
            return new Message.Event(e.seq(), e.type(), e.time(), Fields.of(Cbor.decode(e.body()), "event body"));
        } catch (CborException | CpiException ex) {
            throw new IllegalStateException("stored event " + e.seq() + " is corrupt", ex);
        }
    }

    // ---- administration ----

    /**
     * Creates the administrator on first start; returns the generated password if one was made.
     *
     * @throws IllegalArgumentException if {@code presetPassword} breaks the {@link PasswordRule}
     */
    public Optional<String> bootstrapAdmin(String presetPassword) throws Exception {
        if (presetPassword != null && !presetPassword.isEmpty()) {
            PasswordRule.problem(presetPassword).ifPresent(p -> {
                throw new IllegalArgumentException("administrator account: " + p);
            });
        }
        return db.tx(c -> {
            if (Users.count(c) > 0) return Optional.<String>empty();
            String pw = presetPassword != null && !presetPassword.isEmpty() ? presetPassword : generatedPassword();
            Users.insert(c, "admin", "admin", hasher.hash(pw.toCharArray()), clock.millis());
            return presetPassword != null && !presetPassword.isEmpty() ? Optional.<String>empty() : Optional.of(pw);
        });
    }

    /** Gives every account its personal mailbox (accounts made before mailboxes existed, the first admin). */
    public void ensurePersonalMailboxes() throws Exception {
        db.tx(c -> {
            for (Users.User u : Users.all(c)) {
                if (Mailboxes.personal(c, u.id()).isPresent()) continue;
                if (Mailboxes.byName(c, u.name()).isPresent()) {
                    log.warn("user {} has no personal mailbox: a shared mailbox has that name", u.name());
                    continue;
                }
                Mailboxes.insert(c, u.name(), u.id(), clock.millis());
            }
            return null;
        });
    }

    /** Tells live alert subscribers that a user's event log grew (after the commit that grew it). */
    public void eventsAppended(long userId) {
        alerts.eventsAppended(userId);
    }

    /** Housekeeping: forget expired sessions, old idempotency records and abandoned uploads. */
    public void purge() throws Exception {
        long now = clock.millis();
        db.tx(c -> {
            Sessions.deleteExpired(c, now);
            Idempotency.purge(c, now - IDEMPOTENCY_RETENTION_MS);
            return null;
        });
        alerts.sessionsEnded();
        uploads.purgeAbandoned();
    }

    private String generatedPassword() {
        final String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }

    private static String password(String s) throws ProblemException {
        return AccountService.password(s);
    }

    static PhonebookMessage.Contact contact(Phonebook.Entry e) {
        return new PhonebookMessage.Contact(e.id(), e.name(), e.company(), e.fax(), e.shared());
    }

    static final int MAX_COVER_FIELDS = 32;
    private static final Pattern COVER_FIELD_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    /** The submit's optional {@code fields}: cover page field names to text values. */
    private static Map<String, String> coverFields(Map<String, Object> given) throws CpiException, ProblemException {
        Map<String, String> out = new LinkedHashMap<>();
        if (given == null) return out;
        if (given.size() > MAX_COVER_FIELDS) throw new CpiException(ErrorCode.BAD_REQUEST, "give at most " + MAX_COVER_FIELDS + " cover page fields");
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!COVER_FIELD_NAME.matcher(e.getKey()).matches()) {
                throw new CpiException(ErrorCode.BAD_REQUEST, "cover page field names are a-z, 0-9 and _, starting with a letter: not \"" + e.getKey() + "\"");
            }
            if (!(e.getValue() instanceof String v)) throw new CpiException(ErrorCode.BAD_REQUEST, "cover page field " + e.getKey() + " must be text");
            out.put(e.getKey(), Checks.limited(v, 1000, "cover page field " + e.getKey()));
        }
        return out;
    }

    /** The request's body as its operation's record; a missing or mistyped field is BAD_REQUEST naming it. */
    private static <R extends Record> R read(Message.Request req, Class<R> type) throws CpiException {
        return MessageCodec.decode(type, req.body());
    }

    private static Fields encode(Record reply) {
        return MessageCodec.encode(reply);
    }

    private static MailboxMessage.Membership membership(MailboxService.Membership m) {
        return new MailboxMessage.Membership(m.mailbox(), m.user());
    }

    private static String orEmpty(String s) {
        return s != null ? s : "";
    }

    private String randomId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
