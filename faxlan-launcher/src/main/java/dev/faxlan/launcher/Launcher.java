package dev.faxlan.launcher;

import dev.faxlan.cli.Main;
import dev.faxlan.ipp.IppCommand;
import dev.faxlan.mail.imap.MailPollerCommand;
import dev.faxlan.mail.out.MailOutCommand;
import dev.faxlan.mail.smtp.SmtpGatewayCommand;
import dev.faxlan.web.WebCommand;
import picocli.CommandLine;

/**
 * The {@code faxlan} command as shipped: the client commands of faxlan-cli with {@code server} and
 * {@code demo} in front. It lives apart so that the client library and commands need no server.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (PRODUCT.md §3). */
    public static int run(String... args) {
        if (args.length > 0 && (args[0].equals("server") || args[0].equals("demo") || args[0].equals("smtp-gateway")
                || args[0].equals("mail-poller") || args[0].equals("mail-out") || args[0].equals("web") || args[0].equals("ipp"))) {
            System.setProperty("faxlan.log", args[0].equals("demo") ? "WARN" : "INFO");
            // Before the first logger exists, so that the server's very first line is JSON too (log.format=json switches later).
            if (args[0].equals("server") && "json".equals(System.getenv("FAXLAN_LOG_FORMAT"))) System.setProperty(LogFormat.PROPERTY, "JSON");
        }
        return commandLine().execute(args);
    }

    /** The whole command tree. */
    public static CommandLine commandLine() {
        return Main.commandLine(new ServerCommand(), new DemoCommand(), new DbCommand(), new SmtpGatewayCommand(), new MailPollerCommand(), new MailOutCommand(), new WebCommand(), new IppCommand());
    }
}
