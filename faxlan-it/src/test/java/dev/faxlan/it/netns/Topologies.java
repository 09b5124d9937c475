package dev.faxlan.it.netns;

/**
 * The networks of the namespace tests. All addresses are in 10.231.0.0/16 and exist only inside the
 * namespaces made here.
 */
final class Topologies {
    static final String CLIENT_IP = "10.231.1.2";
    static final String ROUTER_CLIENT_SIDE = "10.231.1.1";
    static final String ROUTER_SERVER_SIDE = "10.231.2.1";
    static final String SERVER_IP = "10.231.2.2";

    private Topologies() {}

    /** Namespaces of a routed network: client — router — server. */
    record Routed(String client, String router, String server) {}

    /**
     * client (10.231.1.2/24, eth0) — (eth0 10.231.1.1/24) router (eth1 10.231.2.1/24) — (eth0 10.231.2.2/24) server;
     * the router forwards, the ends route through it.
     */
    static Routed routed(Netns net) {
        String c = net.add("c");
        String r = net.add("r");
        String s = net.add("s");
        net.veth(c, "eth0", r, "eth0");
        net.veth(r, "eth1", s, "eth0");
        net.addr(c, "eth0", CLIENT_IP + "/24");
        net.addr(r, "eth0", ROUTER_CLIENT_SIDE + "/24");
        net.addr(r, "eth1", ROUTER_SERVER_SIDE + "/24");
        net.addr(s, "eth0", SERVER_IP + "/24");
        net.defaultRoute(c, ROUTER_CLIENT_SIDE);
        net.defaultRoute(s, ROUTER_SERVER_SIDE);
        net.forwarding(r);
        return new Routed(c, r, s);
    }

    /** An nftables table for a router that drops {@code percent}% of forwarded UDP packets at random, both directions. */
    static String randomUdpLoss(int percent) {
        return "table inet fxloss {\n"
                + "\tchain forward {\n"
                + "\t\ttype filter hook forward priority filter; policy accept;\n"
                + "\t\tmeta l4proto udp numgen random mod 100 < " + percent + " counter drop\n"
                + "\t\tmeta l4proto udp counter\n"
                + "\t}\n"
                + "}\n";
    }
}
