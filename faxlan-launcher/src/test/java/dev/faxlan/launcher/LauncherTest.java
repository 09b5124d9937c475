package dev.faxlan.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.cli.Main;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LauncherTest {

    /** {@code faxlan --help} lists the commands in this order, as it did before they lived in two modules. */
    @Test
    void serverAndDemoComeFirstThenEveryClientCommandInItsOrder() {
        List<String> expected = new ArrayList<>(List.of("server", "demo", "smtp-gateway", "mail-poller"));
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
    void theSmtpGatewayWithoutAFaxDomainIsExit2WithOneLine() {
        CommandTreeTest.Run r = CommandTreeTest.run("smtp-gateway", "--listen", "127.0.0.1:0", "--server", "127.0.0.1");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("faxlan: smtp-gateway: fax.domain is missing (the mail domain whose addresses are fax numbers)" + System.lineSeparator());
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
}
