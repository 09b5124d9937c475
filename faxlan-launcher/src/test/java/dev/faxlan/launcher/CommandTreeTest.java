package dev.faxlan.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command and subcommand, taken from the command tree itself so that new ones are covered too. */
class CommandTreeTest {
    record Run(int exitCode, String out, String err) {}

    /** Runs the command in this JVM as {@code main} would, capturing what it prints. */
    static synchronized Run run(String... args) {
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            int rc = Launcher.run(args);
            return new Run(rc, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** The qualified names of every command in the tree: "faxlan", "faxlan submit", "faxlan phonebook add", ... */
    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        walk(Launcher.commandLine(), names);
        return names.stream();
    }

    private static void walk(CommandLine cl, List<String> names) {
        names.add(cl.getCommandSpec().qualifiedName());
        for (CommandLine sub : new java.util.LinkedHashSet<>(cl.getSubcommands().values())) walk(sub, names);
    }

    private static String[] args(String qualifiedName, String... more) {
        List<String> a = new ArrayList<>(Arrays.asList(qualifiedName.split(" ")).subList(1, qualifiedName.split(" ").length));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void theTreeHasTheNestedCommands() {
        assertThat(commands()).contains("faxlan", "faxlan submit", "faxlan phonebook add", "faxlan router add", "faxlan user add",
                "faxlan user passwd", "faxlan cover render", "faxlan version").hasSizeGreaterThan(35);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void longHelpExitsZeroWithAUsageLineNamingTheCommand(String command) {
        Run r = run(args(command, "--help"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).startsWith("Usage: " + command);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void shortHelpExitsZeroWithAUsageLineNamingTheCommand(String command) {
        Run r = run(args(command, "-h"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).startsWith("Usage: " + command);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void anUnknownOptionExitsTwoWithAHintNamingTheCommand(String command) {
        Run r = run(args(command, "--no-such-option"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        // A command with a required parameter may report that first; either way the hint names the command.
        assertThat(r.err()).as(r.toString()).startsWith("faxlan: ").endsWith("Try '" + command + " --help'." + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void theSummaryInTheCommandListIsAWholeSentence(String command) {
        CommandLine cl = Launcher.commandLine();
        for (String name : args(command)) cl = cl.getSubcommands().get(name);
        CommandLine.Model.UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
        String summary = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
        assertThat(summary).as(command).endsWith(".").doesNotContain("\n");
    }

    @Test
    void anUnknownCommandHintsAtTheTopLevelHelp() {
        Run r = run("no-such-command");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).endsWith("Try 'faxlan --help'." + System.lineSeparator()).doesNotContain("faxlan faxlan");
    }

    @Test
    void bareFaxlanPrintsUsageToStderrAndExitsTwo() {
        Run r = run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("Usage: faxlan").contains("submit").contains("phonebook");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpReachesNestedCommandsAndRefusesUnknownOnes() {
        Run nested = run("help", "phonebook", "add");
        assertThat(nested.exitCode()).as(nested.toString()).isZero();
        assertThat(nested.out()).startsWith("Usage: faxlan phonebook add");
        Run unknown = run("help", "no-such-command");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("no-such-command").endsWith("Try 'faxlan help --help'." + System.lineSeparator());
    }

    @Test
    void versionCommandAndOptionPrintTheVersion() {
        assertThat(run("--version").out()).startsWith("faxlan ");
        assertThat(run("submit", "--version").out()).startsWith("faxlan ");
    }
}
