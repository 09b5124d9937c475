package dev.faxlan.cli.firewall;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RuleSet} as {@code iptables-restore} input (or {@code ip6tables-restore} for IPv6): the filter
 * table with each owned chain's policy, its rules, and the SIP rules as commented {@code -A} lines.
 * Loaded without {@code --noflush}, it replaces the filter table.
 */
public final class IptablesFormat {
    private IptablesFormat() {}

    public static String render(RuleSet set) {
        StringBuilder sb = new StringBuilder();
        for (String h : set.header()) sb.append("# ").append(h).append('\n');
        sb.append("# Load with: ").append(set.ipv6() ? "ip6tables-restore" : "iptables-restore").append(" < FILE\n");
        sb.append("*filter\n");
        for (Rule.Hook hook : Rule.Hook.values()) {
            boolean drop = set.policies().stream().anyMatch(p -> p.hook() == hook && p.drop());
            sb.append(':').append(hook.name()).append(drop ? " DROP" : " ACCEPT").append(" [0:0]\n");
        }
        for (Rule r : set.rules()) sb.append(rule(r)).append('\n');
        if (!set.sipHeader().isEmpty()) {
            for (String h : set.sipHeader()) sb.append("# ").append(h).append('\n');
            for (Rule r : set.sipRules()) sb.append("# ").append(rule(r)).append('\n');
        }
        sb.append("COMMIT\n");
        return sb.toString();
    }

    /** The rule as an {@code -A CHAIN ...} line. */
    public static String rule(Rule r) {
        List<String> p = new ArrayList<>();
        p.add("-A " + r.hook().name());
        if (r.loopback()) p.add((r.hook() == Rule.Hook.OUTPUT ? "-o" : "-i") + " lo");
        if (r.saddr() != null) p.add("-s " + r.saddr());
        if (r.daddr() != null) p.add("-d " + r.daddr());
        if (r.proto() != null) {
            p.add("-p " + r.proto());
            if (r.sport() != null) p.add("--sport " + r.sport().replace('-', ':'));
            if (r.dport() != null) p.add("--dport " + r.dport().replace('-', ':'));
        }
        if (r.conntrack() == Rule.Conntrack.NEW) p.add("-m conntrack --ctstate NEW");
        if (r.conntrack() == Rule.Conntrack.ESTABLISHED_RELATED) p.add("-m conntrack --ctstate ESTABLISHED,RELATED");
        p.add("-m comment --comment \"" + r.comment() + "\"");
        p.add("-j ACCEPT");
        return String.join(" ", p);
    }
}
