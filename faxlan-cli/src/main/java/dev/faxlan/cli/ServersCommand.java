package dev.faxlan.cli;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.sdk.ClusterNode;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.protocol.HostPort;
import dev.faxlan.sdk.SavedServers;
import dev.faxlan.sdk.ServerFinder;
import dev.faxlan.sdk.ServerInfo;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "servers", description = {"List, find, add and remove saved servers.",
        "--discover finds servers by broadcast; --add adds one by address, the \"advanced\" function for servers behind a router or firewall."})
final class ServersCommand implements Callable<Integer> {
    static final Listing<SavedServers.Entry> SAVED = Listing.<SavedServers.Entry>of(List.of("ADDRESS", "NAME", "IDENTITY", "CLUSTER"),
            e -> List.of(e.address(), e.name().isEmpty() ? "-" : e.name(), Fingerprint.format(e.fingerprint()), e.cluster().isEmpty() ? "-" : e.cluster()),
            e -> Json.object("address", e.address(), "name", e.name(), "fingerprint", Fingerprint.format(e.fingerprint()), "cluster", e.cluster()))
            .whenEmpty("no saved servers (find some with 'faxlan servers --discover', or 'faxlan servers --add HOST')");

    static final Listing<ServerFinder.Found> FOUND = Listing.<ServerFinder.Found>of(List.of("NAME", "ADDRESS", "VERSION", "IDENTITY"),
            f -> List.of(f.reply().name(), new HostPort(f.address().getAddress().getHostAddress(), f.address().getPort()).toString(),
                    f.reply().version(), Fingerprint.format(f.reply().fingerprint())),
            f -> Json.object("name", f.reply().name(), "address", f.address().getAddress().getHostAddress(), "port", f.address().getPort(),
                    "version", f.reply().version(), "fingerprint", Fingerprint.format(f.reply().fingerprint())))
            .whenEmpty("no server answered (a server behind a router is not found by broadcast: add it with 'faxlan servers --add HOST')");

    @Option(names = "--discover", description = "broadcast a discovery probe and list the servers that answer")
    boolean discover;

    @Option(names = "--add", paramLabel = "HOST[:PORT]", description = "connect to a server by address, check it, and save it with its identity")
    String add;

    @Option(names = "--remove", paramLabel = "NAME|HOST[:PORT]", description = "forget a saved server, given by its name or its address")
    String remove;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "2", description = "how long --discover listens; --add allows 15 times this (default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    @Option(names = "--port", defaultValue = "4644", description = "CPI port probed by --discover (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--broadcast", paramLabel = "ADDR", description = "probe only this address (repeatable) instead of every interface's broadcast address")
    List<String> broadcast;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SavedServers saved = SavedServers.forUser();
        if (discover) return discover();
        if (add != null) return add(saved);
        if (remove != null) return remove(saved);
        SAVED.print(grouped(saved.list()), json);
        return 0;
    }

    /** The saved servers with each cluster's nodes together, where its first saved node stands. */
    static List<SavedServers.Entry> grouped(List<SavedServers.Entry> entries) {
        Map<String, List<SavedServers.Entry>> groups = new LinkedHashMap<>();
        for (SavedServers.Entry e : entries) {
            groups.computeIfAbsent(e.cluster().isEmpty() ? "\0" + e.address() : e.cluster(), k -> new ArrayList<>()).add(e);
        }
        return groups.values().stream().flatMap(List::stream).toList();
    }

    private int discover() throws Exception {
        List<InetSocketAddress> targets = new ArrayList<>();
        if (broadcast != null) for (String b : broadcast) targets.add(new InetSocketAddress(b, port));
        else targets = ServerFinder.defaultTargets(port);
        List<ServerFinder.Found> found = ServerFinder.discover(targets, Duration.ofMillis((long) (timeoutSeconds * 1000)));
        FOUND.print(found, json);
        return 0;
    }

