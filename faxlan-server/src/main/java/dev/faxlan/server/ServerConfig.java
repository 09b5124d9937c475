package dev.faxlan.server;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Settings of one server. Defaults need no file: data in {@code ./faxlan-data}, UDP 4644 on all
 * addresses, the host name as server name.
 *
 * @param maxUploadBytes largest document accepted; bounds disk use by one request
 */
public record ServerConfig(Path dataDir, InetSocketAddress bind, String name, String adminPassword, long maxUploadBytes, String jdbcUrl) {
    public static final long DEFAULT_MAX_UPLOAD = 256L << 20;

    public static ServerConfig defaults() {
        return new ServerConfig(Path.of("faxlan-data"), new InetSocketAddress(4644), defaultName(), System.getenv("FAXLAN_ADMIN_PASSWORD"),
                DEFAULT_MAX_UPLOAD, null);
    }

    public ServerConfig withDataDir(Path p) {
        return new ServerConfig(p, bind, name, adminPassword, maxUploadBytes, jdbcUrl);
    }

    public ServerConfig withBind(InetSocketAddress a) {
        return new ServerConfig(dataDir, a, name, adminPassword, maxUploadBytes, jdbcUrl);
    }

    public ServerConfig withName(String n) {
        return new ServerConfig(dataDir, bind, n, adminPassword, maxUploadBytes, jdbcUrl);
    }

    public ServerConfig withAdminPassword(String p) {
        return new ServerConfig(dataDir, bind, name, p, maxUploadBytes, jdbcUrl);
    }

    public ServerConfig withJdbcUrl(String url) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, url);
    }

    static String defaultName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "faxlan";
        }
    }
}
