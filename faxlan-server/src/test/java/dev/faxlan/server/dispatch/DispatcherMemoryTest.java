package dev.faxlan.server.dispatch;

import dev.faxlan.server.core.job.Job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.lines.CallOutcome;
import dev.faxlan.lines.CallResult;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.Jobs;
import dev.faxlan.server.storage.Users;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs whose pages together decode to far more than the heap, sent by a dispatcher in a JVM with a
 * small heap ({@value #HEAP}): the dispatcher must hand the line one page at a time, never the whole
 * job, and refuse pages longer than a fax page before decoding them.
 */
class DispatcherMemoryTest {
    static final String HEAP = "-Xmx128m";
    /** 300 pages of 2800 rows (just under B4 at fine): 181 MB decoded, a few KB as G4. */
    static final int PAGES = 300;
    static final int ROWS = 2800;

    @TempDir
    Path dir;

    @Test
    void aJobLargerThanTheHeapIsSentPageByPage() throws Exception {
        String out = runChild(PAGES, ROWS);
        assertThat(out).as(out).contains("job state: done, pages read by the line: " + PAGES).doesNotContain("OutOfMemoryError");
    }

    @Test
    void theTallPageAttackFailsItsJobWithinTheSmallHeap() throws Exception {
        // Issue 11: 460 blank pages of 1728 x 65,535 (6.5 GB decoded) as a few MB of G4.
        String out = runChild(460, 65_535);
        assertThat(out).as(out).contains("job state: failed, pages read by the line: 0").contains("page 1 is 65535 rows long")
                .doesNotContain("OutOfMemoryError");
    }

    private String runChild(int pages, int rows) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), HEAP, "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString(),
                String.valueOf(pages), String.valueOf(rows)).redirectErrorStream(true).start();
        String out;
        try (var in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The server side of the test, in the small heap. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            int pageCount = Integer.parseInt(args[1]);
            int rows = Integer.parseInt(args[2]);
            Clock clock = Clock.systemUTC();
            try (Database db = Database.embedded(dir)) {
                Spool spool = new Spool(dir.resolve("spool"));
                CpiService service = new CpiService(db, spool, clock, "test", "0", new byte[32], 1 << 20);
                long user = db.tx(c -> Users.insert(c, "alice", "user", "not-a-real-hash", clock.millis()));
                Path tiff = dir.resolve("long.tif");
                BilevelPage blank = new BilevelPage(1728, rows, 204, 196);
                try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tiff));
                        TiffWriter w = new TiffWriter(os, TiffWriteOptions.of(TiffEncoding.G4).withTotalPages(pageCount))) {
                    for (int i = 0; i < pageCount; i++) w.writePage(blank);
                }
                String sha = Spool.sha256(tiff);
                Files.move(tiff, spool.document(sha));
                long size = Files.size(spool.document(sha));
                db.tx(c -> {
                    Documents.insertIfAbsent(c, sha, size, clock.millis());
                    return Jobs.insert(c, new Jobs.NewJob(user, "m1", "+15550100", "queued", "big", null, "fine", null, List.of(sha)), clock.millis());
                });
                int[] read = {0};
                Dispatcher.Channel line = new Dispatcher.Channel() {
                    public String name() {
                        return "counting";
                    }

                    public int freeChannels() {
                        return 1;
                    }

                    public CompletableFuture<CallResult> send(String number, OutgoingPages pages, int stepDown, Dispatcher.CallProgress progress) {
                        progress.sending("");
                        try {
                            for (int i = 0; i < pages.count(); i++) {
                                if (pages.page(i).height() > 0) read[0]++;
                            }
                        } catch (java.io.IOException e) {
                            return CompletableFuture.failedFuture(e);
                        }
                        return CompletableFuture.completedFuture(new CallResult(CallOutcome.SUCCESS, null, 200, "", read[0], "", 1));
                    }
                };
                try (Dispatcher d = new Dispatcher(db, spool, service.jobs(), n -> Optional.of(line), clock, RetryPolicy.DEFAULT)) {
                    for (CompletableFuture<Void> f : d.tick()) {
                        try {
                            f.join();
                        } catch (RuntimeException e) {
                            System.out.println("transmission failed: " + e.getCause());
                        }
                    }
                }
                Job job = db.tx(c -> Jobs.byId(c, 1).orElseThrow());
                System.out.println("job state: " + job.state() + ", pages read by the line: " + read[0] + ", reason: " + job.reason());
                // Only a job stuck mid-attempt is a failure of the child itself.
                System.exit(job.state().equals("done") || job.state().equals("failed") ? 0 : 1);
            }
        }
    }
}
