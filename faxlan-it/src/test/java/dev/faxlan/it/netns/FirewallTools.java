package dev.faxlan.it.netns;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The kernel firewall tools the firewall and NAT tests load rules with, checked as {@link Netns#requireEnvironment()} checks its own. */
final class FirewallTools {
    private FirewallTools() {}

    /** The tool's path; skips the test when it is missing, and under {@code CI=true} fails instead. */
    static String require(String tool, String pkg) {
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        String reason = tool + " (" + pkg + ") is not installed";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: namespace tests must run)");
        System.out.println("SKIPPED (netns): " + reason);
        Assumptions.abort(reason);
        return null;
    }

    /** The rules of a printed rule set: the lines that accept something, in order ({@code nft} or {@code iptables-restore} syntax). */
    static List<String> acceptRules(String printed) {
        return printed.lines().filter(l -> !l.strip().startsWith("#"))
                .filter(l -> l.contains(" accept comment ") || (l.startsWith("-A ") && l.endsWith("-j ACCEPT"))).toList();
    }

    /** The printed rule set without one of its lines. */
    static String without(String printed, String line) {
        List<String> lines = new ArrayList<>(printed.lines().toList());
        if (!lines.remove(line)) throw new IllegalArgumentException("no such line: " + line);
        return String.join("\n", lines) + "\n";
    }
}
