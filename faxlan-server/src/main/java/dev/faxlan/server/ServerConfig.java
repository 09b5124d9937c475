package dev.faxlan.server;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.lines.InboundFaxSink;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.server.auth.PasswordRule;
import dev.faxlan.server.cpi.CpiLimits;
import dev.faxlan.server.dispatch.Dispatcher;
import dev.faxlan.server.dispatch.RetryPolicy;
import dev.faxlan.server.service.UploadLimits;
import dev.faxlan.server.storage.DatabaseSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Settings of one server. Defaults need no file: data in {@code ./faxlan-data}, UDP 4644 on all
 * addresses, the host name as server name.
 *
 * @param maxUploadBytes largest document accepted; bounds disk use by one request
 * @param lines the fax lines (the {@code line.*}, {@code numbers.*} and {@code sip.*} keys of the config file)
 * @param pageLimits pages per job and per received fax
 * @param uploadLimits what one user's unfinished uploads may hold, and when abandoned ones are purged
 * @param cpiLimits connections, memory and subscriptions the CPI endpoint allows (the {@code cpi.*} keys)
 * @param database embedded H2, or the external database and how to log in to it (the {@code db.*} keys)
 * @param robustness the disk space kept free and how long a stop waits for calls in progress
 * @param cluster where documents are spooled and how clients reach this node (the {@code spool.dir} and {@code cluster.*} keys)
 * @param retry when a job whose call failed is tried again (the first wait is {@code jobs.retry-first-seconds})
 */