    private int add(SavedServers saved) throws Exception {
        HostPort hp = parse(add);
        Optional<SavedServers.Entry> existing = saved.find(hp.host(), hp.port());
        ServerInfo info;
        byte[] presented;
        try (FaxlanClient c = FaxlanClient.builder().server(hp.host(), hp.port())
                .timeout(Duration.ofMillis((long) (timeoutSeconds * 15_000)))
                .pin(existing.map(SavedServers.Entry::fingerprint).orElse(null)).build()) {
            info = c.info();
            // The pin is what the TLS handshake proved; the info body is only the server's word.
            presented = c.pin();
        }
        if (presented == null || !MessageDigest.isEqual(presented, info.fingerprint())) {
            throw new FaxlanException("the server at " + hp + " presented identity " + (presented == null ? "(none)" : Fingerprint.format(presented))
                    + " in the TLS handshake but claims " + Fingerprint.format(info.fingerprint()) + "; not saved", 1);
        }
        // The other nodes of its cluster, as the node whose identity the handshake proved lists them (docs/decisions.md).
        SavedServers.Entry server = new SavedServers.Entry(hp.host(), hp.port(), presented, info.name());
        saved.put(server);
        SavedServers.SavedCluster cluster = saved.saveCluster(server, info.nodes(), true);
        for (ClusterNode n : cluster.refused()) {
            String known = saved.find(n.host(), n.port()).map(e -> Fingerprint.format(e.fingerprint())).orElse("(none)");
            System.err.println("faxlan: node " + n.addressText() + " of the cluster is listed with identity " + Fingerprint.format(n.fingerprint())
                    + ", not the saved " + known + "; not used (remove it with 'faxlan servers --remove' if it was reinstalled)");
        }
        List<ClusterNode> learnt = cluster.saved();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", hp.toString());
            m.put("name", info.name());
            m.put("version", info.version());
            m.put("fingerprint", Fingerprint.format(presented));
            if (!cluster.label().isEmpty()) {
                m.put("cluster", cluster.label());
                m.put("nodes", learnt.stream().map(n -> Json.object("address", n.addressText(), "name", n.name(), "fingerprint", Fingerprint.format(n.fingerprint())))
                        .toList());
            }
            System.out.println(Json.write(m));
        } else {
            System.out.println("added " + hp + " \"" + info.name() + "\" (faxlan " + info.version() + "), identity " + Fingerprint.format(presented));
            for (ClusterNode n : learnt) {
                System.out.println("added node " + n.addressText() + " \"" + n.name() + "\" of its cluster, identity " + Fingerprint.format(n.fingerprint()));
            }
        }
        return 0;
    }

    /** Forgets the server saved under the name {@code --remove} gives, as {@code --server} takes it, else at that address. */
    private int remove(SavedServers saved) throws Exception {
        List<SavedServers.Entry> named = saved.list().stream().filter(e -> e.isNamed(remove)).toList();
        if (named.size() > 1) {
            throw new FaxlanException(named.size() + " saved servers are named " + remove + " ("
                    + String.join(", ", named.stream().map(SavedServers.Entry::address).toList()) + "): remove one by its address", 2);
        }
        Optional<SavedServers.Entry> entry;
        if (named.size() == 1) {
            entry = Optional.of(named.get(0));
        } else {
            HostPort hp = parse(remove);
            entry = saved.find(hp.host(), hp.port());
            if (entry.isEmpty()) throw new FaxlanException("no saved server is named " + remove + " or at " + hp + " (see 'faxlan servers')", 1);
        }
        SavedServers.Entry e = entry.get();
        saved.remove(e.host(), e.port());
        if (!json) System.out.println("removed " + e.address() + (e.name().isEmpty() ? "" : " \"" + e.name() + "\""));
        return 0;
    }

    private static HostPort parse(String s) {
        try {
            return HostPort.parseLenient(s, CpiCodec.DEFAULT_PORT);
        } catch (IllegalArgumentException e) {
            throw new FaxlanException("bad server address: " + e.getMessage(), 2);
        }
    }
}
