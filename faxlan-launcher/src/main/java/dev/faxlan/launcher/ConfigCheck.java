package dev.faxlan.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code faxlan server --check-config}: the settings as the server reads them, the data directory as
 * it would use it, the database it would open; it creates and starts nothing.
 */
final class ConfigCheck {
    /** Exit code: every setting is usable. */
    static final int VALID = 0;
    /** Exit code: the settings are valid but the database they name cannot be reached (PRODUCT.md: anything else). */
    static final int DATABASE_UNREACHABLE = 1;
    /** Exit code: a setting is wrong (PRODUCT.md: usage error). */
    static final int INVALID = 2;

    private ConfigCheck() {}

    static int check(ServerCommand.Settings settings, Path config) {
        List<String> problems = new ArrayList<>(settings.problems());
        String dataProblem = dataDirectoryProblem(settings.dataDir());
        if (dataProblem != null) problems.add(dataProblem);
        String where = config != null ? config.toString() : "the defaults";
        for (String p : problems) System.err.println("faxlan: " + where + ": " + p);
        if (!problems.isEmpty()) return INVALID;
        String url = settings.server().jdbcUrl();
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            String unreachable = databaseProblem(settings.server().database());
            if (unreachable != null) {
                System.err.println("faxlan: " + where + ": " + unreachable);
                return DATABASE_UNREACHABLE;
            }
        }
        System.out.println("faxlan: " + where + ": the configuration is valid (data " + settings.dataDir().toAbsolutePath() + ", "
                + (url == null ? "embedded H2" : "database " + url.replaceAll("[?;].*", "")) + ", " + settings.server().lines().lines().size()
                + " line(s), CPI on udp " + settings.server().bind() + (settings.metrics() == null ? "" : ", metrics on http " + settings.metrics()) + ")");
        return VALID;
    }

    /** Whether the server could use {@code dir} as its data directory: a writable directory, or one it can create. */
    static String dataDirectoryProblem(Path dir) {
        Path abs = dir.toAbsolutePath();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) return "the data directory " + abs + " is not a directory";
            if (!Files.isWritable(abs)) return "the data directory " + abs + " is not writable by this user";
            return null;
        }
        Path parent = abs.getParent();
        while (parent != null && !Files.exists(parent)) parent = parent.getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            return "the data directory " + abs + " does not exist and cannot be created here (" + parent + " is not a writable directory)";
        }
        return null;
    }

    /** Opens and closes one connection with the server's credentials (as the server reads them); the reason when it cannot. */
    private static String databaseProblem(dev.faxlan.server.storage.DatabaseSettings db) {
        String url = db.url();
        String user = db.user();
        String password = db.password();
        DriverManager.setLoginTimeout(10);
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            return c.isValid(10) ? null : "the database at " + url + " did not answer a check within 10 s";
        } catch (SQLException e) {
            return "cannot reach the database at " + url.replaceAll("[?;].*", "") + ": " + e.getMessage();
        }
    }

    /** {@code HOST:PORT} or {@code [V6]:PORT}; port 0 to 65535. */
    static InetSocketAddress hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("expected HOST:PORT (e.g. 127.0.0.1:9464), not '" + s + "'");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port in '" + s + "' is not a number");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("the port in '" + s + "' must be 0 to 65535");
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) throw new IllegalArgumentException("cannot resolve " + host);
        return a;
    }
}
