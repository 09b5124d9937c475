package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentConverter;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What issue 20's crash tests check once the jobs have drained, on one node (CrashKillIT, H2) and on
 * three (CrashKillOnThreeNodesIT, PostgreSQL): every acknowledged submission is one job and {@code done},
 * its fax arrived exactly once (counted at the receiving side, by the number each job dials) with the
 * page that was sent, every stored document matches its SHA-256, the event log has no gap per user and
 * the alert client saw all of it. One place, so that what counts as a failure is the same for both.
 */
public final class CrashChecks {
    /** How far a kill's time (taken by the test after the process is gone) may stray from the window it fell in. */
    public static final long KILL_SLACK_MS = 500;

    private CrashChecks() {}

    /**
     * The jobs, once each is in a final state: one per acknowledged submission ({@code accepted}: job
     * number to job id), none made twice, each {@code done}.
     */
    public static void assertOneDoneJobPerSubmission(List<Job> jobs, Map<Integer, Long> accepted, int submissions) {
        assertThat(jobs).as("one job per submission, none made twice").hasSize(submissions);
        assertThat(jobs).extracting(Job::id).containsExactlyInAnyOrderElementsOf(accepted.values());
        List<String> notDone = jobs.stream().filter(j -> !j.state().equals("done")).map(j -> j.id() + " " + j.state() + ": " + j.reason()).toList();
        assertThat(notDone).as("jobs not done").isEmpty();
    }

    /**
     * Counts the faxes at the receiving side: job {@code i} dialled {@code number(i)}, a number of its own,
     * so each must have arrived once, a kill between the receiver's store and the sender's {@code done}
     * included. A fax that arrived twice is reported with the kills ({@code kills}, ms since the epoch) near
     * the end of its first copy, within the widest such window among the faxes received once. Prints the
     * counts and the window's width; returns the faxes received by number.
     */
    public static Map<String, List<InboxFax>> assertEachFaxReceivedOnce(String test, List<Job> jobs, List<InboxFax> inbox,
            Map<Integer, Long> accepted, int submissions, IntFunction<String> number, List<Long> kills) {
        // A reception that failed (a call cut off, or T.30 timed out on a loaded machine) is listed with no pages:
        // the sender retried it, so it is no copy of the fax.
        List<InboxFax> received = inbox.stream().filter(f -> f.pages() > 0).toList();
        System.out.printf("%s: %d failed receptions listed: %s%n", test, inbox.size() - received.size(),
                inbox.stream().filter(f -> f.pages() == 0).map(f -> f.did() + " " + f.result()).toList());
        Map<String, List<InboxFax>> byNumber = received.stream().collect(Collectors.groupingBy(InboxFax::did, TreeMap::new, Collectors.toList()));
        // The window at the end of a fax: from the receiver's end of the call (its fax stored) to the sender's
        // 'done'. A kill in it makes the sender call again, and the fax arrives twice.
        Map<Long, Job> byId = jobs.stream().collect(Collectors.toMap(Job::id, j -> j));
        List<Long> windows = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (int i = 0; i < submissions; i++) {
            List<InboxFax> copies = byNumber.getOrDefault(number.apply(i), List.of());
            if (copies.isEmpty()) missing.add(number.apply(i));
            if (copies.size() == 1) windows.add(byId.get(accepted.get(i)).updated() - end(copies.get(0)));
        }
        Collections.sort(windows);
        long widest = windows.isEmpty() ? 0 : windows.get(windows.size() - 1);
        for (int i = 0; i < submissions; i++) {
            List<InboxFax> copies = byNumber.getOrDefault(number.apply(i), List.of());
            if (copies.size() < 2) continue;
            long first = copies.stream().mapToLong(CrashChecks::end).min().orElseThrow();
            List<Long> near = kills.stream().map(k -> k - first).filter(d -> d > -KILL_SLACK_MS && d < widest + KILL_SLACK_MS).toList();
            String what = number.apply(i) + " x" + copies.size() + ", kills at " + near + " ms after the first copy's end";
            duplicates.add(what);
            if (near.isEmpty()) unexplained.add(what);
        }
        System.out.printf("%s: %d received (a call %.1f s on average), %d missing %s, %d duplicates %s%n", test, received.size(),
                received.stream().mapToLong(InboxFax::durationMs).average().orElse(0) / 1e3, missing.size(), missing, duplicates.size(), duplicates);
        System.out.printf("%s: end-of-fax window (receiver's call end .. sender's 'done'): least %d ms, p50 %d ms, p99 %d ms, widest %d ms%n", test,
                windows.isEmpty() ? 0 : windows.get(0), windows.isEmpty() ? 0 : windows.get(windows.size() / 2),
                windows.isEmpty() ? 0 : windows.get(windows.size() * 99 / 100), widest);
        System.out.printf("%s: %d job(s) found delivered when their cut-off call was taken back%n", test,
                jobs.stream().filter(j -> j.reason() != null && j.reason().startsWith("delivered:")).count());
        assertThat(missing).as("jobs done but never received").isEmpty();
        // A kill between the receiver's store and the sender's 'done' must not send the fax again: the cut-off
        // attempt is found delivered by its Call-ID. The kills near each extra copy say which window it fell in.
        assertThat(duplicates).as("jobs received more than once (%d with no kill near the end of their first copy)", unexplained.size()).isEmpty();
        assertThat(received).as("no other fax arrived").hasSize(submissions);
        return byNumber;
    }

