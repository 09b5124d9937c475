package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code faxlan} command. */
@Command(name = "faxlan", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Network fax server and clients: CPI over UDP 4644, faxes over T.38/SIP.",
        subcommands = {ServerCommand.class, DemoCommand.class, ServersCommand.class, SubmitCommand.class, JobsCommand.class,
                JobCommand.class, CancelCommand.class, AlertCommand.class, UserCommand.class, FirewallCommand.class,
                ConvertCommand.class, ViewCommand.class, InboxCommand.class, FetchCommand.class, RouterCommand.class, PhonebookCommand.class, CoverCommand.class, MailboxCommand.class,
                VersionCommand.class, HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (PRODUCT.md §3). */
    public static int run(String... args) {
        if (args.length > 0 && (args[0].equals("server") || args[0].equals("demo"))) {
            System.setProperty("faxlan.log", args[0].equals("server") ? "INFO" : "WARN");
        }
        return commandLine().execute(args);
    }

    /** The whole command tree, with the error handling every command shares. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
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
            return new String[] {"faxlan " + dev.faxlan.server.FaxlanServer.VERSION};
        }
    }
}
