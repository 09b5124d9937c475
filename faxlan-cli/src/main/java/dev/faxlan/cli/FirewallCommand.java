package dev.faxlan.cli;

import dev.faxlan.cli.firewall.Cidr;
import dev.faxlan.cli.firewall.CpiRules;
import dev.faxlan.cli.firewall.IptablesFormat;
import dev.faxlan.cli.firewall.NftFormat;
import dev.faxlan.cli.firewall.RuleSet;
import dev.faxlan.cli.firewall.SipPorts;
import dev.faxlan.sdk.FaxlanException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "firewall", description = {"Print a complete firewall rule set that lets CPI through.",
        "Stateless (default): exactly the vendor note's rules 4, 5 and 6, requests from any client port to the server's UDP port,"
                + " responses and alerts from that port back. --stateful: new flows from clients plus established/related.",
        "The SIP trunk side (the lines' SIP ports and sip.media-ports) follows, commented out."})
final class FirewallCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, paramLabel = "ADDR", description = "the fax server's address")
    String server;

    @Option(names = "--port", defaultValue = "4644", description = "CPI port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--clients", paramLabel = "CIDR", description = "only clients in this address block, e.g. 192.0.2.0/24 (default: any)")
    String clients;

    @Option(names = "--format", defaultValue = "nft", paramLabel = "nft|iptables",
            description = "nft: an nft -f file; iptables: iptables-restore input (ip6tables-restore for IPv6) (default: ${DEFAULT-VALUE})")
    String format;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--stateless", description = "no connection tracking: the note's rules 4, 5 and 6 (the default)")
        boolean stateless;

        @Option(names = "--stateful", description = "new flows from clients, then established/related; alerts ride on the client's keep-alives")
        boolean stateful;
    }

    @Option(names = "--input", description = "rules for the server host's own firewall (input chain) instead of a firewall between clients and server")
    boolean input;

    @Option(names = "--config", paramLabel = "FILE", description = "the server's configuration file: its SIP lines' ports and sip.media-ports (default: the server's defaults)")
    Path config;

    @Option(names = "--json", description = "machine-readable output: the rules as one text field")
    boolean json;

    @Override
    public Integer call() {
        if (port < 1 || port > 65535) throw new FaxlanException("--port " + port + " is not a port (1..65535)", 2);
        InetAddress addr = address(server);
        RuleSet set;
        try {
            Cidr block = clients == null ? null : Cidr.parse(clients);
            SipPorts sip = config == null ? SipPorts.defaults() : SipPorts.read(config);
            set = CpiRules.build(addr, port, block, mode.stateful, input, sip);
        } catch (IllegalArgumentException e) {
            throw new FaxlanException(e.getMessage(), 2);
        }
        String rules = switch (format) {
            case "nft" -> NftFormat.render(set);
            case "iptables" -> IptablesFormat.render(set);
            default -> throw new FaxlanException("--format must be nft or iptables, not '" + format + "'", 2);
        };
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server", Cidr.text(addr));
            m.put("port", port);
            m.put("format", format);
            m.put("stateful", mode.stateful);
            m.put("input", input);
            m.put("rules", rules);
            System.out.println(Json.write(m));
        } else {
            System.out.print(rules);
        }
        return 0;
    }

    private static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new FaxlanException("cannot resolve " + s, 2);
        }
    }
}
