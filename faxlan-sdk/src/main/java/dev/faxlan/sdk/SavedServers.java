package dev.faxlan.sdk;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.HostPort;
import dev.faxlan.protocol.Fingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user's saved server list with pinned identities, in {@code $XDG_CONFIG_HOME/faxlan/servers}
 * (else {@code $HOME/.config/faxlan/servers}): one line per server, {@code host:port fingerprint name},
 * and for a node of a cluster {@code cluster=LABEL} after it (LABEL: the address of the node the user
 * added, the others were learnt from). Plain text so a person can read and edit it, like ssh's known_hosts.
 */
public final class SavedServers {
    /** A saved server; {@code cluster} is empty for a server that is not part of a cluster. */
    public record Entry(String host, int port, byte[] fingerprint, String name, String cluster) {
        public Entry {
            name = name == null ? "" : name;
            cluster = cluster == null ? "" : cluster;
        }

        public Entry(String host, int port, byte[] fingerprint, String name) {
            this(host, port, fingerprint, name, "");
        }

        /** This entry as a node the client may continue on. */
        public ClusterNode node() {
            return new ClusterNode(name, host, port, fingerprint);
        }

        public String address() {
            return formatAddress(host, port);
        }

        /** Whether this server is saved under {@code name}: case ignored, blanks as the list writes them ({@code _}). */
        public boolean isNamed(String name) {
            return !this.name.isEmpty() && name != null && this.name.equalsIgnoreCase(name.strip().replaceAll("\\s+", "_"));
        }
    }

    private static final String CLUSTER = "cluster=";
    private final Path file;

    public SavedServers(Path file) {
        this.file = file;
    }

    public static SavedServers forUser() {
        return new SavedServers(configDir().resolve("servers"));
    }

    public static Path configDir() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        // $HOME, not user.home: Java takes that from the password database, and a user who sets HOME means it.
        String home = System.getenv("HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".config");
        return base.resolve("faxlan");
    }

    public Path file() {
        return file;
    }

    public List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) return out;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] parts = line.split("\\s+");
            if (parts.length < 2) continue;
            String name = "";
            String cluster = "";
            for (int i = 2; i < parts.length; i++) {
                if (parts[i].startsWith(CLUSTER)) cluster = parts[i].substring(CLUSTER.length());
                else name = name.isEmpty() ? parts[i] : name + " " + parts[i]; // a name a person typed with blanks
            }
            try {
                HostPort hp = HostPort.parseLenient(parts[0], CpiCodec.DEFAULT_PORT);
                out.add(new Entry(hp.host(), hp.port(), Fingerprint.parse(parts[1]), name, cluster));
            } catch (IllegalArgumentException e) {
                // a line a person mistyped is skipped, not fatal
            }
        }
        return out;
    }

    public Optional<Entry> find(String host, int port) throws IOException {
        return list().stream().filter(e -> e.host().equalsIgnoreCase(host) && e.port() == port).findFirst();
    }

    /** Adds or replaces the entry for the same host and port. */
    public void put(Entry entry) throws IOException {
        List<Entry> all = new ArrayList<>(list());
        replace(all, entry);
        write(all);
    }

    /** Drops any entry for the same host and port, and adds {@code entry} at the end. */
    private static void replace(List<Entry> all, Entry entry) {
        all.removeIf(e -> e.host().equalsIgnoreCase(entry.host()) && e.port() == entry.port());
        all.add(entry);
    }

    /** The saved nodes of cluster {@code label}, in the order saved. */
    public List<Entry> cluster(String label) throws IOException {
        if (label == null || label.isEmpty()) return List.of();
        return list().stream().filter(e -> e.cluster().equals(label)).toList();
    }

    /** What {@link #saveCluster} did: the cluster's label, the nodes it saved under it, and those it left as saved with another identity. */
    public record SavedCluster(String label, List<ClusterNode> saved, List<ClusterNode> refused) {}

    /**
     * Saves the nodes of {@code server}'s cluster, as a node whose identity the client checked lists them,
     * under the server's cluster label (its address when it had none): the one place a cluster's nodes are
     * saved, whether the user adds a server or a client hears of a node added to the cluster since. The
     * server itself (listed with its own fingerprint) is not saved again. A node saved with another
     * fingerprint is left as saved and returned as refused: a listed node never replaces an identity the
     * user saved. A node saved with its own fingerprint is saved again under this cluster with
     * {@code rejoin} (the user added the server: its nodes come with it), else left as it is. Nothing is
     * written for a server that lists no other node.
     */
    public SavedCluster saveCluster(Entry server, List<ClusterNode> nodes, boolean rejoin) throws IOException {
        List<ClusterNode> others = nodes.stream().filter(n -> !MessageDigest.isEqual(n.fingerprint(), server.fingerprint())).toList();
        if (others.isEmpty()) return new SavedCluster(server.cluster(), List.of(), List.of());
        String label = server.cluster().isEmpty() ? server.address() : server.cluster();
        List<Entry> all = new ArrayList<>(list());
        boolean changed = server.cluster().isEmpty();
        if (changed) replace(all, new Entry(server.host(), server.port(), server.fingerprint(), server.name(), label));
        List<ClusterNode> saved = new ArrayList<>();
        List<ClusterNode> refused = new ArrayList<>();
        for (ClusterNode n : others) {
            Optional<Entry> known = all.stream().filter(e -> e.host().equalsIgnoreCase(n.host()) && e.port() == n.port()).findFirst();
            if (known.isPresent() && !MessageDigest.isEqual(known.get().fingerprint(), n.fingerprint())) {
                refused.add(n);
                continue;
            }
            if (known.isPresent() && !rejoin) continue;
            replace(all, new Entry(n.host(), n.port(), n.fingerprint(), n.name(), label));
            saved.add(n);
        }
        if (changed || !saved.isEmpty()) write(all);
        return new SavedCluster(label, List.copyOf(saved), List.copyOf(refused));
    }

    /** Every saved fingerprint by address, as {@link FaxlanClient.Builder#savedIdentities} takes them. */
    public Map<String, byte[]> identities() throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        for (Entry e : list()) out.put(e.address(), e.fingerprint());
        return out;
    }

    public boolean remove(String host, int port) throws IOException {
        List<Entry> all = new ArrayList<>(list());
        boolean removed = all.removeIf(e -> e.host().equalsIgnoreCase(host) && e.port() == port);
        if (removed) write(all);
        return removed;
    }

    private void write(List<Entry> entries) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder("# faxlan saved servers: address fingerprint name\n");
        for (Entry e : entries) {
            sb.append(e.address()).append(' ').append(Fingerprint.format(e.fingerprint())).append(' ').append(e.name().replaceAll("\\s+", "_"));
            if (!e.cluster().isEmpty()) sb.append(' ').append(CLUSTER).append(e.cluster().replaceAll("\\s+", "_"));
            sb.append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String formatAddress(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
