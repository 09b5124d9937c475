package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "firewall", description = {"Print firewall rules that let CPI through.",
        "Seed rules 1-6: requests from any client port to the server's UDP port, responses and alerts from that port back."})
final class FirewallCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, paramLabel = "ADDR", description = "the fax server's address")
    String server;

    @Option(names = "--port", defaultValue = "4644", description = "CPI port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--json", description = "machine-readable output: the rules as one text field")
    boolean json;

    @Option(names = "--format", defaultValue = "nft", paramLabel = "nft|iptables", description = "(default: ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() {
        InetAddress addr;
        try {
            addr = InetAddress.getByName(server);
        } catch (UnknownHostException e) {
            throw new FaxlanException("cannot resolve " + server, 2);
        }
        String a = addr.getHostAddress();
        boolean v6 = addr instanceof Inet6Address;
        String rules = switch (format) {
            case "nft" -> nft(a, v6, port);
            case "iptables" -> iptables(a, v6, port);
            default -> throw new FaxlanException("--format must be nft or iptables", 2);
        };
        if (json) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("server", a);
            m.put("port", port);
            m.put("format", format);
            m.put("rules", rules);
            System.out.println(Json.write(m));
        } else {
            System.out.print(rules);
        }
        return 0;
    }

    static String nft(String server, boolean v6, int port) {
        String fam = v6 ? "ip6" : "ip";
        return "# faxlan CPI to " + server + " (UDP " + port + "). A complete table with policy drop: load it on\n"
                + "# a dedicated router, or copy its rules into your own forward and input chains.\n"
                + "table inet faxlan {\n"
                + "\tchain forward {\n"
                + "\t\ttype filter hook forward priority filter; policy drop;\n"
                + "\t\tct state established,related accept comment \"responses and alerts on the client's own mapping\"\n"
                + "\t\t" + fam + " daddr " + server + " udp dport " + port + " accept comment \"requests: any client port to the server (rules 1, 3, 4)\"\n"
                + "\t\t" + fam + " saddr " + server + " udp sport " + port + " accept comment \"responses and alerts from the server port (rules 5, 6)\"\n"
                + "\t}\n"
                + "\tchain input {\n"
                + "\t\ttype filter hook input priority filter; policy accept;\n"
                + "\t\tudp dport " + port + " accept comment \"on the server host: CPI and discovery\"\n"
                + "\t}\n"
                + "}\n";
    }

    static String iptables(String server, boolean v6, int port) {
        String cmd = v6 ? "ip6tables" : "iptables";
        return "# faxlan CPI to " + server + " (UDP " + port + ")\n"
                + "# on a router or firewall between clients and the server:\n"
                + cmd + " -A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\n"
                + cmd + " -A FORWARD -p udp -d " + server + " --dport " + port + " -j ACCEPT\n"
                + cmd + " -A FORWARD -p udp -s " + server + " --sport " + port + " -j ACCEPT\n"
                + "# on the server host:\n"
                + cmd + " -A INPUT -p udp --dport " + port + " -j ACCEPT\n";
    }
}
