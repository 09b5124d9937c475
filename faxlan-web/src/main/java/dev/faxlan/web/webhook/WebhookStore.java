package dev.faxlan.web.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * Webhooks and their delivery log in the web process's own H2 database, {@code DATA/webhooks/}, in a
 * directory only the process's user may enter (it holds the webhooks' secrets and API keys). Every write
 * commits before it returns, and {@code WRITE_DELAY=0} hands each commit to the operating system at once,
 * so a process killed right after a delivery still has its cursor.
 */
public final class WebhookStore implements AutoCloseable {
    /** Flyway's migrations of this database, apart from the fax server's own on the same class path. */
    private static final String MIGRATIONS = "classpath:dev/faxlan/web/webhook/migration";
    /** H2's error code for a database file another process holds open. */
    private static final int DATABASE_ALREADY_OPEN = 90020;
    private static final String COLUMNS = "id, owner, url, events, secret, api_key_id, api_key, event_cursor, stopped, created";

    private final JdbcConnectionPool pool;

    private WebhookStore(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    /** Opens (or creates) the database in {@code dataDir/webhooks}; fails if another process has it open. */
    public static WebhookStore open(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().resolve("webhooks");
        try {
            createPrivateDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the webhook database directory " + dir + ": " + e.getMessage(), e);
        }
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + dir.resolve("webhooks") + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000", "web", "");
        try {
            Flyway.configure().dataSource(pool).locations(MIGRATIONS).load().migrate();
        } catch (RuntimeException e) {
            pool.dispose();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException sql && sql.getErrorCode() == DATABASE_ALREADY_OPEN) {
                    throw new IllegalStateException("the webhook database in " + dir + " is in use by another process"
                            + " (another faxlan web with the same data.dir?)", e);
                }
            }
            throw e;
        }
        return new WebhookStore(pool);
    }

    /** Creates {@code dir} and missing parents as 0700, so what H2 writes inside is for this user alone whatever its umask. */
    private static void createPrivateDirectories(Path dir) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir);
            return;
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    /** Stores a new webhook (cursor unset) and returns it with its id. */
    public Webhook add(String owner, URI url, Set<String> events, String secret, long apiKeyId, String apiKey, Instant created) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO webhook (owner, url, events, secret, api_key_id, api_key, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                st.setString(1, owner);
                st.setString(2, url.toString());
                st.setString(3, events.isEmpty() ? null : String.join(",", events.stream().sorted().toList()));
                st.setString(4, secret);
                st.setLong(5, apiKeyId);
                st.setString(6, apiKey);
                st.setLong(7, created.toEpochMilli());
                st.executeUpdate();
                try (ResultSet keys = st.getGeneratedKeys()) {
                    keys.next();
                    return new Webhook(keys.getLong(1), owner, url, events, secret, apiKeyId, apiKey, null, null, created);
                }
            }
        });
    }

    public Optional<Webhook> get(long id) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook WHERE id = ?")) {
                st.setLong(1, id);
                List<Webhook> found = webhooks(st);
                return found.stream().findFirst();
            }
        });
    }

    /** The webhook that reads the event log with API key {@code apiKeyId}. */
    public Optional<Webhook> byApiKey(long apiKeyId) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook WHERE api_key_id = ?")) {
                st.setLong(1, apiKeyId);
                return webhooks(st).stream().findFirst();
            }
        });
    }

    /** Every webhook, oldest first. */
    public List<Webhook> all() {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook ORDER BY id")) {
                return webhooks(st);
            }
        });
    }

    /** The webhooks of {@code owner}, oldest first. */
    public List<Webhook> ownedBy(String owner) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + COLUMNS + " FROM webhook WHERE owner = ? ORDER BY id")) {
                st.setString(1, owner);
                return webhooks(st);
            }
        });
    }

    /** Removes the webhook and its delivery log; false if there was none. */
    public boolean remove(long id) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM webhook WHERE id = ?")) {
                st.setLong(1, id);
                return st.executeUpdate() > 0;
            }
        });
    }

    /** Records that the webhook is done with every event up to {@code seq}. */
    public void setCursor(long id, long seq) {
        update("UPDATE webhook SET event_cursor = ? WHERE id = ?", st -> {
            st.setLong(1, seq);
            st.setLong(2, id);
        });
    }

    /** Records why deliveries stopped (null: they run again). */
    public void setStopped(long id, String why) {
        update("UPDATE webhook SET stopped = ? WHERE id = ?", st -> {
            st.setString(1, why);
            st.setLong(2, id);
        });
    }

    /** Adds one attempt to the delivery log. */
    public void record(DeliveryAttempt a) {
        update("INSERT INTO delivery (webhook_id, event_id, event_type, attempt, at, status, error, duration_ms, outcome)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", st -> {
                    st.setLong(1, a.webhookId());
                    st.setString(2, a.eventId());
                    st.setString(3, a.eventType());
                    st.setInt(4, a.attempt());
                    st.setLong(5, a.at().toEpochMilli());
                    if (a.status() == null) st.setNull(6, Types.INTEGER);
                    else st.setInt(6, a.status());
                    st.setString(7, a.error() == null ? null : truncate(a.error(), 1024));
                    st.setLong(8, a.duration().toMillis());
                    st.setString(9, a.outcome().wire());
                });
    }

    /** The newest {@code limit} attempts of the webhook's log, newest first. */
    public List<DeliveryAttempt> deliveries(long webhookId, int limit) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT webhook_id, event_id, event_type, attempt, at, status, error, duration_ms, outcome"
                    + " FROM delivery WHERE webhook_id = ? ORDER BY id DESC LIMIT ?")) {
                st.setLong(1, webhookId);
                st.setInt(2, limit);
                List<DeliveryAttempt> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        int status = rs.getInt(6);
                        Integer statusOrNull = rs.wasNull() ? null : status;
                        out.add(new DeliveryAttempt(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), Instant.ofEpochMilli(rs.getLong(5)),
                                statusOrNull, rs.getString(7), Duration.ofMillis(rs.getLong(8)), DeliveryAttempt.Outcome.of(rs.getString(9))));
                    }
                }
                return out;
            }
        });
    }

    /** The attempts an event has had so far and when the first was, so a restart continues its count and its retry time. */
    public record Tried(int attempts, Instant first) {}

    /** How often {@code eventId} was tried already, or empty if never (or the log has dropped those attempts). */
    public Optional<Tried> tried(long webhookId, String eventId) {
        return run(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT MAX(attempt), MIN(at) FROM delivery WHERE webhook_id = ? AND event_id = ?")) {
                st.setLong(1, webhookId);
                st.setString(2, eventId);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    int attempts = rs.getInt(1);
                    return rs.wasNull() ? Optional.empty() : Optional.of(new Tried(attempts, Instant.ofEpochMilli(rs.getLong(2))));
                }
            }
        });
    }

    /** Drops attempts older than {@code before}, and past each webhook's newest {@code keep}; returns how many went. */
    public int prune(Instant before, int keep) {
        return run(c -> {
            int n;
            try (PreparedStatement st = c.prepareStatement("DELETE FROM delivery WHERE at < ?")) {
                st.setLong(1, before.toEpochMilli());
                n = st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM delivery d WHERE d.id <= (SELECT x.id FROM delivery x"
                    + " WHERE x.webhook_id = d.webhook_id ORDER BY x.id DESC LIMIT 1 OFFSET ?)")) {
                st.setInt(1, keep);
                n += st.executeUpdate();
            }
            return n;
        });
    }

    @Override
    public void close() {
        pool.dispose();
    }

    private static List<Webhook> webhooks(PreparedStatement st) throws SQLException {
        List<Webhook> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                String events = rs.getString(4);
                long cursor = rs.getLong(8);
                Long cursorOrNull = rs.wasNull() ? null : cursor;
                out.add(new Webhook(rs.getLong(1), rs.getString(2), URI.create(rs.getString(3)),
                        events == null ? Set.of() : Arrays.stream(events.split(",")).collect(Collectors.toSet()), rs.getString(5), rs.getLong(6),
                        rs.getString(7), cursorOrNull, rs.getString(9), Instant.ofEpochMilli(rs.getLong(10))));
            }
        }
        return out;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        run(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                binder.bind(st);
                return st.executeUpdate();
            }
        });
    }

    /** Runs {@code work} on a connection of its own (auto-commit: each statement commits). */
    private <T> T run(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("the webhook database failed: " + e.getMessage(), e);
        }
    }
}
