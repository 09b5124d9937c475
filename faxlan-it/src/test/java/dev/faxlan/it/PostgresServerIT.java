package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.testkit.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faxlan server} on a real PostgreSQL, configured only by the environment
 * ({@code FAXLAN_DB_URL}, {@code FAXLAN_DB_USER}, {@code FAXLAN_DB_PASSWORD_FILE}).
 */
class PostgresServerIT {
    private static PostgresCluster pg;
    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = PostgresCluster.startWithoutFsync();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    private Map<String, String> env(String url, Path passwordFile) {
        return Map.of("FAXLAN_DB_URL", url, "FAXLAN_DB_USER", pg.user(), "FAXLAN_DB_PASSWORD_FILE", passwordFile.toString());
    }

    /** A config file with nothing but the loopback line's speed: the database is still configured by the environment alone. */
    private Path fastLoopback() throws java.io.IOException {
        return Files.writeString(dir.resolve("fast-loopback.properties"), FastLoopback.PROPERTY);
    }

    @Test
    void aServerOnPostgresqlSendsAFaxOverItsLoopbackLineAndReceivesIt() throws Exception {
        String url = pg.jdbcUrl(pg.createDatabase());
        Path doc = Files.writeString(dir.resolve("letter.txt"), "Dear Sir,\nplease find our offer.\n");
        try (ServerChild server = ServerChild.start(dir.resolve("data"), fastLoopback(), dir.resolve("logs"), "child", env(url, pg.writePasswordFile(dir.resolve("db.pw"))));
                FaxlanClient admin = server.admin()) {
            long id = admin.submit(new SubmitRequest(List.of("0000"), List.of(doc), "on postgres", null, "fine", null)).get(0).id();
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> admin.job(id).state(), s -> s.equals("done") || s.equals("failed"));
            assertThat(admin.job(id).state()).as(server.log()).isEqualTo("done");
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> admin.inbox("Unaddressed", false).size() == 1);
            assertThat(server.log()).doesNotContain(pg.password());
        }
        // The rows are in PostgreSQL, not in an H2 file in the data directory.
        try (var c = java.sql.DriverManager.getConnection(url, pg.user(), pg.password()); var st = c.createStatement();
                var rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM jobs), (SELECT COUNT(*) FROM received_faxes)")) {
            rs.next();
            assertThat(List.of(rs.getLong(1), rs.getLong(2))).containsExactly(1L, 1L);
        }
        assertThat(dir.resolve("data").resolve("db")).doesNotExist();
    }

    @Test
    void aWrongDatabasePasswordIsOneClearLineAndExitCode3() throws Exception {
        String url = pg.jdbcUrl(pg.createDatabase());
        Path wrong = Files.writeString(dir.resolve("wrong.pw"), "not-the-password\n");
        Cli.Result r = Cli.run(env(url, wrong), "server", "--data", dir.resolve("data").toString(), "--bind", "127.0.0.1", "--port", "0");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).as(r.toString()).contains("the database refused the login at " + url).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsOneClearLineAndExitCode4() throws Exception {
        // TCP port 1 (tcpmux), which nothing on a test machine serves: refused at once, like a stopped database.
        String url = "jdbc:postgresql://127.0.0.1:1/faxlan";
        Cli.Result r = Cli.run(env(url, pg.writePasswordFile(dir.resolve("db.pw"))), "server", "--data", dir.resolve("data").toString(),
                "--bind", "127.0.0.1", "--port", "0");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).as(r.toString()).contains("cannot reach the database at " + url).doesNotContain("\tat ");
    }

    @Test
    void aPasswordInTheDatabaseUrlIsRefusedWithoutPrintingIt() throws Exception {
        String url = pg.jdbcUrl(pg.createDatabase()) + "?password=" + pg.password();
        Cli.Result r = Cli.run(Map.of("FAXLAN_DB_URL", url), "server", "--data", dir.resolve("data").toString(), "--bind", "127.0.0.1", "--port", "0");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("carries a password").doesNotContain(pg.password());
    }
    @Test
    void migrateToCopiesAStoppedServersH2DatabaseAndAServerOnPostgresqlServesTheSameJobsAndInbox() throws Exception {
        Path data = dir.resolve("data");
        Path doc = Files.writeString(dir.resolve("letter.txt"), "Dear Sir,\nplease find our offer.\n");
        char[] alicePw = "alice-password-1".toCharArray();
        long aliceJob;
        long faxId;
        String url = pg.jdbcUrl(pg.createDatabase());
        Map<String, String> dbEnv = Map.of("FAXLAN_DB_USER", pg.user(), "FAXLAN_DB_PASSWORD_FILE", pg.writePasswordFile(dir.resolve("db.pw")).toString());
        ServerChild h2 = ServerChild.start(data, fastLoopback(), dir.resolve("logs-h2"));
        try (FaxlanClient admin = h2.admin()) {
            admin.addUser("alice", alicePw, "user");
            admin.addMailbox("Legal");
            try (FaxlanClient alice = h2.client("alice", new String(alicePw), Duration.ofSeconds(30))) {
                aliceJob = alice.submit(new SubmitRequest(List.of("0000"), List.of(doc), "before the move", null, "fine", null)).get(0).id();
                Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                        .until(() -> alice.job(aliceJob).state(), s -> s.equals("done") || s.equals("failed"));
                assertThat(alice.job(aliceJob).state()).as(h2.log()).isEqualTo("done");
            }
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> admin.inbox("Unaddressed", false).size() == 1);
            faxId = admin.inbox("Unaddressed", false).get(0).id();
            Cli.Result inUse = Cli.run(dbEnv, "db", "migrate-to", url, "--data", data.toString());
            assertThat(inUse.exitCode()).as(inUse.toString()).isEqualTo(1);
            assertThat(inUse.err()).as(inUse.toString()).contains("in use by a running faxlan server").doesNotContain("\tat ");
        } finally {
            h2.terminate().waitFor();
        }

        Cli.Result moved = Cli.run(dbEnv, "db", "migrate-to", url, "--data", data.toString());
        assertThat(moved.exitCode()).as(moved.toString()).isEqualTo(0);
        assertThat(moved.out()).as(moved.toString()).containsPattern("jobs +1\\b").containsPattern("received_faxes +1\\b").contains("next:");
        Cli.Result again = Cli.run(dbEnv, "db", "migrate-to", url, "--data", data.toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).as(again.toString()).contains("already has data");

        Map<String, String> serverEnv = new java.util.HashMap<>(dbEnv);
        serverEnv.put("FAXLAN_DB_URL", url);
        try (ServerChild server = ServerChild.start(data, fastLoopback(), dir.resolve("logs-pg"), "child", serverEnv); FaxlanClient admin = server.admin();
                FaxlanClient alice = server.client("alice", new String(alicePw), Duration.ofSeconds(30))) {
            assertThat(alice.jobs(true)).extracting(Job::id, Job::state).containsExactly(org.assertj.core.api.Assertions.tuple(aliceJob, "done"));
            assertThat(admin.inbox("Unaddressed", false)).extracting(f -> f.id()).containsExactly(faxId);
            assertThat(admin.mailboxes()).extracting(FaxlanClient.MailboxInfo::name).contains("Legal", "alice", "Unaddressed");
            // New rows get ids past the copied ones.
            long next = alice.submit(new SubmitRequest(List.of("0000"), List.of(doc), "after the move", null, "fine", null)).get(0).id();
            assertThat(next).isGreaterThan(aliceJob);
            admin.addUser("bob", "bob-password-1".toCharArray(), "user");
            assertThat(admin.users()).extracting(u -> u.name()).contains("admin", "alice", "bob");
        }
    }
}
