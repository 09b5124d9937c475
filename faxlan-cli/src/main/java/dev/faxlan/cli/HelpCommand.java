package dev.faxlan.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code faxlan help [COMMAND...]}: the help of any command, nested ones too ({@code help phonebook add}).
 * Replaces picocli's built-in help command, which reaches only one level and prints its summary above its usage.
 */
@Command(name = "help", mixinStandardHelpOptions = true, description = "Show the help of a command, e.g. 'faxlan help phonebook add'.")
final class HelpCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "the command, and its subcommand")
    List<String> path = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine cl = spec.parent().commandLine();
        for (String name : path) {
            CommandLine sub = cl.getSubcommands().get(name);
            if (sub == null) throw new CommandLine.ParameterException(spec.commandLine(), "no command '" + String.join(" ", path) + "'");
            cl = sub;
        }
        cl.usage(spec.commandLine().getOut());
        return 0;
    }
}
