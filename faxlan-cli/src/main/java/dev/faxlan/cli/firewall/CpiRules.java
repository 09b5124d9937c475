package dev.faxlan.cli.firewall;

import dev.faxlan.cli.firewall.Rule.Conntrack;
import dev.faxlan.cli.firewall.Rule.Hook;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules that let CPI through, after the vendor note "How To Connect Through Proxy" (docs/protocol.md §1):
 * rule 4, requests from any client port to the server's port; rules 5 and 6, responses and the alert from
 * the server's port to any client port. Rules 5 and 6 describe the same packets, so one printed rule
 * implements both.
 *
 * <p>Stateless: exactly those rules, no connection tracking; alerts can reach a client whatever its
 * firewall remembers. Stateful: rule 4 for new flows, and established/related for the rest, which carries
 * alerts only while the client's keep-alives hold the flow open (docs/protocol.md §5).
 */
public final class CpiRules {
    public static final String REQUESTS = "note rule 4: CPI requests from any client port to the server";
    public static final String REPLIES = "note rules 5, 6: responses and alerts from the server port to any client port";
    public static final String NEW_REQUESTS = "note rule 4: new CPI flows from any client port to the server";
    public static final String ESTABLISHED = "note rules 5, 6: responses, and alerts on flows the client's keep-alives hold open";
    public static final String LOOPBACK_IN = "not in the note: this host's own clients (admin tools, the loopback fax line) on lo";
    public static final String LOOPBACK_OUT = "not in the note: replies to this host's own clients on lo";

    private CpiRules() {}

    /**
     * @param clients the clients' address block; null for any
     * @param input rules for the server host's own firewall instead of a firewall host between clients and server
     */
    public static RuleSet build(InetAddress server, int port, Cidr clients, boolean stateful, boolean input, SipPorts sip) {
        boolean v6 = server instanceof Inet6Address;
        if (clients != null && clients.isIpv6() != v6) {
            throw new IllegalArgumentException("--clients " + clients + " is " + (clients.isIpv6() ? "IPv6" : "IPv4") + " but the server address "
                    + Cidr.text(server) + " is " + (v6 ? "IPv6" : "IPv4"));
        }
        String s = Cidr.text(server);
        String c = clients == null ? null : clients.toString();
        String p = String.valueOf(port);
        List<String> header = new ArrayList<>();
        header.add("faxlan CPI to " + s + " (UDP " + port + ")" + (c == null ? "" : " from clients in " + c) + ", "
                + (stateful ? "stateful (needs connection tracking)" : "stateless (the vendor note's rules 4, 5 and 6, no connection tracking)") + ".");
        List<RuleSet.Policy> policies = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        if (!input) {
            header.add("For the firewall host between clients and server: a complete table whose forward chain drops");
            header.add("everything else. Load it on a dedicated router, or copy its rules into your own forward chain.");
            policies.add(new RuleSet.Policy(Hook.FORWARD, true));
            if (stateful) {
                rules.add(Rule.any(Hook.FORWARD, Conntrack.ESTABLISHED_RELATED, ESTABLISHED));
                rules.add(new Rule(Hook.FORWARD, false, c, s, "udp", null, p, Conntrack.NEW, NEW_REQUESTS));
            } else {
                rules.add(new Rule(Hook.FORWARD, false, c, s, "udp", null, p, Conntrack.NONE, REQUESTS));
                rules.add(new Rule(Hook.FORWARD, false, s, c, "udp", p, null, Conntrack.NONE, REPLIES));
            }
        } else {
            // The host may be reached at any of its addresses, and discovery probes come to the broadcast address.
            header.add("For the server host itself: its input" + (stateful ? " chain drops" : " and output chains drop") + " everything else,");
            header.add("SSH included: add your other services' rules before loading this on a remote host.");
            policies.add(new RuleSet.Policy(Hook.INPUT, true));
            policies.add(new RuleSet.Policy(Hook.OUTPUT, !stateful));
            if (stateful) {
                rules.add(Rule.any(Hook.INPUT, Conntrack.ESTABLISHED_RELATED, ESTABLISHED));
                rules.add(new Rule(Hook.INPUT, true, null, null, null, null, null, Conntrack.NONE, LOOPBACK_IN));
                rules.add(new Rule(Hook.INPUT, false, c, null, "udp", null, p, Conntrack.NEW, NEW_REQUESTS + " (and discovery)"));
            } else {
                rules.add(new Rule(Hook.INPUT, true, null, null, null, null, null, Conntrack.NONE, LOOPBACK_IN));
                rules.add(new Rule(Hook.INPUT, false, c, null, "udp", null, p, Conntrack.NONE, REQUESTS + " (and discovery)"));
                rules.add(new Rule(Hook.OUTPUT, true, null, null, null, null, null, Conntrack.NONE, LOOPBACK_OUT));
                rules.add(new Rule(Hook.OUTPUT, false, null, c, "udp", p, null, Conntrack.NONE, REPLIES));
            }
        }
        return new RuleSet(v6, header, policies, rules, sip.header(), sipRules(s, input, stateful, sip));
    }

    /** The trunk side, both directions: the lines' SIP ports and the media port range. */
    private static List<Rule> sipRules(String s, boolean input, boolean stateful, SipPorts sip) {
        List<Rule> out = new ArrayList<>();
        if (sip.sipPorts() == null) return out;
        Hook in = input ? Hook.INPUT : Hook.FORWARD;
        Hook outHook = input ? Hook.OUTPUT : Hook.FORWARD;
        boolean outgoing = !input || !stateful;
        for (String proto : sip.transports()) {
            out.add(new Rule(in, false, null, input ? null : s, proto, null, sip.sipPorts(), Conntrack.NONE, "trunk side: SIP (" + proto + ") to the lines"));
            if (outgoing) {
                out.add(new Rule(outHook, false, input ? null : s, null, proto, sip.sipPorts(), null, Conntrack.NONE,
                        "trunk side: SIP (" + proto + ") from the lines"));
            }
        }
        out.add(new Rule(in, false, null, input ? null : s, "udp", null, sip.mediaPorts(), Conntrack.NONE, "trunk side: UDPTL media to the server"));
        if (outgoing) {
            out.add(new Rule(outHook, false, input ? null : s, null, "udp", sip.mediaPorts(), null, Conntrack.NONE, "trunk side: UDPTL media from the server"));
        }
        return out;
    }
}
