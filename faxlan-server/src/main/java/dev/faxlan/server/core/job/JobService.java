package dev.faxlan.server.core.job;

import dev.faxlan.server.core.AfterCommit;
import dev.faxlan.server.core.Checks;
import dev.faxlan.server.core.Notifications;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.core.cover.CoverService;
import dev.faxlan.server.core.phonebook.PhonebookService;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.service.JobEvents;
import dev.faxlan.server.service.JobState;
import dev.faxlan.server.service.NumberCheck;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.JobCalls;
import dev.faxlan.server.storage.JobDetails;
import dev.faxlan.server.storage.Jobs;
import dev.faxlan.server.storage.Phonebook;
import dev.faxlan.server.storage.Uploads;
import dev.faxlan.server.storage.Users;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Outgoing fax jobs: submit (one job per recipient), cancel, list and look at them, and move them on
 * for the dispatcher. Every change appends the job's event to its owner's log in the same
 * transaction; changes a door makes run in the transaction it gives, so it can commit its
 * idempotency record with them.
 */
public final class JobService {
    public static final int MAX_RECIPIENTS = 100;
    public static final int MAX_DOCUMENTS = 50;
    public static final int MAX_COVER_FIELDS = 32;
    private static final Pattern COVER_FIELD_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final List<String> RESOLUTIONS = List.of("standard", "fine", "superfine");

    /**
     * A submission as the caller gave it: recipients are numbers or phonebook names; {@code resolution},
     * {@code subject}, {@code cover}, {@code at}, {@code priority}, {@code fields} and {@code owner} may
     * be null. {@code owner} names the account the jobs are to belong to (null: the caller's own).
     */
    public record Submission(List<String> to, List<String> documents, String resolution, String subject, String cover, Long at, Long priority,
            Map<String, Object> fields, String owner) {
        public Submission(List<String> to, List<String> documents, String resolution, String subject, String cover, Long at, Long priority,
                Map<String, Object> fields) {
            this(to, documents, resolution, subject, cover, at, priority, fields, null);
        }
    }

    /** A job with what is kept beside it (document names, priority, attempts, cover page fields). */
    public record JobView(Job job, JobDetails.Details details) {}

    /** The jobs one submission made, under its submission id. */
    public record Submitted(String submission, List<JobView> jobs) {}

    private final Database db;
    private final Clock clock;
    private final NumberCheck numberCheck;
    private final Notifications notifications;
    private final SecureRandom random = new SecureRandom();

    /** @param numberCheck whether the server's lines can dial a number; {@code submit} refuses one they cannot */
    public JobService(Database db, Clock clock, NumberCheck numberCheck, Notifications notifications) {
        this.db = db;
        this.clock = clock;
        this.numberCheck = Objects.requireNonNull(numberCheck, "numberCheck");
        this.notifications = notifications;
    }

    /** Where committed changes are told: alert subscribers, the dispatcher. */
    public Notifications notifications() {
        return notifications;
    }

    /** The caller's jobs (an administrator's: everyone's); finished ones too when {@code all}. */
    public List<JobView> list(Caller caller, boolean all) throws SQLException {
        return db.tx(c -> {
            List<JobView> jobs = new ArrayList<>();
            for (Job j : Jobs.list(c, caller.isAdmin() ? null : caller.userId(), all, 10_000)) jobs.add(view(c, j));
            return jobs;
        });
    }

    public JobView get(Caller caller, long id) throws SQLException {
        return db.tx(c -> view(c, visible(c, caller, id)));
    }

    /** The calls of a job the caller may see, first attempt first: which media each used and why, its carrier. */
    public List<JobCalls.Call> calls(Caller caller, long id) throws SQLException {
        return db.tx(c -> {
            visible(c, caller, id);
            return JobCalls.of(c, id);
        });
    }

