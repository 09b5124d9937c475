package dev.faxlan.server.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Where the server's database is: none (embedded H2 in the data directory) or a JDBC URL with the
 * user, password and pool size to use. The password comes from a file or the environment, never
 * from the URL or the command line.
 *
 * @param url the JDBC URL, or null for embedded H2
 * @param poolSize connections the server keeps at most ({@code db.pool-size})
 */
public record DatabaseSettings(String url, String user, String password, int poolSize) {
    public static final DatabaseSettings EMBEDDED = new DatabaseSettings(null, null, null, Database.DEFAULT_POOL_SIZE);
    /** The user name when none is given: the name the .deb's and the README's setup give the database role. */
    public static final String DEFAULT_USER = "faxlan";

    public DatabaseSettings {
        if (poolSize < 1 || poolSize > 1000) throw new IllegalArgumentException("db.pool-size must be 1 to 1000, not " + poolSize);
        if (url != null) Dialect.ofUrl(url); // refuses any other database, naming the URL without a password
    }

    /**
     * The settings from the config file's {@code db.url} (or its older name {@code jdbc.url}),
     * {@code db.user}, {@code db.password-file} and {@code db.pool-size}, each overridden by the
     * environment ({@code FAXLAN_DB_URL}, {@code FAXLAN_DB_USER}, {@code FAXLAN_DB_PASSWORD_FILE}),
     * so a service manager or container can point a packaged config elsewhere without editing it.
     * {@code FAXLAN_DB_PASSWORD} still works when no password file is named.
     *
     * @param base the directory a relative password file is resolved against (the config file's)
     * @throws IllegalArgumentException a bad value, a URL with a password in it, an unreadable password file
     */
    public static DatabaseSettings from(Properties p, Map<String, String> env, Path base) {
        String url = first(env.get("FAXLAN_DB_URL"), p.getProperty("db.url"), p.getProperty("jdbc.url"));
        int pool = Database.DEFAULT_POOL_SIZE;
        String poolSetting = p.getProperty("db.pool-size");
        if (poolSetting != null && !poolSetting.isBlank()) {
            try {
                pool = Integer.parseInt(poolSetting.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("db.pool-size must be a number from 1 to 1000, not '" + poolSetting.strip() + "'");
            }
        }
        if (url == null) return new DatabaseSettings(null, null, null, pool);
        String key = env.get("FAXLAN_DB_URL") != null && !env.get("FAXLAN_DB_URL").isBlank() ? "FAXLAN_DB_URL"
                : p.getProperty("db.url") != null && !p.getProperty("db.url").isBlank() ? "db.url" : "jdbc.url";
        try {
            Dialect.ofUrl(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be a PostgreSQL (jdbc:postgresql://HOST[:PORT]/DATABASE) or H2 (jdbc:h2:…) URL, not '"
                    + Database.scrubbed(url) + "'");
        }
        if (Database.hasPassword(url)) {
            throw new IllegalArgumentException("the database URL carries a password (" + Database.scrubbed(url)
                    + "): give it in a file instead (db.password-file or FAXLAN_DB_PASSWORD_FILE)");
        }
        String user = first(env.get("FAXLAN_DB_USER"), p.getProperty("db.user"), DEFAULT_USER);
        String password = null;
        String envFile = blankToNull(env.get("FAXLAN_DB_PASSWORD_FILE"));
        String file = envFile != null ? envFile : blankToNull(p.getProperty("db.password-file"));
        if (file != null) {
            Path f = envFile != null ? Path.of(file) : base.resolve(file);
            try {
                // The first line: a file written by echo ends with a newline that is not part of the password.
                password = Files.readString(f, StandardCharsets.UTF_8).lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the database password file " + f + " (" + (envFile != null ? "FAXLAN_DB_PASSWORD_FILE"
                        : "db.password-file") + "): " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        } else if (env.get("FAXLAN_DB_PASSWORD") != null) {
            password = env.get("FAXLAN_DB_PASSWORD");
        }
        return new DatabaseSettings(url.strip(), user, password, pool);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) return v.strip();
        }
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public boolean embedded() {
        return url == null;
    }

    @Override
    public String toString() {
        // Never the password.
        return embedded() ? "embedded H2" : Database.scrubbed(url) + " as " + user + " (pool " + poolSize + ")";
    }
}
