package dev.faxlan.mail.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input to {@code faxlan smtp-gateway}: exit 2, one line per problem, no stack trace. */
class SmtpGatewayCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String err) {}

    Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new SmtpGatewayCommand()).setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), err.toString());
    }

    @Test
    void everyProblemOfTheFileIsListedOneLineEach() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gw.properties"), "fax.domain=fax example\nmax.recipients=many\naddress.pattern=[0-9\nmax.conections=5\n");
        Run r = run("--listen", "127.0.0.1:0", "--server", "127.0.0.1", "--config", cfg.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(5).allMatch(l -> l.startsWith("faxlan: " + cfg + ": "));
        assertThat(r.err()).contains("fax.domain 'fax example' is not a domain name", "max.recipients must be a whole number",
                "address.pattern is not a regular expression", "unknown setting 'max.conections'", "no sender can log in")
                .doesNotContain("Exception");
    }

    @Test
    void aMissingFileOrAddressIsOneLine() throws Exception {
        Run missing = run("--listen", "127.0.0.1:0", "--server", "127.0.0.1", "--config", dir.resolve("none").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("faxlan: " + dir.resolve("none") + ": no such file" + System.lineSeparator());
        Path cfg = Files.writeString(dir.resolve("gw.properties"), "fax.domain=fax.example.org\nauth.without.tls=loopback\n");
        Run noPort = run("--listen", "127.0.0.1", "--server", "127.0.0.1", "--config", cfg.toString());
        assertThat(noPort.exit()).isEqualTo(2);
        assertThat(noPort.err()).isEqualTo("faxlan: --listen must be ADDR:PORT with a port from 0 to 65535, not '127.0.0.1'" + System.lineSeparator());
    }

    @Test
    void recipientsAreNumbersInTheFaxDomain() throws Exception {
        SmtpGatewayConfig c = SmtpGatewayConfig.parse(props("fax.domain", "Fax.Example.org", "auth.without.tls", "loopback"));
        assertThat(c.numberOf("+4930123456@fax.example.org")).isEqualTo("+4930123456");
        assertThat(c.numberOf("0000@FAX.EXAMPLE.ORG")).isEqualTo("0000");
        assertThat(c.numberOf("bob@fax.example.org")).isNull();
        assertThat(c.numberOf("0000@example.org")).isNull();
        assertThat(c.isFaxDomain("bob@fax.example.org")).isTrue();
    }

    private static java.util.Properties props(String... kv) {
        java.util.Properties p = new java.util.Properties();
        for (int i = 0; i < kv.length; i += 2) p.setProperty(kv[i], kv[i + 1]);
        return p;
    }
}