    /**
     * Makes one queued job per recipient; the dispatcher is told after the commit. The jobs belong to
     * the submission's owner (phonebook names and cover pages are the owner's, events go to the owner);
     * the documents must be the caller's own uploads.
     */
    public Submitted submit(Connection c, Caller caller, Submission s, AfterCommit after) throws SQLException {
        Caller owner = owner(c, caller, s.owner());
        List<String> to = s.to();
        if (to.isEmpty() || to.size() > MAX_RECIPIENTS) throw new ProblemException(Problem.INVALID, "give 1 to " + MAX_RECIPIENTS + " recipients");
        List<String> numbers = new ArrayList<>();
        for (String t : to) {
            String number = PhonebookService.recipient(c, owner, t);
            // A number no line can dial is refused here, before any job exists, rather than failing or waiting for good.
            Optional<String> why = numberCheck.whyNot(number);
            if (why.isPresent()) {
                throw new ProblemException(Problem.INVALID, (named(t) ? "\"" + t.strip() + "\": " : "") + why.get());
            }
            numbers.add(number);
        }
        List<String> docs = s.documents();
        if (docs.isEmpty() || docs.size() > MAX_DOCUMENTS) throw new ProblemException(Problem.INVALID, "give 1 to " + MAX_DOCUMENTS + " documents");
        for (String d : docs) {
            // Only documents this user uploaded may be sent: knowing a SHA-256 is not permission to fax someone else's document.
            if (!Spool.isSha256Hex(d) || Documents.size(c, d).isEmpty() || !Uploads.completedBy(c, caller.userId(), d)) {
                throw new ProblemException(Problem.UNKNOWN_DOCUMENT, "document " + d + " was never uploaded by " + caller.name());
            }
        }
        String resolution = s.resolution() != null ? s.resolution() : "fine";
        if (!RESOLUTIONS.contains(resolution)) {
            throw new ProblemException(Problem.INVALID, "resolution must be standard, fine or superfine, not " + resolution);
        }
        String subject = Checks.limited(s.subject(), 255, "subject");
        String cover = Checks.limited(s.cover(), 64, "cover");
        if (cover != null) CoverService.source(c, owner.userId(), cover); // an unknown cover page fails the submit, not the call
        Long at = s.at();
        long priority = s.priority() != null ? s.priority() : 5;
        if (priority < 0 || priority > 9) throw new ProblemException(Problem.INVALID, "priority must be 0 to 9, not " + priority);
        Map<String, String> coverFields = coverFields(s.fields());
        String submission = randomId();
        long now = clock.millis();
        Long submitter = owner.userId() == caller.userId() ? null : caller.userId();
        List<JobView> jobs = new ArrayList<>();
        for (int i = 0; i < numbers.size(); i++) {
            long id = Jobs.insert(c, new Jobs.NewJob(owner.userId(), submitter, submission, numbers.get(i), JobState.QUEUED.wire(), subject, cover, resolution,
                    at, docs), now);
            if (priority != 5) Jobs.setPriority(c, id, (int) priority);
            // A recipient named from the phonebook fills the cover page's To and Company; fields the caller gave win.
            Map<String, String> fields = new LinkedHashMap<>();
            Optional<Phonebook.Entry> contact = named(to.get(i)) ? Phonebook.find(c, owner.userId(), to.get(i).strip()) : Optional.empty();
            contact.ifPresent(e -> {
                fields.put("to", e.name());
                if (e.company() != null && !e.company().isBlank()) fields.put("to_company", e.company());
            });
            fields.putAll(coverFields);
            JobDetails.putCoverFields(c, id, fields);
            Jobs.updateState(c, id, JobState.QUEUED.wire(), waitReason(at, now), now);
            Job j = Jobs.byId(c, id).orElseThrow();
            appendEvent(c, j, now, after);
            jobs.add(view(c, j));
        }
        after.add(notifications::jobsSubmitted);
        return new Submitted(submission, jobs);
    }

    /**
     * Whom a submission's jobs belong to: the caller, or the account {@code name} when the caller may
     * submit for others. A plain user naming another is refused before the name is looked up, so the
     * answer tells them nothing about which accounts exist.
     */
    private static Caller owner(Connection c, Caller caller, String name) throws SQLException {
        if (name == null || name.equals(caller.name())) return caller;
        if (!caller.maySubmitForOthers()) {
            throw new ProblemException(Problem.NOT_PERMITTED,
                    "only an administrator or a gateway account may submit for another user; " + caller.name() + " is a " + caller.role());
        }
        Users.User u = Users.byName(c, name).orElseThrow(() -> new ProblemException(Problem.NOT_FOUND, "no user " + name));
        return new Caller(u.id(), u.name(), u.role(), caller.address());
    }

