package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.message.JobMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.Operations;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One run of a crash test (CrashKillIT on one node, CrashKillOnThreeNodesIT on three): its scale, its
 * jobs' documents and numbers, when the kills fell, and what the submitter and the alert client
 * recorded meanwhile; the checks at the end are {@link CrashChecks}'. The scale is small by default,
 * so that {@code mvn verify} runs both; the README's command by name passes the full one (500 jobs,
 * 50 kills).
 */
public final class CrashRun {
    /** Jobs submitted: {@code -Dcrash.jobs}. */
    public static final int JOBS = Integer.getInteger("crash.jobs", 30);
    /** SIGKILLs during the flow: {@code -Dcrash.kills}. */
    public static final int KILLS = Integer.getInteger("crash.kills", 3);
    /** Calls each loopback line carries at once. */
    public static final int CHANNELS = 8;
    /** A kill falls this long after the server listens (or after the kill before), at random: "every few seconds". */
    public static final long KILL_AFTER_MIN_MS = 1_500;
    public static final long KILL_AFTER_MAX_MS = 6_000;

    /** When each kill was made: ms since the epoch, taken once the process was gone. */
    public final List<Long> kills = new CopyOnWriteArrayList<>();
    /** Job number to job id, for each acknowledged submission. */
    public final Map<Integer, Long> accepted = new ConcurrentHashMap<>();
    /** What went wrong in the submitter, the killer or a restart, for the assertion after the flow. */
    public final Queue<String> problems = new ConcurrentLinkedQueue<>();
    /** The alerts the alert client saw, in order. */
    public final List<Alert> seen = new CopyOnWriteArrayList<>();

    private final String test;
    private final Path dir;
    private final List<Path> documents = new ArrayList<>();
    private final long started = System.nanoTime();

    /** Writes the jobs' documents into {@code dir}: each names its job and number and carries a random token, so no two pages are alike. */
    public CrashRun(String test, Path dir) throws IOException {
        this.test = test;
        this.dir = dir;
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < JOBS; i++) {
            documents.add(Files.writeString(dir.resolve("job" + i + ".txt"), test + ", job " + i + " to " + number(i) + "\nToken "
                    + HexFormat.of().formatHex(random.generateSeed(8)) + "\n"));
        }
    }

    /** The number job {@code job} dials, its own: the faxes are counted by it at the receiving side. */
    public static String number(int job) {
        return "+1212555" + (1000 + job);
    }

    /**
     * The first wait before a failed call is tried again: a stall of the loaded machine fails a call now and
     * then (T.30 times out), and the default two minutes would leave the run waiting for that one job.
     */
    public static final int RETRY_FIRST_SECONDS = 5;

    /**
     * The server's properties for the run: the jobs' numbers as DIDs of its loopback line, with {@link #CHANNELS}
     * channels at {@link FastLoopback#SPEED}, and failed calls tried again after {@link #RETRY_FIRST_SECONDS}.
     */
    public static String serverProperties() {
        return "numbers.country-code=1\nnumbers.area-code=212\n" + FastLoopback.PROPERTY + "line.loopback.channels=" + CHANNELS + "\nline.loopback.dids="
                + IntStream.range(0, JOBS).mapToObj(CrashRun::number).collect(Collectors.joining(",")) + "\njobs.retry-first-seconds=" + RETRY_FIRST_SECONDS
                + "\n";
    }

    public List<Path> documents() {
        return documents;
    }

    /** Waits until the next kill is due: the fault's moment, chosen at random, and not a wait for anything. */
    public static void pauseBeforeKill(Random random) {
        long pause = KILL_AFTER_MIN_MS + (long) (random.nextDouble() * (KILL_AFTER_MAX_MS - KILL_AFTER_MIN_MS));
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
    }

    /**
     * Uploads job {@code i}'s document and submits it under the idempotency key {@code key} (the same at
     * each try of one job, so a retried submission makes no second job); records the job once acknowledged
     * and returns true. A refusal is recorded among the problems, and false returned: trying again would
     * not help. Any other {@link FaxlanException} (the server died under the request) is the caller's to retry.
     */
    public boolean submit(FaxlanClient client, int i, byte[] key) throws Exception {
        try {
            String sha = client.upload(documents.get(i), b -> {});
            JobMessage.Submit submit = new JobMessage.Submit(List.of(number(i)), List.of(sha), "crash " + i, null, "fine", null, null, null);
            Fields reply = client.call(Operations.op(submit), MessageCodec.encode(submit), key);
            List<JobMessage.Job> jobs = MessageCodec.decode(JobMessage.Submitted.class, reply).jobs();
            if (jobs.size() != 1) throw new AssertionError("job " + i + ": " + jobs.size() + " jobs made");
            accepted.put(i, jobs.get(0).id());
            return true;
        } catch (FaxlanException.Refused e) {
            problems.add("job " + i + " refused: " + e.getMessage());
            return false;
        }
    }

    /** Once the submitter and the killer are done: nothing went wrong, and every submission was acknowledged. */
    public void assertFlowEnded() {
        say("%d submissions acknowledged, %d kills", accepted.size(), kills.size());
        assertThat(problems).as("problems while submitting and killing").isEmpty();
        assertThat(accepted).as("every submission was acknowledged in the end").hasSize(JOBS);
    }

    /**
     * The checks once the jobs are drained ({@code jobs}, each in a final state): one {@code done} job per
     * submission, each fax received once, each the page its job sent (fetched through {@code client}).
     */
    public void assertJobsAndFaxes(FaxlanClient client, List<Job> jobs) throws Exception {
        CrashChecks.assertOneDoneJobPerSubmission(jobs, accepted, JOBS);
        Map<String, List<InboxFax>> byNumber = CrashChecks.assertEachFaxReceivedOnce(test, jobs, client.inbox(null, false), accepted, JOBS,
                CrashRun::number, kills);
        CrashChecks.assertFaxesAreThePagesSent(client, byNumber, documents, CrashRun::number, dir);
    }

    /** Prints a line of the run's figures, named by the test and with the seconds since the run began. */
    public void say(String format, Object... args) {
        System.out.printf("%s: %s (%.0f s in)%n", test, String.format(format, args), (System.nanoTime() - started) / 1e9);
    }

    /** Copies the servers' logs ({@code logs}: name to keep it under, file) to {@code target/folder}, where a failed run can be looked into. */
    public static void keepLogs(String folder, Map<String, Path> logs) throws IOException {
        Path keep = Files.createDirectories(Path.of("target", folder));
        for (Map.Entry<String, Path> log : logs.entrySet()) {
            if (Files.exists(log.getValue())) Files.copy(log.getValue(), keep.resolve(log.getKey()), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
