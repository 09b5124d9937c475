package dev.faxlan.cli.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A {@link RuleSet} as an {@code nft -f} file: one {@code inet faxlan} table, the SIP rules as commented {@code add rule} lines. */
public final class NftFormat {
    public static final String TABLE = "faxlan";

    private NftFormat() {}

    public static String render(RuleSet set) {
        StringBuilder sb = new StringBuilder();
        for (String h : set.header()) sb.append("# ").append(h).append('\n');
        sb.append("table inet ").append(TABLE).append(" {\n");
        for (RuleSet.Policy policy : set.policies()) {
            String chain = chain(policy.hook());
            sb.append("\tchain ").append(chain).append(" {\n");
            sb.append("\t\ttype filter hook ").append(chain).append(" priority filter; policy ").append(policy.drop() ? "drop" : "accept").append(";\n");
            for (Rule r : set.rules()) {
                if (r.hook() == policy.hook()) sb.append("\t\t").append(rule(r, set.ipv6())).append('\n');
            }
            sb.append("\t}\n");
        }
        sb.append("}\n");
        if (!set.sipHeader().isEmpty()) {
            sb.append('\n');
            for (String h : set.sipHeader()) sb.append("# ").append(h).append('\n');
            for (Rule r : set.sipRules()) {
                sb.append("# add rule inet ").append(TABLE).append(' ').append(chain(r.hook())).append(' ').append(rule(r, set.ipv6())).append('\n');
            }
        }
        return sb.toString();
    }

    /** The rule as nft statements, e.g. {@code ip daddr 192.0.2.10 udp dport 4644 accept comment "..."}. */
    public static String rule(Rule r, boolean ipv6) {
        List<String> p = new ArrayList<>();
        String fam = ipv6 ? "ip6" : "ip";
        if (r.loopback()) p.add((r.hook() == Rule.Hook.OUTPUT ? "oif" : "iif") + " \"lo\"");
        if (r.conntrack() == Rule.Conntrack.ESTABLISHED_RELATED) p.add("ct state established,related");
        if (r.saddr() != null) p.add(fam + " saddr " + r.saddr());
        if (r.daddr() != null) p.add(fam + " daddr " + r.daddr());
        if (r.proto() != null) {
            if (r.sport() == null && r.dport() == null) p.add("meta l4proto " + r.proto());
            if (r.sport() != null) p.add(r.proto() + " sport " + r.sport());
            if (r.dport() != null) p.add(r.proto() + " dport " + r.dport());
        }
        if (r.conntrack() == Rule.Conntrack.NEW) p.add("ct state new");
        p.add("accept comment \"" + r.comment() + "\"");
        return String.join(" ", p);
    }

    static String chain(Rule.Hook hook) {
        return hook.name().toLowerCase(Locale.ROOT);
    }
}
