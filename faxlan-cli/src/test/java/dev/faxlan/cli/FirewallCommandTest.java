package dev.faxlan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Bad input to {@code faxlan firewall}: exit 2 and one line on stderr saying what is wrong. */
class FirewallCommandTest {
    private static String[] run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        int rc = cl.execute(args);
        return new String[] {String.valueOf(rc), err.toString()};
    }

    @Test
    void badInputIsOneLineAndExit2() {
        String[][] cases = {
            {"--clients fd00::/8", "faxlan: --clients fd00::/8 is IPv6 but the server address 192.0.2.10 is IPv4"},
            {"--clients 10.0.0.0/33", "faxlan: '10.0.0.0/33': the prefix length must be 0 to 32"},
            {"--format pf", "faxlan: --format must be nft or iptables, not 'pf'"},
            {"--port 0", "faxlan: --port 0 is not a port (1..65535)"},
            {"--config /nonexistent/faxlan.properties", "faxlan: cannot read /nonexistent/faxlan.properties: no such file"},
        };
        for (String[] c : cases) {
            String[] extra = c[0].split(" ");
            String[] args = new String[3 + extra.length];
            args[0] = "firewall";
            args[1] = "--server";
            args[2] = "192.0.2.10";
            System.arraycopy(extra, 0, args, 3, extra.length);
            String[] r = run(args);
            assertThat(r[0]).as(c[0]).isEqualTo("2");
            assertThat(r[1]).as(c[0]).isEqualTo(c[1] + System.lineSeparator());
        }
    }
}
