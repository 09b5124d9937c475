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
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(mixinStandardHelpOptions = true, name = "server", description = "Run the fax server in the foreground (embedded defaults need no config).")
final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "properties file: data, port, bind, name, db.url, db.user, db.password-file, db.pool-size, uploads.*, storage.reserve-bytes, shutdown.drain-seconds, ocr.*")
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

    /** H2's "Database may be already in use" (error 90020): its file lock is held by another process. */
    static boolean databaseInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020) return true;
        }
        return false;
    }

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        if (config != null) {
            try (Reader r = Files.newBufferedReader(config)) {
                p.load(r);
            } catch (IOException e) {
                throw new FaxlanException("cannot read config " + config + ": " + e.getMessage(), 2);
            }
        }
        ServerConfig cfg = ServerConfig.defaults();
        Path dataDir = data != null ? data : Path.of(p.getProperty("data", cfg.dataDir().toString()));
        int udpPort = port != null ? port : Integer.parseInt(p.getProperty("port", "4644"));
        if (udpPort < 0 || udpPort > 65535) throw new FaxlanException("port must be 0 to 65535, not " + udpPort, 2);
        String bindAddr = bind != null ? bind : p.getProperty("bind");
        InetSocketAddress addr = bindAddr == null ? new InetSocketAddress(udpPort) : new InetSocketAddress(bindAddr, udpPort);
        if (addr.isUnresolved()) throw new FaxlanException("cannot resolve bind address " + bindAddr, 2);
        cfg = cfg.withDataDir(dataDir).withBind(addr).withName(name != null ? name : p.getProperty("name", cfg.name()));
        try {
            Path configDir = config != null && config.toAbsolutePath().getParent() != null ? config.toAbsolutePath().getParent() : Path.of("");
            cfg = cfg.withDatabase(DatabaseSettings.from(p, System.getenv(), configDir));
        } catch (IllegalArgumentException e) {
            throw new FaxlanException("bad database settings: " + e.getMessage(), 2);
        }
        try {
            cfg = cfg.withPageLimits(new ServerConfig.PageLimits(
                    Integer.parseInt(p.getProperty("jobs.max-pages", String.valueOf(cfg.pageLimits().perJob())).strip()),
                    Integer.parseInt(p.getProperty("inbound.max-pages", String.valueOf(cfg.pageLimits().perReceivedFax())).strip())));
        } catch (IllegalArgumentException e) {
            throw new FaxlanException("bad page limit in " + (config != null ? config : "the defaults") + ": " + e.getMessage(), 2);
        }
        try {
            cfg = cfg.withLines(LinesConfig.parse(p, config != null && config.toAbsolutePath().getParent() != null ? config.toAbsolutePath().getParent() : Path.of("")));
        } catch (LinesConfigException e) {
            throw new FaxlanException("bad line settings in " + (config != null ? config : "the defaults") + ": " + e.getMessage(), 2);
        }
        cfg = cfg.withUploadLimits(uploadLimits(p));
        try {
            cfg = cfg.withCpiLimits(CpiLimits.fromProperties(p));
        } catch (IllegalArgumentException e) {
            throw new FaxlanException("bad cpi settings in " + (config != null ? config : "the defaults") + ": " + e.getMessage(), 2);
        }
        try {
            cfg = cfg.withRobustness(new ServerConfig.Robustness(Long.parseLong(p.getProperty("storage.reserve-bytes", "-1").strip()),
                    Duration.ofSeconds(Long.parseLong(p.getProperty("shutdown.drain-seconds", "60").strip()))));
        } catch (IllegalArgumentException e) {
            throw new FaxlanException("bad storage.reserve-bytes or shutdown.drain-seconds: " + e.getMessage(), 2);
        }
        try {
            String enabled = p.getProperty("ocr.enabled", "true").strip();
            if (!enabled.equals("true") && !enabled.equals("false")) throw new IllegalArgumentException("ocr.enabled must be true or false, not " + enabled);
            cfg = cfg.withOcr(new ServerConfig.Ocr(Boolean.parseBoolean(enabled), Integer.parseInt(p.getProperty("ocr.processes", "1").strip()),
                    Duration.ofSeconds(Long.parseLong(p.getProperty("ocr.page-timeout-seconds", "120").strip()))));
        } catch (IllegalArgumentException e) {
            throw new FaxlanException("bad ocr settings in " + (config != null ? config : "the defaults") + ": " + e.getMessage(), 2);
        }
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
        System.out.println("faxlan server \"" + cfg.name() + "\" listening on udp " + server.address()
                + "\n  identity " + Fingerprint.format(server.fingerprint()) + "\n  data     " + dataDir.toAbsolutePath());
        server.generatedAdminPassword().ifPresent(pw -> System.out.println(
                "  administrator account 'admin' created with password: " + pw + "\n  (shown once; change it with 'faxlan user passwd')"));
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(); // lets calls in progress end and records them before the database closes
            stop.countDown();
        }));
        stop.await();
        return 0;
    }
}
