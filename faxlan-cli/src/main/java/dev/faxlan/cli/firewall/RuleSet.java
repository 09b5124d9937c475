package dev.faxlan.cli.firewall;

import java.util.List;

/**
 * A complete rule set: the policy of each hook it owns, its CPI rules (loaded), and the SIP rules for the
 * trunk side, which are printed commented out because the vendor note does not cover them.
 *
 * @param ipv6 whether the addresses are IPv6 ({@code ip6}, {@code ip6tables-restore})
 * @param header comment lines printed first
 * @param policies the hooks this set owns, each with its policy ({@code true} = drop)
 * @param sipHeader comment lines before the SIP rules
 */
public record RuleSet(boolean ipv6, List<String> header, List<Policy> policies, List<Rule> rules, List<String> sipHeader, List<Rule> sipRules) {
    /** A hook and whether what no rule accepts is dropped. */
    public record Policy(Rule.Hook hook, boolean drop) {}
}
