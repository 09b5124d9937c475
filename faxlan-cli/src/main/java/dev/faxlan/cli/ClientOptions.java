package dev.faxlan.cli;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.sdk.ClusterNode;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.protocol.HostPort;
import dev.faxlan.sdk.SavedServers;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every client command shares (PRODUCT.md §3): server, user, password file, --json, --timeout.
 * The password never comes from the command line.
 */
final class ClientOptions {
    @Option(scope = ScopeType.INHERIT, names = "--server", paramLabel = "HOST[:PORT]", description = "server address or saved server name (default: $FAXLAN_SERVER, else the only saved server)")
    String server;

    @Option(scope = ScopeType.INHERIT, names = "--user", description = "user name (default: $FAXLAN_USER)")
    String user;

    @Option(scope = ScopeType.INHERIT, names = "--password-file", paramLabel = "FILE", description = "file whose first line is the password (default: $FAXLAN_PASSWORD, else a prompt on a terminal)")
    Path passwordFile;

    @Option(scope = ScopeType.INHERIT, names = "--api-key-file", paramLabel = "FILE",
            description = "log in with the API key in FILE's first line instead of a user and password (default: $FAXLAN_API_KEY)")
    Path apiKeyFile;

    @Option(scope = ScopeType.INHERIT, names = "--json", description = "machine-readable output")
    boolean json;

    @Option(scope = ScopeType.INHERIT, names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "give up after this many seconds of retries (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(scope = ScopeType.INHERIT, names = "--keylog", paramLabel = "FILE", description = "debugging only: append the TLS secrets of this"
            + " command's connections to FILE (NSS key log format, for Wireshark; created owner-only)")
    Path keyLog;

    HostPort serverAddress() {
        String s = server != null ? server : System.getenv("FAXLAN_SERVER");
        List<SavedServers.Entry> saved;
        try {
            saved = SavedServers.forUser().list();
        } catch (IOException e) {
            throw new FaxlanException("cannot read the saved server list: " + e.getMessage(), 1);
        }
        if (s != null && !s.isBlank()) {
            // A saved server's name works as well as its address.
            for (SavedServers.Entry e : saved) {
                if (e.isNamed(s)) return new HostPort(e.host(), e.port());
            }
            try {
                return HostPort.parseLenient(s, CpiCodec.DEFAULT_PORT);
            } catch (IllegalArgumentException e) {
                throw new FaxlanException("bad server address: " + e.getMessage(), 2);
            }
        }
        if (saved.size() == 1) return new HostPort(saved.get(0).host(), saved.get(0).port());
        // The nodes of one cluster are one server to the user: its first saved node is tried first, the others if it does not answer.
        if (!saved.isEmpty() && !saved.get(0).cluster().isEmpty() && saved.stream().allMatch(e -> e.cluster().equals(saved.get(0).cluster()))) {
            return new HostPort(saved.get(0).host(), saved.get(0).port());
        }
        if (saved.size() > 1) {
            List<String> names = saved.stream().map(e -> e.name().isEmpty() ? e.address() : e.name()).toList();
            throw new FaxlanException(saved.size() + " servers are saved (" + String.join(", ", names)
                    + "): choose one with --server NAME or --server HOST[:PORT], or set FAXLAN_SERVER", 2);
        }
        throw new FaxlanException("no server given: use --server HOST[:PORT], set FAXLAN_SERVER, or save one with 'faxlan servers --add'", 2);
    }

    String userName() {
        return user != null ? user : System.getenv("FAXLAN_USER");
    }

    /** The API key to log in with, from --api-key-file or $FAXLAN_API_KEY; null: log in with user and password. */
    char[] apiKey() {
        if (apiKeyFile != null) return firstLine(apiKeyFile, "API key file");
        String env = System.getenv("FAXLAN_API_KEY");
        return env == null || env.isBlank() ? null : env.strip().toCharArray();
    }

    private static char[] firstLine(Path file, String what) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) throw new FaxlanException(what + " " + file + " is empty", 2);
            return lines.get(0).strip().toCharArray();
        } catch (IOException e) {
            throw new FaxlanException("cannot read " + what + " " + file + ": " + e.getMessage(), 2);
        }
    }

    char[] password() {
        if (passwordFile != null) {
            try {
                List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) throw new FaxlanException("password file " + passwordFile + " is empty", 2);
                return lines.get(0).toCharArray();
            } catch (IOException e) {
                throw new FaxlanException("cannot read password file " + passwordFile + ": " + e.getMessage(), 2);
            }
        }
        String env = System.getenv("FAXLAN_PASSWORD");
        if (env != null) return env.toCharArray();
        Console console = System.console();
        if (console != null && userName() != null) return console.readPassword("Password for %s: ", userName());
        return null;
    }

    /**
     * A client for the chosen server, pinned to its saved identity; a server not yet saved is trusted on
     * first use and saved (like ssh's accept-new), with a notice on stderr.
     */
    FaxlanClient connect() {
        HostPort hp = serverAddress();
        char[] key = apiKey();
        String name = key != null ? null : userName();
        char[] pw = null;
        if (key == null) {
            if (name == null || name.isBlank()) throw new FaxlanException("no user given: use --user NAME or set FAXLAN_USER (or an API key: --api-key-file)", 2);
            pw = password();
            if (pw == null) throw new FaxlanException("no password given: use --password-file FILE, set FAXLAN_PASSWORD, or run on a terminal to be asked", 2);
        }
        SavedServers saved = SavedServers.forUser();
        Optional<SavedServers.Entry> entry;
        List<ClusterNode> cluster;
        java.util.Map<String, byte[]> identities;
        try {
            entry = saved.find(hp.host(), hp.port());
            cluster = saved.cluster(entry.map(SavedServers.Entry::cluster).orElse("")).stream().map(SavedServers.Entry::node).toList();
            identities = saved.identities();
        } catch (IOException e) {
            throw new FaxlanException("cannot read the saved server list: " + e.getMessage(), 1);
        }
        return FaxlanClient.builder()
                .server(hp.host(), hp.port())
                .user(name)
                .password(pw)
                .apiKey(key)
                .timeout(Duration.ofSeconds(timeoutSeconds))
                .keyLog(keyLog)
                .pin(entry.map(SavedServers.Entry::fingerprint).orElse(null))
                .knownNodes(cluster)
                .savedIdentities(identities)
                .onClusterNodes(nodes -> saveNodes(saved, hp, nodes))
                .onNewIdentity(fp -> {
                    try {
                        saved.put(new SavedServers.Entry(hp.host(), hp.port(), fp, ""));
                        System.err.println("faxlan: new server " + hp + " has identity " + Fingerprint.format(fp) + "; saved to " + saved.file());
                    } catch (IOException e) {
                        System.err.println("faxlan: could not save the identity of " + hp + ": " + e.getMessage());
                    }
                })
                .build();
    }

    /**
     * Saves the nodes a saved server's cluster lists that the list does not have yet (a node added to the
     * cluster since), under the server's cluster; nothing for a server that is not saved or is alone.
     */
    static void saveNodes(SavedServers saved, HostPort server, List<ClusterNode> nodes) {
        try {
            Optional<SavedServers.Entry> entry = saved.find(server.host(), server.port());
            if (entry.isPresent()) saved.saveCluster(entry.get(), nodes, false);
        } catch (IOException e) {
            System.err.println("faxlan: could not save the nodes of " + server + "'s cluster: " + e.getMessage());
        }
    }
}
