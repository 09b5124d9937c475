package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanException;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The client commands of {@code faxlan}; faxlan-launcher puts {@code server} and {@code demo} in front of them. */
@Command(name = "faxlan", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Network fax server and clients: CPI over UDP 4644, faxes over T.38/SIP.",
        subcommands = {ServersCommand.class, SubmitCommand.class, JobsCommand.class,
                JobCommand.class, CancelCommand.class, AlertCommand.class, UserCommand.class, ApiKeyCommand.class, FirewallCommand.class, RelayCommand.class,
                ConvertCommand.class, ViewCommand.class, InboxCommand.class, FetchCommand.class, RouterCommand.class, PhonebookCommand.class, CoverCommand.class, MailboxCommand.class,
                VersionCommand.class, HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    /** The version in this jar's manifest; the fallback is for classes run from a build directory. */
    public static final String VERSION = java.util.Objects.requireNonNullElse(Main.class.getPackage().getImplementationVersion(), "0.1.0");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (PRODUCT.md §3). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The client command tree, with the error handling every command shares. {@code leadingCommands}
     * (picocli command objects) come first in the list: the launcher adds {@code server} and {@code demo}
     * here, so that this module needs no server.
     */
    public static CommandLine commandLine(Object... leadingCommands) {
        CommandLine cl = new CommandLine(new Main());
        if (leadingCommands.length > 0) {
            // picocli lists subcommands in the order they were added, and the annotation adds its own first.
            List<CommandLine> clients = List.copyOf(new LinkedHashSet<>(cl.getSubcommands().values()));
            for (CommandLine sub : clients) cl.getCommandSpec().removeSubcommand(sub.getCommandName());
            for (Object c : leadingCommands) cl.addSubcommand(c);
            for (CommandLine sub : clients) cl.addSubcommand(sub.getCommandName(), sub, sub.getCommandSpec().aliases());
        }
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("faxlan: " + ex.getMessage());
            // The qualified name is the whole path ("faxlan phonebook add"), so the hint reaches the command's own help.
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        giveEveryCommandTheVersion(cl);
        return cl;
    }

    private static void giveEveryCommandTheVersion(CommandLine cl) {
        if (cl.getCommandSpec().versionProvider() == null) cl.getCommandSpec().versionProvider(new Version());
        for (CommandLine sub : cl.getSubcommands().values()) giveEveryCommandTheVersion(sub);
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        if (System.getenv("FAXLAN_DEBUG") != null) e.printStackTrace();
        if (e instanceof FaxlanException fe) {
            cl.getErr().println("faxlan: " + fe.getMessage());
            return fe.exitCode();
        }
        cl.getErr().println("faxlan: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        return 1;
    }

    /** Bare {@code faxlan} names no command: a usage error, with the command list on stderr. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"faxlan " + VERSION};
        }
    }
}
