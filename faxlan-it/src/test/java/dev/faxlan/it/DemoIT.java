package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code bin/faxlan demo}, as a new user runs it: a real fax over the loopback line, received and stored. */
class DemoIT {

    @Test
    void theDemoSendsAndReceivesARealFax() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path launcher = root.resolve("bin/faxlan");
        assertThat(launcher).isExecutable();
        // The jar is built by this same Maven run (faxlan-launcher comes before faxlan-it), so the launcher only runs it.
        assertThat(root.resolve("faxlan-launcher/target/faxlan.jar")).exists();
        Cli.Result r = Cli.exec(List.of(launcher.toString(), "demo"), Map.of(), 180);
        assertThat(r.exitCode()).as("stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("job 1 to 0000: converting", "job 1 to 0000: dialing", "job 1 to 0000: done")
                .contains("job 1 to 0000: sending")
                .contains("fax 1 received in Unaddressed from 0000")
                .contains("received fax 1 on line loopback: 1 page(s) from 0000 to 0000, OK, in mailbox Unaddressed");
        Matcher pdf = Pattern.compile("as PDF to look at: (\\S+)").matcher(r.out());
        assertThat(pdf.find()).isTrue();
        assertThat(Files.readAllBytes(Path.of(pdf.group(1)))).startsWith("%PDF".getBytes());
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void theAudioDemoCarriesTheFaxAsG711OverRtp() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(root.resolve("faxlan-launcher/target/faxlan.jar")).exists();
        Cli.Result r = Cli.exec(List.of(root.resolve("bin/faxlan").toString(), "demo", "--audio"), Map.of(), 400);
        assertThat(r.exitCode()).as("stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
        assertThat(r.out()).contains("the loopback line 0000 carries faxes as G.711 audio over RTP (policy g711)")
                .contains("job 1 to 0000: done")
                .contains("received fax 1 on line loopback: 1 page(s) from 0000 to 0000, OK, in mailbox Unaddressed");
        assertThat(r.err()).doesNotContain("Exception");
    }
}
