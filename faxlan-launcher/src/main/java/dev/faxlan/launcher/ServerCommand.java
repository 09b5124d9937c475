package dev.faxlan.launcher;

import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.server.cpi.CpiLimits;
import dev.faxlan.transport.keylog.TlsKeyLog;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.lines.LinesConfigException;
import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.faxlan.server.service.UploadLimits;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.DatabaseSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import dev.faxlan.server.metrics.MetricsEndpoint;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "server", description = "Run the fax server in the foreground (embedded defaults need no config).")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "properties file: data, port, bind, name, db.url, db.user, db.password-file, db.pool-size,"
            + " spool.dir, cluster.*, uploads.*, storage.reserve-bytes, shutdown.drain-seconds, ocr.*, metrics.listen, log.format")
    Path config;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: ./faxlan-data)")
    Path data;

    @Option(names = "--port", description = "UDP port for CPI (default: 4644)")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (default: all)")
    String bind;

    @Option(names = "--name", description = "server name shown to clients (default: host name)")
    String name;

    @Option(names = "--keylog", paramLabel = "FILE", description = "debugging only: append the TLS secrets of every CPI connection to FILE"
            + " (NSS key log format, for Wireshark; created owner-only; see docs/packet-analysis.md)")
    Path keyLog;

    @Option(names = "--check-config", description = "check the configuration as the server would read it (and reach its database, if one is set),"
            + " print each problem on a line, start nothing; exit 0 if it is valid, 2 if not, 1 if only the database cannot be reached")
    boolean checkConfig;

    /** The {@code uploads.*} keys: per-user bounds on unfinished uploads and the lifetime of abandoned ones. */
    private static UploadLimits uploadLimits(Properties p) {
        UploadLimits d = UploadLimits.DEFAULT;
        try {
            return new UploadLimits(Integer.parseInt(p.getProperty("uploads.max-unfinished", String.valueOf(d.maxUnfinishedUploads())).strip()),
                    Long.parseLong(p.getProperty("uploads.max-unfinished-bytes", String.valueOf(d.maxUnfinishedBytes())).strip()),
                    Duration.ofHours(Long.parseLong(p.getProperty("uploads.part-lifetime-hours", String.valueOf(d.partLifetime().toHours())).strip())));
        } catch (IllegalArgumentException e) {
            throw new FaxlanException("bad uploads.* setting: " + e.getMessage(), 2);
        }
    }

    /**
     * {@code spool.dir} (the nodes of a cluster name one directory on a shared file system),
     * {@code cluster.advertise} HOST:PORT (where clients reach this node), {@code cluster.heartbeat-seconds}.
     */
    static ServerConfig.Cluster cluster(Properties p) {
        String spool = p.getProperty("spool.dir");
        Path spoolDir = spool == null || spool.isBlank() ? null : Path.of(spool.strip());
        InetSocketAddress advertise = null;
        String a = p.getProperty("cluster.advertise");
        if (a != null && !a.isBlank()) {
            a = a.strip();
            int colon = a.lastIndexOf(':');
            if (colon <= 0 || colon == a.length() - 1) throw new IllegalArgumentException("cluster.advertise must be HOST:PORT, not " + a);
            String host = a.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cluster.advertise must be HOST:PORT, not " + a);
            }
            if (port < 1 || port > 65535) throw new IllegalArgumentException("cluster.advertise's port must be 1 to 65535, not " + port);
            advertise = InetSocketAddress.createUnresolved(host, port);
        }
        String beat = p.getProperty("cluster.heartbeat-seconds", "5").strip();
        Duration heartbeat;
        try {
            heartbeat = Duration.ofMillis(Math.round(Double.parseDouble(beat) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster.heartbeat-seconds must be a number of seconds, not " + beat);
        }
        return new ServerConfig.Cluster(spoolDir, advertise, heartbeat);
    }

    /** H2's "Database may be already in use" (error 90020): its file lock is held by another process. */
    static boolean databaseInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020) return true;
        }
        return false;
    }

    /** What the configuration says, and each problem found in it (one line each); parts with a problem keep their defaults. */
    record Settings(ServerConfig server, Path dataDir, InetSocketAddress metrics, boolean jsonLogs, List<String> problems) {}

    Settings configure(Properties p) {
        List<String> problems = new ArrayList<>();
        String source = config != null ? config.toString() : "the defaults";
        ServerConfig cfg = ServerConfig.defaults();
        Path dataDir = data != null ? data : Path.of(p.getProperty("data", cfg.dataDir().toString()));
        int udpPort = 4644;
        try {
            udpPort = port != null ? port : Integer.parseInt(p.getProperty("port", "4644").strip());
            if (udpPort < 0 || udpPort > 65535) problems.add("port must be 0 to 65535, not " + udpPort);
        } catch (NumberFormatException e) {
            problems.add("port must be a number from 0 to 65535, not '" + p.getProperty("port") + "'");
        }
        String bindAddr = bind != null ? bind : p.getProperty("bind");
        InetSocketAddress addr = new InetSocketAddress(Math.max(0, Math.min(65535, udpPort)));
        if (bindAddr != null) {
            addr = new InetSocketAddress(bindAddr, Math.max(0, Math.min(65535, udpPort)));
            if (addr.isUnresolved()) problems.add("cannot resolve bind address " + bindAddr);
        }
        cfg = cfg.withDataDir(dataDir).withBind(addr).withName(name != null ? name : p.getProperty("name", cfg.name()));
        try {
            Path configDir = config != null && config.toAbsolutePath().getParent() != null ? config.toAbsolutePath().getParent() : Path.of("");
            cfg = cfg.withDatabase(DatabaseSettings.from(p, System.getenv(), configDir));
        } catch (IllegalArgumentException e) {
            problems.add("bad database settings: " + e.getMessage());
        }
        try {
            cfg = cfg.withPageLimits(new ServerConfig.PageLimits(
                    Integer.parseInt(p.getProperty("jobs.max-pages", String.valueOf(cfg.pageLimits().perJob())).strip()),
                    Integer.parseInt(p.getProperty("inbound.max-pages", String.valueOf(cfg.pageLimits().perReceivedFax())).strip())));
        } catch (IllegalArgumentException e) {
            problems.add("bad page limit in " + source + ": " + e.getMessage());
        }
        try {
            cfg = cfg.withLines(LinesConfig.parse(p, config != null && config.toAbsolutePath().getParent() != null ? config.toAbsolutePath().getParent() : Path.of("")));
        } catch (LinesConfigException e) {
            problems.add("bad line settings in " + source + ": " + e.getMessage());
        }
        try {
            cfg = cfg.withUploadLimits(uploadLimits(p));
        } catch (FaxlanException e) {
            problems.add(e.getMessage());
        }
        try {
            cfg = cfg.withCpiLimits(CpiLimits.fromProperties(p));
        } catch (IllegalArgumentException e) {
            problems.add("bad cpi settings in " + source + ": " + e.getMessage());
        }
        try {
            cfg = cfg.withRobustness(new ServerConfig.Robustness(Long.parseLong(p.getProperty("storage.reserve-bytes", "-1").strip()),
                    Duration.ofSeconds(Long.parseLong(p.getProperty("shutdown.drain-seconds", "60").strip()))));
        } catch (IllegalArgumentException e) {
            problems.add("bad storage.reserve-bytes or shutdown.drain-seconds: " + e.getMessage());
        }
        try {
            String enabled = p.getProperty("ocr.enabled", "true").strip();
            if (!enabled.equals("true") && !enabled.equals("false")) throw new IllegalArgumentException("ocr.enabled must be true or false, not " + enabled);
            cfg = cfg.withOcr(new ServerConfig.Ocr(Boolean.parseBoolean(enabled), Integer.parseInt(p.getProperty("ocr.processes", "1").strip()),
                    Duration.ofSeconds(Long.parseLong(p.getProperty("ocr.page-timeout-seconds", "120").strip()))));
        } catch (IllegalArgumentException e) {
            problems.add("bad ocr settings in " + source + ": " + e.getMessage());
        }
        try {
            cfg = cfg.withRetry(cfg.retry().withFirstDelay(Duration.ofSeconds(Long.parseLong(
                    p.getProperty("jobs.retry-first-seconds", String.valueOf(cfg.retry().firstDelay().toSeconds())).strip()))));
        } catch (IllegalArgumentException e) {
            problems.add("bad jobs.retry-first-seconds in " + source + ": " + e.getMessage());
        }
        try {
            cfg = cfg.withCluster(cluster(p));
        } catch (IllegalArgumentException e) {
            problems.add("bad spool.dir or cluster.* setting in " + source + ": " + e.getMessage());
        }
        String badPassword = cfg.adminPasswordProblem();
        if (badPassword != null) problems.add(badPassword);
        InetSocketAddress metricsAddress = null;
        String metricsListen = p.getProperty("metrics.listen");
        if (metricsListen != null && !metricsListen.isBlank()) {
            try {
                metricsAddress = ConfigCheck.hostPort(metricsListen.strip());
            } catch (IllegalArgumentException e) {
                problems.add("bad metrics.listen in " + source + ": " + e.getMessage());
            }
        }
        boolean json = false;
        String env = System.getenv("FAXLAN_LOG_FORMAT");
        String format = (env != null && !env.isBlank() ? env : p.getProperty("log.format", "text")).strip();
        if (format.equals("json")) json = true;
        else if (!format.equals("text")) {
            problems.add((env != null && !env.isBlank() ? "FAXLAN_LOG_FORMAT" : "log.format in " + source) + " must be text or json, not '" + format + "'");
        }
        return new Settings(cfg, dataDir, metricsAddress, json, problems);
    }

    /**
     * What the server prints once it listens: text lines, or in JSON mode one JSON object on stdout
     * (so that every line the server writes parses); the generated password only here, never in a log.
     */
    private static void banner(boolean json, String name, FaxlanServer server, Path dataDir, MetricsEndpoint metrics) {
        String pw = server.generatedAdminPassword().orElse(null);
        if (json) {
            StringBuilder b = new StringBuilder("{\"event\":\"listening\",\"name\":").append(jsonString(name))
                    .append(",\"cpi\":").append(jsonString("udp " + server.address()))
                    .append(",\"identity\":").append(jsonString(Fingerprint.format(server.fingerprint())))
                    .append(",\"data\":").append(jsonString(dataDir.toAbsolutePath().toString()));
            if (metrics != null) b.append(",\"metrics\":").append(jsonString("http://" + hostPort(metrics.address()) + "/metrics"));
            if (pw != null) b.append(",\"adminPassword\":").append(jsonString(pw));
            System.out.println(b.append('}'));
        } else {
            System.out.println("faxlan server \"" + name + "\" listening on udp " + server.address()
                    + "\n  identity " + Fingerprint.format(server.fingerprint()) + "\n  data     " + dataDir.toAbsolutePath()
                    + (metrics == null ? "" : "\n  metrics  http://" + hostPort(metrics.address()) + "/metrics"));
            if (pw != null) {
                System.out.println("  administrator account 'admin' created with password: " + pw + "\n  (shown once; change it with 'faxlan user passwd')");
            }
        }
        System.out.flush();
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        if (config != null) {
            try (Reader r = Files.newBufferedReader(config)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new FaxlanException("cannot read config " + config + ": " + e.getMessage(), 2);
            }
        }
        Settings settings = configure(p);
        if (checkConfig) return ConfigCheck.check(settings, config);
        if (!settings.problems().isEmpty()) {
            String first = settings.problems().get(0);
            throw new FaxlanException(settings.problems().size() == 1 ? first
                    : first + " (and " + (settings.problems().size() - 1) + " more: 'faxlan server --check-config' lists them all)", 2);
        }
        if (settings.jsonLogs()) LogFormat.useJson();
        ServerConfig cfg = settings.server();
        Path dataDir = settings.dataDir();
        InetSocketAddress addr = cfg.bind();
        TlsKeyLog secrets = null;
        if (keyLog != null) {
            try {
                secrets = TlsKeyLog.open(keyLog);
            } catch (IOException e) {
                throw new FaxlanException(e.getMessage(), 2);
            }
        }
        FaxlanServer server;
        try {
            server = FaxlanServer.start(cfg, secrets);
        } catch (io.netty.channel.unix.Errors.NativeIoException e) {
            throw new FaxlanException("cannot listen on udp " + addr + ": " + e.getMessage(), 1);
        } catch (IllegalArgumentException e) {
            throw new FaxlanException(e.getMessage(), 2);
        } catch (Database.Unreachable e) {
            // One line, no stack trace: exit 3 as a refused login does for clients, 4 as an unreachable server.
            throw new FaxlanException(e.getMessage(), e.loginRefused() ? 3 : 4);
        } catch (Exception e) {
            if (databaseInUse(e)) {
                throw new FaxlanException("the data directory " + dataDir.toAbsolutePath() + " is in use by another faxlan server: stop that one,"
                        + " or give this one its own --data DIR", 1, e);
            }
            throw e;
        }
        MetricsEndpoint metrics = null;
        if (settings.metrics() != null) {
            try {
                metrics = MetricsEndpoint.start(settings.metrics(), server.service().metrics());
            } catch (IOException e) {
                server.close();
                throw new FaxlanException("cannot serve metrics on http " + settings.metrics() + ": " + e.getMessage(), 1);
            }
        }
        banner(settings.jsonLogs(), cfg.name(), server, dataDir, metrics);
        CountDownLatch stop = new CountDownLatch(1);
        MetricsEndpoint endpoint = metrics;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (endpoint != null) endpoint.close();
            server.stop(); // lets calls in progress end and records them before the database closes
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
