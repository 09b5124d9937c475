package dev.faxlan.server;

import dev.faxlan.lines.Line;
import dev.faxlan.lines.Lines;
import dev.faxlan.server.dispatch.Dispatcher;
import dev.faxlan.server.dispatch.RetryPolicy;
import dev.faxlan.server.cpi.CpiServer;
import dev.faxlan.server.inbound.InboundStore;
import dev.faxlan.server.routing.InboundRouter;
import dev.faxlan.server.identity.ServerIdentity;
import dev.faxlan.server.service.CpiService;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running faxlan server: database, spool, identity and the CPI endpoint, started and stopped together. */
public final class FaxlanServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaxlanServer.class);
    public static final String VERSION = versionOf();

    private final Database db;
    private final CpiService service;
    private final CpiServer cpi;
    private final ServerIdentity identity;
    private final ScheduledExecutorService housekeeping;
    private final Optional<String> generatedAdminPassword;
    private final Lines lines;
    private final InboundStore inbound;
    private final Dispatcher dispatcher;

    private FaxlanServer(Database db, CpiService service, CpiServer cpi, ServerIdentity identity, ScheduledExecutorService hk, Optional<String> pw,
            Lines lines, InboundStore inbound, Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.lines = lines;
        this.inbound = inbound;
        this.db = db;
        this.service = service;
        this.cpi = cpi;
        this.identity = identity;
        this.housekeeping = hk;
        this.generatedAdminPassword = pw;
    }

    public static FaxlanServer start(ServerConfig cfg) throws Exception {
        ServerThreads.logUncaughtEverywhere();
        Files.createDirectories(cfg.dataDir());
        ServerIdentity identity = ServerIdentity.loadOrCreate(cfg.dataDir().resolve("keys"), cfg.name());
        Database db = cfg.jdbcUrl() == null ? Database.embedded(cfg.dataDir()) : Database.open(cfg.jdbcUrl(), System.getenv("FAXLAN_DB_USER"), System.getenv("FAXLAN_DB_PASSWORD"));
        try {
            Spool spool = new Spool(cfg.dataDir().resolve("spool"));
            CpiService service = new CpiService(db, spool, Clock.systemUTC(), cfg.name(), VERSION, identity.fingerprint(), cfg.maxUploadBytes());
            Optional<String> pw = service.bootstrapAdmin(cfg.adminPassword());
            service.ensurePersonalMailboxes();
            CpiServer cpi = CpiServer.start(cfg.bind(), identity, service, cfg.name(), VERSION, cfg.cpiLimits());
            InboundStore inbound = new InboundStore(db, spool, Clock.systemUTC());
            inbound.addListener(new InboundRouter(db, Clock.systemUTC(), service::eventsAppended));
            Lines lines;
            try {
                lines = Lines.start(cfg.lines(), inbound, "faxlan/" + VERSION);
            } catch (Exception e) {
                cpi.close();
                throw e;
            }
            Dispatcher dispatcher = new Dispatcher(db, spool, service, number -> lines.lineFor(number).map(FaxlanServer::channel), Clock.systemUTC(),
                    RetryPolicy.DEFAULT);
            service.onJobsSubmitted(dispatcher::wake);
            service.onJobCancelled(dispatcher::cancelled);
            dispatcher.start();
            ScheduledExecutorService hk = Executors.newSingleThreadScheduledExecutor(ServerThreads.daemon("housekeeping"));
            // Guarded: a periodic task that throws (even an OutOfMemoryError) would never run again.
            hk.scheduleWithFixedDelay(ServerThreads.guarded("housekeeping", () -> {
                try {
                    service.purge();
                } catch (Exception e) {
                    log.warn("housekeeping failed", e);
                }
            }), 1, 60, TimeUnit.MINUTES);
            return new FaxlanServer(db, service, cpi, identity, hk, pw, lines, inbound, dispatcher);
        } catch (Exception e) {
            db.close();
            throw e;
        }
    }

    /** A line as the dispatcher uses it: our number as TSI, ECM with every coding, so the receiver picks the fastest. */
    private static Dispatcher.Channel channel(Line line) {
        return new Dispatcher.Channel() {
            public String name() {
                return line.name();
            }

            public int freeChannels() {
                return line.freeChannels();
            }

            public java.util.concurrent.CompletableFuture<dev.faxlan.lines.CallResult> send(String number, java.util.List<dev.faxlan.engine.image.BilevelPage> pages,
                    Runnable onSending) {
                return line.send(number, pages, Lines.receiveOptions(""), e -> {
                    // Progress arrives on the calls' scheduler thread, which must never wait for the database.
                    if (e instanceof dev.faxlan.engine.fax.FaxEvent.Negotiated) java.util.concurrent.CompletableFuture.runAsync(onSending);
                });
            }
        };
    }

    public InetSocketAddress address() {
        return cpi.localAddress();
    }

    public int port() {
        return cpi.localAddress().getPort();
    }

    public byte[] fingerprint() {
        return identity.fingerprint();
    }

    /** The administrator password generated on first start, if one was (to be printed once). */
    public Optional<String> generatedAdminPassword() {
        return generatedAdminPassword;
    }

    public CpiService service() {
        return service;
    }

    /** The running fax lines (the loopback line at least, unless disabled). */
    public Lines lines() {
        return lines;
    }

    /** Where received faxes are stored; listeners hear of each one. */
    public InboundStore inbound() {
        return inbound;
    }

    @Override
    public void close() {
        dispatcher.close();
        lines.close();
        housekeeping.shutdownNow();
        cpi.close();
        db.close();
    }

    private static String versionOf() {
        String v = FaxlanServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }
}
