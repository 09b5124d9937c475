package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.UserAccount;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, name = "user", description = "Manage accounts (administrator only, except changing your own password).")
final class UserCommand {
    static final Listing<UserAccount> LISTING = Listing.of(List.of("NAME", "ROLE", "CREATED"),
            u -> List.of(u.name(), u.role(), Views.time(u.created())),
            u -> Json.object("name", u.name(), "role", u.role(), "created", Views.time(u.created())));

    @Mixin
    ClientOptions client;

    @Option(names = "--new-password-file", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "file whose first line is the new password (default: $FAXLAN_NEW_PASSWORD, else a prompt)")
    Path newPasswordFile;

    @Command(mixinStandardHelpOptions = true, name = "add", description = "Create an account.")
    int add(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--role", defaultValue = "user", description = "user, gateway (a mail gateway's account: may submit for other users) or admin (default: ${DEFAULT-VALUE})") String role) {
        char[] pw = newPassword();
        try (FaxlanClient c = client.connect()) {
            c.addUser(name, pw, role);
        } finally {
            Arrays.fill(pw, '\0');
        }
        if (client.json) System.out.println(Json.write(Json.object("user", name, "role", role)));
        else System.out.println("added " + role + " " + name);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "list", description = "List accounts.")
    int list() {
        List<UserAccount> users;
        try (FaxlanClient c = client.connect()) {
            users = c.users();
        }
        LISTING.print(users, client.json);
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "passwd", description = "Change a password (your own without NAME: asks for the current one first).")
    int passwd(@Parameters(paramLabel = "NAME", arity = "0..1") String name,
            @Option(names = "--current-password-file", paramLabel = "FILE",
                    description = "changing your own: file whose first line is your current password (default: a prompt on a terminal)")
            Path currentPasswordFile) {
        boolean own = name == null || name.equals(client.userName());
        char[] current = own ? currentPassword(currentPasswordFile) : null;
        char[] pw = newPassword();
        try (FaxlanClient c = client.connect()) {
            c.passwd(name, current, pw);
        } finally {
            Arrays.fill(pw, '\0');
            if (current != null) Arrays.fill(current, '\0');
        }
        if (client.json) System.out.println(Json.write(Json.object("user", name != null ? name : client.userName(), "changed", true)));
        else System.out.println("password changed" + (name != null ? " for " + name : ""));
        return 0;
    }

    @Command(mixinStandardHelpOptions = true, name = "remove", description = "Delete an account and its jobs.")
    int remove(@Parameters(paramLabel = "NAME") String name) {
        try (FaxlanClient c = client.connect()) {
            c.removeUser(name);
        }
        if (client.json) System.out.println(Json.write(Json.object("user", name, "removed", true)));
        else System.out.println("removed " + name);
        return 0;
    }

    /** A stolen session alone must not change the password for good: the server asks for the current one. */
    private static char[] currentPassword(Path file) {
        if (file != null) return firstLine(file, "current password file");
        Console console = System.console();
        if (console == null) throw new FaxlanException("changing your own password needs your current one: use --current-password-file or a terminal", 2);
        char[] current = console.readPassword("Current password: ");
        if (current == null || current.length == 0) throw new FaxlanException("no current password given", 2);
        return current;
    }

    private static char[] firstLine(Path file, String what) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isEmpty()) throw new FaxlanException(what + " " + file + " is empty", 2);
            return lines.get(0).toCharArray();
        } catch (IOException e) {
            throw new FaxlanException("cannot read " + file + ": " + e.getMessage(), 2);
        }
    }

    private char[] newPassword() {
        if (newPasswordFile != null) return firstLine(newPasswordFile, "new password file");
        String env = System.getenv("FAXLAN_NEW_PASSWORD");
        if (env != null) return env.toCharArray();
        Console console = System.console();
        if (console == null) throw new FaxlanException("no new password: use --new-password-file or FAXLAN_NEW_PASSWORD", 2);
        char[] a = console.readPassword("New password: ");
        char[] b = console.readPassword("Repeat it: ");
        if (a == null || !Arrays.equals(a, b)) throw new FaxlanException("the passwords differ", 2);
        return a;
    }
}
