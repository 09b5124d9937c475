package dev.faxlan.cli.firewall;

/**
 * One accept rule, independent of the firewall's syntax. Null fields match anything.
 *
 * @param hook where the packet is filtered: passing through the firewall host, or arriving at or
 *     leaving the host the rules are loaded on
 * @param loopback only packets on the loopback interface (in on {@code INPUT}, out on {@code OUTPUT})
 * @param comment why the rule exists, naming the vendor note's rule it implements; at most 120 characters,
 *     under nftables' limit of 128
 */
public record Rule(Hook hook, boolean loopback, String saddr, String daddr, String proto, String sport, String dport, Conntrack conntrack,
        String comment) {
    public Rule {
        if (comment.length() > 120) throw new IllegalArgumentException("comment too long: " + comment);
    }

    /** The netfilter hook a rule belongs to. */
    public enum Hook { FORWARD, INPUT, OUTPUT }

    /** Which connection-tracking states the rule takes; {@code NONE} needs no conntrack at all. */
    public enum Conntrack { NONE, NEW, ESTABLISHED_RELATED }

    static Rule any(Hook hook, Conntrack ct, String comment) {
        return new Rule(hook, false, null, null, null, null, null, ct, comment);
    }
}
