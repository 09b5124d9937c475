package dev.faxlan.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.cli.Main;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherTest {

    /** {@code faxlan --help} lists the commands in this order: the server-side ones (with {@code db}), then the client commands as they were before they lived in two modules. */
    @Test
    void serverAndDemoComeFirstThenEveryClientCommandInItsOrder() {
        List<String> expected = new ArrayList<>(List.of("server", "demo", "db", "smtp-gateway", "mail-poller", "mail-out", "web", "ipp"));
        expected.addAll(Main.commandLine().getSubcommands().keySet());
        assertThat(Launcher.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(expected);
        assertThat(expected).contains("servers", "submit", "help").doesNotHaveDuplicates();
    }

    @Test
    void theClientCommandsAloneHaveNeitherServerNorDemo() {
        assertThat(Main.commandLine().getSubcommands()).doesNotContainKeys("server", "demo");
    }

    @Test
    void serverAndDemoShareTheErrorHandlingOfTheOtherCommands() {
        CommandTreeTest.Run r = CommandTreeTest.run("server", "--port", "70000");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).startsWith("faxlan: ").contains("70000");
    }

    @Test
    void theSmtpGatewayWithoutAConfigurationIsExit2WithOneLinePerProblem() {
        CommandTreeTest.Run r = CommandTreeTest.run("smtp-gateway", "--listen", "127.0.0.1:0", "--server", "127.0.0.1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        // no fax domain, and no way for a sender to get in (no certificate for STARTTLS, no auth.without.tls, no allow-list)
        assertThat(r.err().lines()).containsExactly(
                "faxlan: smtp-gateway: fax.domain is missing (the mail domain whose addresses are fax numbers)",
                "faxlan: smtp-gateway: no sender can log in: AUTH needs STARTTLS (set tls.certificate and tls.key), or set"
                        + " auth.without.tls=loopback to let clients on this host log in without it (or let allow-listed senders in"
                        + " without AUTH: senders.file)");
    }

    @Test
    void theMailPollerWithAnEmptyConfigurationListsEveryMissingSettingAndExits2() throws Exception {
        java.nio.file.Path cfg = java.nio.file.Files.createTempFile("poller", ".properties");
        try {
            CommandTreeTest.Run r = CommandTreeTest.run("mail-poller", "--server", "127.0.0.1", "--config", cfg.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().lines()).allMatch(l -> l.startsWith("faxlan: " + cfg + ": ")).anyMatch(l -> l.contains("imap.host is missing"))
                    .anyMatch(l -> l.contains("smarthost.host is missing"));
            assertThat(r.err()).doesNotContain("Exception");
        } finally {
            java.nio.file.Files.delete(cfg);
        }
    }

    @Test
    void mailOutListsEveryProblemOfItsConfigurationOneLineEachAndExits2() throws Exception {
        java.nio.file.Path cfg = java.nio.file.Files.createTempFile("mail-out", ".properties");
        try {
            java.nio.file.Files.writeString(cfg, "reports.default=maybe\nsmarthost.host=mail.example.org\nsmarthost.from=fax@example.org\ncolour=blue\n");
            CommandTreeTest.Run r = CommandTreeTest.run("mail-out", "--server", "127.0.0.1", "--config", cfg.toString());
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().lines()).allMatch(l -> l.startsWith("faxlan: " + cfg + ": ")).anyMatch(l -> l.endsWith("unknown setting 'colour'"))
                    .anyMatch(l -> l.contains("server.user is missing")).anyMatch(l -> l.contains("server.password.file is missing"))
                    .anyMatch(l -> l.contains("state.file is missing")).anyMatch(l -> l.contains("reports.default must be on or off, not 'maybe'"))
                    .hasSize(5);
        } finally {
            java.nio.file.Files.delete(cfg);
        }
    }
}
