package dev.faxlan.sdk;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.HostPort;
import dev.faxlan.protocol.Fingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user's saved server list with pinned identities, in {@code $XDG_CONFIG_HOME/faxlan/servers}
 * (else {@code $HOME/.config/faxlan/servers}): one line per server, {@code host:port fingerprint name}.
 * Plain text so a person can read and edit it, like ssh's known_hosts.
 */
public final class SavedServers {
    public record Entry(String host, int port, byte[] fingerprint, String name) {
        public String address() {
            return formatAddress(host, port);
        }

        /** Whether this server is saved under {@code name}: case ignored, blanks as the list writes them ({@code _}). */
        public boolean isNamed(String name) {
            return !this.name.isEmpty() && name != null && this.name.equalsIgnoreCase(name.strip().replaceAll("\\s+", "_"));
        }
    }

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
            String[] parts = line.split("\\s+", 3);
            if (parts.length < 2) continue;
            try {
                HostPort hp = HostPort.parseLenient(parts[0], CpiCodec.DEFAULT_PORT);
                out.add(new Entry(hp.host(), hp.port(), Fingerprint.parse(parts[1]), parts.length > 2 ? parts[2] : ""));
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
        all.removeIf(e -> e.host().equalsIgnoreCase(entry.host()) && e.port() == entry.port());
        all.add(entry);
        write(all);
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
            sb.append(e.address()).append(' ').append(Fingerprint.format(e.fingerprint())).append(' ').append(e.name().replaceAll("\\s+", "_")).append('\n');
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String formatAddress(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
