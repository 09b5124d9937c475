package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.testkit.ExternalTool;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, fault 2: a data directory on a 20 MB file system, filled by uploads, refuses them with
 * DISK_FULL before it is full, logs little, and serves again by itself once space is freed.
 */
class DiskFullIT {
    static final long RESERVE = 4L << 20;
    // The loopback line takes it, and every job is sent far in the future: the jobs wait, nothing else is written.
    static final String TO = "0000";
    static final java.time.Instant LATER = java.time.Instant.parse(TestTrunk.LATER);

    @TempDir
    Path dir;
    Path disk;
    ServerChild server;

    @BeforeEach
    void mount() throws Exception {
        disk = Files.createDirectories(dir.resolve("disk"));
        ExternalTool.Result r = ExternalTool.run(List.of("mount", "-t", "tmpfs", "-o", "size=20m,mode=0700", "tmpfs", disk.toString()));
        if (r.exitCode() != 0) throw ExternalTool.unavailable("cannot mount a 20 MB tmpfs (needs root): " + r.all().strip());
    }

    @AfterEach
    void unmount() throws Exception {
        if (server != null) server.close();
        ExternalTool.run(List.of("umount", disk.toString()));
    }

    private Path randomFile(String name, int bytes, long seed) throws IOException {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return Files.write(dir.resolve(name), b);
    }

    /** Random words: a document the command's own check accepts, so the upload reaches the server. */
    private Path randomText(String name, int bytes, long seed) throws IOException {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(bytes);
        while (sb.length() < bytes) sb.append(r.nextInt(60) == 0 ? '\n' : r.nextInt(6) == 0 ? ' ' : (char) ('a' + r.nextInt(26)));
        return Files.writeString(dir.resolve(name), sb);
    }

