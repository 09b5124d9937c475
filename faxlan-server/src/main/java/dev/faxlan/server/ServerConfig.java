package dev.faxlan.server;

import dev.faxlan.lines.LinesConfig;
import dev.faxlan.server.cpi.CpiLimits;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Settings of one server. Defaults need no file: data in {@code ./faxlan-data}, UDP 4644 on all
 * addresses, the host name as server name.
 *
 * @param maxUploadBytes largest document accepted; bounds disk use by one request
 * @param lines the fax lines (the {@code line.*}, {@code numbers.*} and {@code sip.*} keys of the config file)
 * @param cpiLimits connections, memory and subscriptions the CPI endpoint allows (the {@code cpi.*} keys)
 */
public record ServerConfig(Path dataDir, InetSocketAddress bind, String name, String adminPassword, long maxUploadBytes, String jdbcUrl,
        LinesConfig lines, CpiLimits cpiLimits) {
    public static final long DEFAULT_MAX_UPLOAD = 256L << 20;

    public static ServerConfig defaults() {
        return new ServerConfig(Path.of("faxlan-data"), new InetSocketAddress(4644), defaultName(), System.getenv("FAXLAN_ADMIN_PASSWORD"),
                DEFAULT_MAX_UPLOAD, null, LinesConfig.parse(new java.util.Properties()), CpiLimits.defaults());
    }

    public ServerConfig withDataDir(Path p) {
        return new ServerConfig(p, bind, name, adminPassword, maxUploadBytes, jdbcUrl, lines, cpiLimits);
    }

    public ServerConfig withBind(InetSocketAddress a) {
        return new ServerConfig(dataDir, a, name, adminPassword, maxUploadBytes, jdbcUrl, lines, cpiLimits);
    }

    public ServerConfig withName(String n) {
        return new ServerConfig(dataDir, bind, n, adminPassword, maxUploadBytes, jdbcUrl, lines, cpiLimits);
    }

    public ServerConfig withAdminPassword(String p) {
        return new ServerConfig(dataDir, bind, name, p, maxUploadBytes, jdbcUrl, lines, cpiLimits);
    }

    public ServerConfig withJdbcUrl(String url) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, url, lines, cpiLimits);
    }

    /** Fax lines; the default is the built-in loopback line alone. */
    public ServerConfig withLines(LinesConfig l) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, jdbcUrl, l, cpiLimits);
    }

    public ServerConfig withCpiLimits(CpiLimits l) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, jdbcUrl, lines, l);
    }

    static String defaultName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "faxlan";
        }
    }
}
