package dev.faxlan.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.it.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 20, operations: {@code faxlan server --check-config} judges a configuration and starts nothing. */
class CheckConfigIT {
    @TempDir
    Path dir;

    @Test
    void aGoodConfigurationIsValidAndNothingIsCreated() throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("good.properties"), "port=4644\nbind=127.0.0.1\nmetrics.listen=127.0.0.1:9464\nlog.format=json\n"
                + "jobs.max-pages=50\njobs.retry-first-seconds=30\nline.office.registrar=sip.example.net\nline.office.user=office\nline.office.number=+15550100\n");
        Cli.Result r = Cli.run(Map.of(), "server", "--check-config", "--config", config.toString(), "--data", data.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().strip().lines()).as(r.toString()).hasSize(1).first().asString().contains("valid").contains("metrics on http");
        assertThat(Files.exists(data)).as("nothing was created").isFalse();
    }

    @Test
    void eachProblemIsOneLineAndTheExitCodeSaysUsage() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        Path config = Files.writeString(dir.resolve("bad.properties"), "port=forty\nmetrics.listen=everywhere\nlog.format=xml\n"
                + "jdbc.url=mysql://db/fax\nocr.enabled=perhaps\njobs.max-pages=-3\njobs.retry-first-seconds=0\n");
        Cli.Result r = Cli.run(Map.of(), "server", "--check-config", "--config", config.toString(), "--data", notADirectory.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip().lines().toList()).as(r.toString()).hasSize(8).allSatisfy(l -> assertThat(l).startsWith("faxlan: "))
                .anySatisfy(l -> assertThat(l).contains("port").contains("forty"))
                .anySatisfy(l -> assertThat(l).contains("metrics.listen").contains("everywhere"))
                .anySatisfy(l -> assertThat(l).contains("log.format").contains("xml"))
                .anySatisfy(l -> assertThat(l).contains("jdbc.url").contains("mysql"))
                .anySatisfy(l -> assertThat(l).contains("ocr.enabled"))
                .anySatisfy(l -> assertThat(l).contains("page limit"))
                .anySatisfy(l -> assertThat(l).contains("jobs.retry-first-seconds").contains("not 0"))
                .anySatisfy(l -> assertThat(l).contains("not a directory"));
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnreachableDatabaseIsReportedWithItsOwnExitCode() throws Exception {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        Path config = Files.writeString(dir.resolve("pg.properties"), "jdbc.url=jdbc:postgresql://127.0.0.1:1/faxlan\n");
        Cli.Result r = Cli.run(Map.of("FAXLAN_DB_USER", "faxlan", "FAXLAN_DB_PASSWORD", "not-on-the-command-line"), "server", "--check-config",
                "--config", config.toString(), "--data", dir.resolve("data").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1).first().asString().contains("cannot reach the database")
                .contains("127.0.0.1:1").doesNotContain("not-on-the-command-line");
    }

    @Test
    void aMissingConfigFileIsAUsageError() throws Exception {
        Cli.Result r = Cli.run(Map.of(), "server", "--check-config", "--config", dir.resolve("absent.properties").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1).first().asString().contains("absent.properties");
    }
}