    /** Writes {@code file} until the file system is full. */
    private static void fill(Path file) {
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) out.write(block);
        } catch (IOException full) {
            // no space left on the device
        }
    }

    @Test
    void uploadsAreRefusedBeforeTheDiskIsFullAndServiceComesBackWhenSpaceIsFreed() throws Exception {
        Path config = Files.writeString(dir.resolve("faxlan.properties"), "storage.reserve-bytes=" + RESERVE + "\n" + FastLoopback.PROPERTY);
        Path ballast = disk.resolve("ballast");
        Files.write(ballast, new byte[4 << 20]); // someone else's data, removed later to free space
        server = ServerChild.start(disk.resolve("data"), config, dir.resolve("logs"));
        FaxlanException.Refused refused = null;
        int accepted = 0;
        try (FaxlanClient admin = server.admin()) {
            for (int i = 0; i < 10 && refused == null; i++) {
                Path doc = randomFile("scan" + i + ".pdf", 3 << 20, i);
                try {
                    admin.submit(new SubmitRequest(List.of(TO), List.of(doc), "scan " + i, null, "fine", LATER));
                    accepted++;
                } catch (FaxlanException.Refused e) {
                    refused = e;
                }
            }
        }
        assertThat(accepted).as("uploads fit until the reserve").isPositive();
        assertThat(refused).as("an upload into the reserve is refused").isNotNull();
        assertThat(refused.code()).isEqualTo(ErrorCode.DISK_FULL);
        assertThat(refused.getMessage()).contains("bytes free").contains(String.valueOf(3 << 20)).contains(String.valueOf(RESERVE));

        // The command line: the server's refusal at once, exit 5, not 30 s of retries and "unreachable".
        Cli.Result cli = Cli.run(Map.of("FAXLAN_SERVER", "127.0.0.1:" + server.address().getPort(), "FAXLAN_USER", "admin", "FAXLAN_PASSWORD",
                ServerChild.ADMIN_PASSWORD, "XDG_CONFIG_HOME", dir.resolve("xdg").toString()), "submit", "--to", TO, "--at", TestTrunk.LATER,
                randomText("big.txt", 6 << 20, 99).toString());
        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(5);
        assertThat(cli.err()).contains("DISK_FULL").contains("bytes free").doesNotContain("\tat ").doesNotContain("unreachable");

        // Something else fills the disk to the last byte; the server answers, if anything, that its disk is full.
        fill(disk.resolve("filler"));
        for (int i = 0; i < 20; i++) {
            try (FaxlanClient c = server.client("admin", ServerChild.ADMIN_PASSWORD, Duration.ofSeconds(5))) {
                c.login();
                c.submit(new SubmitRequest(List.of(TO), List.of(randomFile("note" + i + ".txt", 200, 1000 + i)), "note", null, "fine", LATER));
            } catch (FaxlanException e) {
                // refused or failed while full
            }
        }

        Files.delete(disk.resolve("filler"));
        Files.delete(ballast);
        Path note = Files.writeString(dir.resolve("after.txt"), "Space is back.\n");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            try (FaxlanClient c = server.client("admin", ServerChild.ADMIN_PASSWORD, Duration.ofSeconds(10))) {
                c.login();
                List<Job> jobs = c.submit(new SubmitRequest(List.of(TO), List.of(note), "after", null, "fine", LATER));
                assertThat(jobs).extracting(Job::state).containsExactly("queued");
            }
        });
        assertThat(server.process().isAlive()).as("no restart").isTrue();
        long lines = server.log().lines().count() + Files.readString(dir.resolve("logs/server.out")).lines().count();
        System.out.println("DiskFullIT: " + accepted + " uploads of 3 MiB accepted, then " + refused.getMessage() + "; " + lines + " log lines; "
                + (server.log().contains("the database failed") ? "the database closed itself and was opened again" : "the database never failed"));
        assertThat(lines).as("log lines:\n" + server.log()).isLessThan(100);
    }

    /**
     * Issue 20: a spool of its own ({@code spool.dir}, as a cluster's nodes share one) on a small file system
     * while the data directory has room: the spool's free space decides, uploads are refused with DISK_FULL
     * once it nears its reserve, and taken again once space is freed there.
     */
    @Test
    void aSpoolOnAFileSystemOfItsOwnIsWatchedAndRefusesUploadsWhenItFills() throws Exception {
        Path spool = disk.resolve("spool");
        Path config = Files.writeString(dir.resolve("faxlan.properties"), "storage.reserve-bytes=" + RESERVE + "\nspool.dir=" + spool
                + "\nocr.enabled=false\n");
        server = ServerChild.start(dir.resolve("data"), config, dir.resolve("logs"));
        // Someone else's data on the spool's file system leaves 1 MiB above the reserve.
        long free = Files.getFileStore(disk).getUsableSpace();
        Path ballast = disk.resolve("ballast");
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            for (long left = free - RESERVE - (1 << 20); left > 0; left -= block.length) out.write(block, 0, (int) Math.min(block.length, left));
        }
        assertThat(Files.getFileStore(dir).getUsableSpace()).as("the data directory's file system has room").isGreaterThan(4 * RESERVE);
        Path scan = randomFile("scan.pdf", 3 << 20, 11);
        try (FaxlanClient admin = server.admin()) {
            FaxlanException.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(FaxlanException.Refused.class,
                    () -> admin.submit(new SubmitRequest(List.of(TO), List.of(scan), "scan", null, "fine", LATER)));
            assertThat(refused.code()).isEqualTo(ErrorCode.DISK_FULL);
            assertThat(refused.getMessage()).contains("bytes free").contains(String.valueOf(RESERVE));

            Files.delete(ballast);
            assertThat(admin.submit(new SubmitRequest(List.of(TO), List.of(scan), "scan", null, "fine", LATER))).extracting(Job::state)
                    .containsExactly("queued");
        }
    }

    /**
     * Issue 20: jobs accepted just before the disk fills are still sent and received (over the loopback line, which
     * stores the fax it receives): the reserve is what the server keeps for the work it has accepted (conversions,
     * received faxes, the database), which is why uploads stop at it. Submissions meanwhile are refused with
     * DISK_FULL (the command: one line, exit 5); nothing accepted is lost; submissions are taken again, without a
     * restart, once space is freed.
     */
    @Test
    void jobsAcceptedBeforeTheDiskFillsAreSentAndReceivedWhileNewOnesAreRefused() throws Exception {
        Path config = Files.writeString(dir.resolve("faxlan.properties"), "storage.reserve-bytes=" + RESERVE + "\nocr.enabled=false\n" + FastLoopback.PROPERTY);
        server = ServerChild.start(disk.resolve("data"), config, dir.resolve("logs"));
        // Someone else's data leaves just over the reserve free: room for a few letters, not for a scan.
        long free = Files.getFileStore(disk).getUsableSpace();
        Path ballast = disk.resolve("ballast");
        byte[] block = new byte[64 << 10];
        try (OutputStream out = Files.newOutputStream(ballast)) {
            for (long left = free - RESERVE - (256 << 10); left > 0; left -= block.length) out.write(block, 0, (int) Math.min(block.length, left));
        }
        try (FaxlanClient admin = server.client("admin", ServerChild.ADMIN_PASSWORD, Duration.ofSeconds(120))) {
            List<Long> accepted = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Path letter = Files.writeString(dir.resolve("letter" + i + ".txt"), "Letter " + i + ", sent while the disk fills.\n");
                accepted.add(admin.submit(new SubmitRequest(List.of(TO), List.of(letter), "letter " + i, null, "fine", null)).get(0).id());
            }
            FaxlanException.Refused refused = org.junit.jupiter.api.Assertions.assertThrows(FaxlanException.Refused.class, () -> admin.submit(
                    new SubmitRequest(List.of(TO), List.of(randomFile("scan.pdf", 1 << 20, 7)), "scan", null, "fine", null)));
            assertThat(refused.code()).isEqualTo(ErrorCode.DISK_FULL);
            Cli.Result cli = Cli.run(Map.of("FAXLAN_SERVER", "127.0.0.1:" + server.address().getPort(), "FAXLAN_USER", "admin", "FAXLAN_PASSWORD",
                    ServerChild.ADMIN_PASSWORD, "XDG_CONFIG_HOME", dir.resolve("xdg").toString()), 300, "submit", "--timeout", "120", "--to", TO,
                    randomText("report.txt", 1 << 20, 8).toString());
            assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(5);
            // One line for the refusal (a first contact also notes the server's identity, on a line of its own).
            assertThat(cli.err().lines().filter(l -> !l.contains("has identity")).count()).as(cli.err()).isEqualTo(1);
            assertThat(cli.err()).contains("DISK_FULL").contains("bytes free");

            // The accepted letters go out and come back in, on the reserve.
            Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> accepted.stream()
                    .map(admin::job).allMatch(j -> j.state().equals("done") || j.state().equals("failed")));
            for (long id : accepted) assertThat(admin.job(id).state()).as("job %d: %s", id, admin.job(id).reason()).isEqualTo("done");
            List<dev.faxlan.sdk.InboxFax> inbox = admin.inbox(null, false);
            assertThat(inbox).as("each letter received once").hasSize(accepted.size());
            for (dev.faxlan.sdk.InboxFax fax : inbox) {
                admin.fetch(fax.id(), dir.resolve("fax" + fax.id() + ".tif"), b -> {}); // checks its SHA-256
                assertThat(fax.pages()).isEqualTo(1);
            }
            assertThat(Files.getFileStore(disk).getUsableSpace()).as("the reserve was not used up").isPositive();

            Files.delete(ballast);
            Path after = randomFile("scan-after.pdf", 1 << 20, 9);
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                    admin.submit(new SubmitRequest(List.of(TO), List.of(after), "after", null, "fine", LATER)).size() == 1);
        }
        assertThat(server.process().isAlive()).as("no restart").isTrue();
    }
}