    /** Cancels a job that has not ended; a call in progress is hung up after the commit. */
    public JobView cancel(Connection c, Caller caller, long id, AfterCommit after) throws SQLException {
        Job j = visible(c, caller, id);
        if (JobState.fromWire(j.state()).terminal()) throw new ProblemException(Problem.CONFLICT, "job " + j.id() + " is already " + j.state());
        long now = clock.millis();
        Jobs.updateState(c, j.id(), JobState.CANCELLED.wire(), "cancelled by " + caller.name(), now);
        Job updated = Jobs.byId(c, j.id()).orElseThrow();
        appendEvent(c, updated, now, after);
        after.add(() -> notifications.jobCancelled(j.id()));
        return view(c, updated);
    }

    /**
     * Moves a job on for the dispatcher, with its event and alerts, if it is still in {@code from}.
     *
     * @return false when the job had moved meanwhile (cancelled), and nothing changed
     */
    public boolean transition(long jobId, JobState from, JobState to, String reason, Integer attempts, Long nextAttempt, Integer pages)
            throws SQLException {
        return transition(jobId, from, to, reason, attempts, nextAttempt, pages, c -> {});
    }

    /**
     * {@code converting} -> {@code dialing}, with the tag the attempt's Call-IDs begin with, in one commit:
     * durable before the call, so the receiving side's record of it is found after a crash.
     */
    public boolean dialing(long jobId, String reason, String callTag) throws SQLException {
        return transition(jobId, JobState.CONVERTING, JobState.DIALING, reason, null, null, null, c -> Jobs.callTag(c, jobId, callTag));
    }

    /** What a transition also writes, in its own transaction. */
    private interface AlsoWrite {
        void write(Connection c) throws SQLException;
    }

    private boolean transition(long jobId, JobState from, JobState to, String reason, Integer attempts, Long nextAttempt, Integer pages,
            AlsoWrite also) throws SQLException {
        AfterCommit after = new AfterCommit();
        boolean moved = db.tx(c -> {
            long now = clock.millis();
            if (!Jobs.transition(c, jobId, from.wire(), to.wire(), reason, attempts, nextAttempt, pages, now)) return false;
            also.write(c);
            appendEvent(c, Jobs.byId(c, jobId).orElseThrow(), now, after);
            return true;
        });
        after.run();
        return moved;
    }

    /** Why a new job waits: its time has not come, or its turn (the dispatcher says more once it looks). */
    public static String waitReason(Long at, long now) {
        if (at == null || at <= now) return "waiting to be sent";
        return "scheduled for " + DateTimeFormatter.ISO_OFFSET_DATE_TIME
                .format(Instant.ofEpochMilli(at).atZone(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS));
    }

    private void appendEvent(Connection c, Job j, long now, AfterCommit after) throws SQLException {
        JobEvents.append(c, j, now);
        long owner = j.userId();
        after.add(() -> notifications.eventsAppended(owner));
    }

    private static Job visible(Connection c, Caller caller, long id) throws SQLException {
        Optional<Job> j = Jobs.byId(c, id);
        // Someone else's job answers exactly like a missing one: ids reveal nothing.
        if (j.isEmpty() || (!caller.isAdmin() && j.get().userId() != caller.userId())) throw new ProblemException(Problem.NOT_FOUND, "no job " + id);
        return j.get();
    }

    private static JobView view(Connection c, Job j) throws SQLException {
        return new JobView(j, JobDetails.of(c, j));
    }

    /** A recipient written as a name (it has a letter) rather than a number. */
    private static boolean named(String to) {
        return to.chars().anyMatch(Character::isLetter);
    }

    /** The submission's optional cover page fields: names to text values. */
    private static Map<String, String> coverFields(Map<String, Object> given) {
        Map<String, String> out = new LinkedHashMap<>();
        if (given == null) return out;
        if (given.size() > MAX_COVER_FIELDS) throw new ProblemException(Problem.INVALID, "give at most " + MAX_COVER_FIELDS + " cover page fields");
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (!COVER_FIELD_NAME.matcher(e.getKey()).matches()) {
                throw new ProblemException(Problem.INVALID,
                        "cover page field names are a-z, 0-9 and _, starting with a letter: not \"" + e.getKey() + "\"");
            }
            if (!(e.getValue() instanceof String v)) throw new ProblemException(Problem.INVALID, "cover page field " + e.getKey() + " must be text");
            out.put(e.getKey(), Checks.limited(v, 1000, "cover page field " + e.getKey()));
        }
        return out;
    }

    private String randomId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