    /** When the receiving side ended the call: its start and duration as it recorded them. */
    static long end(InboxFax fax) {
        return fax.received() + fax.durationMs();
    }

    /**
     * Each received fax (the first copy of each number's): its bytes match the SHA-256 the server recorded
     * (fetch checks), and its one page is the page job {@code i} sent ({@code docs.get(i)}, converted here).
     */
    public static void assertFaxesAreThePagesSent(FaxlanClient client, Map<String, List<InboxFax>> byNumber, List<Path> docs, IntFunction<String> number,
            Path dir) throws Exception {
        ConvertOptions options = ConvertOptions.of(Resolution.parse("fine"), PageSize.A4);
        for (int i = 0; i < docs.size(); i++) {
            InboxFax fax = byNumber.get(number.apply(i)).get(0);
            Path tiff = dir.resolve("received" + i + ".tif");
            client.fetch(fax.id(), tiff, b -> {});
            BilevelPage sent = new DocumentConverter(options).firstPage(List.of(docs.get(i)), List.of(docs.get(i).getFileName().toString()), null);
            try (TiffReader r = TiffReader.open(tiff)) {
                assertThat(r.pageCount()).as("pages of fax %d", i).isEqualTo(1);
                BilevelPage got = r.readPage(0).page();
                assertThat(got.height()).as("rows of fax %d", i).isEqualTo(sent.height());
                assertThat(Arrays.equals(got.buffer(), sent.buffer())).as("fax %d is the page job %d sent", i, i).isTrue();
            }
        }
    }

    /** Every document in the spool's {@code docs} directory is named by the SHA-256 of its bytes. */
    public static void assertSpoolIntact(Path docs) throws Exception {
        try (Stream<Path> files = Files.list(docs)) {
            for (Path f : files.toList()) {
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                assertThat(sha).as("document %s", f.getFileName()).isEqualTo(f.getFileName().toString());
            }
        }
    }

    /** The event log as the database holds it: each user's sequence numbers in order. */
    static Map<Long, List<Long>> eventLog(Connection db) throws Exception {
        Map<Long, List<Long>> log = new TreeMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT user_id, seq FROM events ORDER BY user_id, seq"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) log.computeIfAbsent(rs.getLong(1), u -> new ArrayList<>()).add(rs.getLong(2));
        }
        return log;
    }

    static long userId(Connection db, String name) throws Exception {
        try (PreparedStatement ps = db.prepareStatement("SELECT id FROM users WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("user %s", name).isTrue();
                return rs.getLong(1);
            }
        }
    }

    /** Each user's sequence numbers follow one another without a gap. */
    static void assertNoGap(Map<Long, List<Long>> log) {
        for (Map.Entry<Long, List<Long>> user : log.entrySet()) {
            List<Long> seqs = user.getValue();
            assertThat(seqs).as("event log of user %d has no gap", user.getKey())
                    .isEqualTo(Stream.iterate(seqs.get(0), s -> s + 1).limit(seqs.size()).toList());
        }
    }

    /** The administrator's events in the log {@code db} holds, once the log of every user was found without a gap. */
    public static List<Long> adminLog(Connection db) throws Exception {
        Map<Long, List<Long>> log = eventLog(db);
        assertNoGap(log);
        return log.get(userId(db, "admin"));
    }

    /** The alert client saw every event of its user's log ({@code log}, in order), once each, in order. */
    public static void assertAlertsSawTheLog(List<Alert> seen, List<Long> log) {
        long last = log.get(log.size() - 1);
        assertThat(seen.stream().map(Alert::seq).filter(s -> s <= last).toList()).as("the alert client saw every event of the log, once, in order")
                .isEqualTo(log);
    }
}