public record ServerConfig(Path dataDir, InetSocketAddress bind, String name, String adminPassword, long maxUploadBytes, DatabaseSettings database,
        LinesConfig lines, PageLimits pageLimits, UploadLimits uploadLimits, CpiLimits cpiLimits, Robustness robustness, Ocr ocr,
        Cluster cluster, RetryPolicy retry) {
    public static final long DEFAULT_MAX_UPLOAD = 256L << 20;

    public static ServerConfig defaults() {
        return new ServerConfig(Path.of("faxlan-data"), new InetSocketAddress(4644), defaultName(), System.getenv("FAXLAN_ADMIN_PASSWORD"),
                DEFAULT_MAX_UPLOAD, DatabaseSettings.EMBEDDED, LinesConfig.parse(new Properties()), PageLimits.DEFAULT, UploadLimits.DEFAULT, CpiLimits.defaults(), Robustness.DEFAULT, Ocr.DEFAULT,
                Cluster.DEFAULT, RetryPolicy.DEFAULT);
    }

    /**
     * Pages a fax may have: a job, cover page included ({@code jobs.max-pages}, longer jobs fail
     * before their call), and a received fax ({@code inbound.max-pages}, the sender is hung up on
     * after that many and the pages before are kept).
     */
    public record PageLimits(int perJob, int perReceivedFax) {
        public static final PageLimits DEFAULT = new PageLimits(Dispatcher.DEFAULT_MAX_PAGES_PER_JOB,
                InboundFaxSink.DEFAULT_MAX_PAGES);

        public PageLimits {
            if (perJob < 1 || perJob > ConvertOptions.MAX_PAGES) {
                throw new IllegalArgumentException("jobs.max-pages must be 1 to " + ConvertOptions.MAX_PAGES + ", not " + perJob);
            }
            if (perReceivedFax < 1 || perReceivedFax > 0xFFFF) {
                throw new IllegalArgumentException("inbound.max-pages must be 1 to 65535, not " + perReceivedFax);
            }
        }
    }

    /**
     * {@code storage.reserve-bytes}: free space kept on the data directory's file system, below which
     * uploads are refused with DISK_FULL (negative: the smaller of 256 MiB and 5 % of the file
     * system); {@code shutdown.drain-seconds}: how long a stop waits for calls in progress to end
     * before it hangs them up.
     */
    public record Robustness(long reserveBytes, Duration drain) {
        public static final Robustness DEFAULT = new Robustness(-1, Duration.ofSeconds(60));

        public Robustness {
            if (drain.isNegative() || drain.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("shutdown.drain-seconds must be 0 to 3600, not " + drain.toSeconds());
            }
        }
    }

    /**
     * OCR of received faxes: {@code ocr.enabled} (true: when tesseract is installed), {@code ocr.processes}
     * tesseract processes at most at a time (1), {@code ocr.page-timeout-seconds} per page before its
     * process is killed and the page left without text (120).
     */
    public record Ocr(boolean enabled, int processes, Duration pageTimeout) {
        public static final Ocr DEFAULT = new Ocr(true, 1, Duration.ofSeconds(120));

        public Ocr {
            if (processes < 1 || processes > 64) throw new IllegalArgumentException("ocr.processes must be 1 to 64, not " + processes);
            if (pageTimeout.toSeconds() < 1 || pageTimeout.toSeconds() > 3600) {
                throw new IllegalArgumentException("ocr.page-timeout-seconds must be 1 to 3600, not " + pageTimeout.toSeconds());
            }
        }
    }

    /**
     * {@code spool.dir}: the spool directory (default: {@code spool} in the data directory); the nodes of
     * one cluster name one directory on a shared file system. {@code cluster.advertise}: the address
     * and port clients reach this node at, as other nodes list it in {@code info} (default: the bound
     * address when it is a specific one, else none). {@code cluster.heartbeat}: how often the node
     * says it is alive; a node silent for three heartbeats is dead to the others.
     */
    public record Cluster(Path spoolDir, InetSocketAddress advertise, Duration heartbeat) {
        public static final Cluster DEFAULT = new Cluster(null, null, Duration.ofSeconds(5));

        public Cluster {
            if (heartbeat.toMillis() < 100 || heartbeat.toSeconds() > 300) {
                throw new IllegalArgumentException("cluster.heartbeat-seconds must be 0.1 to 300, not " + heartbeat.toMillis() / 1000.0);
            }
        }
    }

    /** The spool directory: {@code spool.dir}, else {@code spool} in the data directory. */
    public Path spoolDir() {
        return cluster.spoolDir() != null ? cluster.spoolDir() : dataDir.resolve("spool");
    }

    public ServerConfig withCluster(Cluster c) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, database, lines, pageLimits, uploadLimits, cpiLimits, robustness, ocr, c, retry);
    }

    public ServerConfig withOcr(Ocr o) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, database, lines, pageLimits, uploadLimits, cpiLimits, robustness, o, cluster, retry);
    }

    public ServerConfig withRobustness(Robustness r) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, database, lines, pageLimits, uploadLimits, cpiLimits, r, ocr, cluster, retry);
    }

    public ServerConfig withPageLimits(PageLimits p) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, database, lines, p, uploadLimits, cpiLimits, robustness, ocr, cluster, retry);
    }

    public ServerConfig withDataDir(Path p) {
        return new ServerConfig(p, bind, name, adminPassword, maxUploadBytes, database, lines, pageLimits, uploadLimits, cpiLimits, robustness, ocr, cluster, retry);
    }

    public ServerConfig withBind(InetSocketAddress a) {
        return new ServerConfig(dataDir, a, name, adminPassword, maxUploadBytes, database, lines, pageLimits, uploadLimits, cpiLimits, robustness, ocr, cluster, retry);
    }

    public ServerConfig withName(String n) {
        return new ServerConfig(dataDir, bind, n, adminPassword, maxUploadBytes, database, lines, pageLimits, uploadLimits, cpiLimits, robustness, ocr, cluster, retry);
    }

    public ServerConfig withAdminPassword(String p) {
        return new ServerConfig(dataDir, bind, name, p, maxUploadBytes, database, lines, pageLimits, uploadLimits, cpiLimits, robustness, ocr, cluster, retry);
    }

    /** An external database by URL alone (null: embedded H2), with the other database settings as they are. */
    public ServerConfig withJdbcUrl(String url) {
        return withDatabase(new DatabaseSettings(url, database.user(), database.password(), database.poolSize()));
    }

    public ServerConfig withDatabase(DatabaseSettings d) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, d, lines, pageLimits, uploadLimits, cpiLimits, robustness, ocr, cluster, retry);
    }

    /** The external database's JDBC URL, or null for embedded H2. */
    public String jdbcUrl() {
        return database.url();
    }

    public ServerConfig withUploadLimits(UploadLimits u) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, database, lines, pageLimits, u, cpiLimits, robustness, ocr, cluster, retry);
    }

    /** Fax lines; the default is the built-in loopback line alone. */
    public ServerConfig withLines(LinesConfig l) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, database, l, pageLimits, uploadLimits, cpiLimits, robustness, ocr, cluster, retry);
    }

    public ServerConfig withRetry(RetryPolicy r) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, database, lines, pageLimits, uploadLimits, cpiLimits, robustness, ocr, cluster, r);
    }

    public ServerConfig withCpiLimits(CpiLimits c) {
        return new ServerConfig(dataDir, bind, name, adminPassword, maxUploadBytes, database, lines, pageLimits, uploadLimits, c, robustness, ocr, cluster, retry);
    }

    /** Why the preset administrator password cannot be used, or null when it can (or none is set). */
    public String adminPasswordProblem() {
        if (adminPassword == null || adminPassword.isEmpty()) return null;
        if (PasswordRule.problem(adminPassword).isEmpty()) return null;
        return "FAXLAN_ADMIN_PASSWORD has " + PasswordRule.characters(adminPassword)
                + " characters; an administrator password needs " + PasswordRule.MIN_CHARACTERS + " to "
                + PasswordRule.MAX_CHARACTERS;
    }

    static String defaultName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "faxlan";
        }
    }
}
