package dev.faxlan.server;

import dev.faxlan.lines.Line;
import dev.faxlan.lines.Lines;
import dev.faxlan.server.dispatch.Dispatcher;
import dev.faxlan.server.dispatch.RetryPolicy;
import dev.faxlan.server.core.port.EventBus;
import dev.faxlan.server.cpi.CpiServer;
import dev.faxlan.server.cluster.NodeRegistry;
import dev.faxlan.server.events.InProcessEventBus;
import dev.faxlan.server.events.PostgresEventBus;
import dev.faxlan.server.inbound.InboundStore;
import dev.faxlan.server.routing.InboundRouter;
import dev.faxlan.server.ocr.OcrWorker;
import dev.faxlan.server.identity.ServerIdentity;
import dev.faxlan.server.core.port.LineDirectory;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.service.JobEvents;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.JdbcJobQueue;
import java.net.InetSocketAddress;
import dev.faxlan.server.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    private final OcrWorker ocr;
    private final Path dataDir;
    private final NodeRegistry registry;
    private java.time.Duration drain = java.time.Duration.ZERO;
    /** Closed after the dispatcher and before the database: its last messages are sent with it. */
    private EventBus bus;

    private FaxlanServer(Database db, CpiService service, CpiServer cpi, ServerIdentity identity, ScheduledExecutorService hk, Optional<String> pw,
            Lines lines, InboundStore inbound, Dispatcher dispatcher, Path dataDir, OcrWorker ocr, NodeRegistry registry) {
        this.registry = registry;
        this.ocr = ocr;
        this.dataDir = dataDir;
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

    /**
     * Starts a server on {@code cfg}.
     *
     * @throws IllegalArgumentException with a one-line message when the settings cannot be used
     */
    public static FaxlanServer start(ServerConfig cfg) throws Exception {
        return start(cfg, null);
    }

    /** As {@link #start(ServerConfig)}, writing the TLS secrets of every CPI connection to {@code keyLog} when it is not null (debugging only). */
    public static FaxlanServer start(ServerConfig cfg, dev.faxlan.transport.keylog.TlsKeyLog keyLog) throws Exception {
        return start(cfg, keyLog, Clock.systemUTC());
    }

    /**
     * As {@link #start(ServerConfig, dev.faxlan.transport.keylog.TlsKeyLog)}, with the server's time
     * from {@code clock}: sessions, jobs' times and retries, the media memory, received faxes. Tests
     * move it to expire what lasts days; calls and their T.30 timers keep real time.
     */
    public static FaxlanServer start(ServerConfig cfg, dev.faxlan.transport.keylog.TlsKeyLog keyLog, Clock clock) throws Exception {
        ServerThreads.logUncaughtEverywhere();
        String badPassword = cfg.adminPasswordProblem();
        if (badPassword != null) throw new IllegalArgumentException(badPassword);
        Path dataDir = cfg.dataDir();
        // Before anything is written: the directory holds hashes, the private key and users' documents.
        boolean existed = Files.isDirectory(dataDir);
        PrivateFiles.createDirectories(dataDir);
        if (existed) {
            for (String fixed : PrivateFiles.tighten(dataDir)) log.warn("made private (was readable by others): {}", fixed);
        }
        ServerIdentity identity = ServerIdentity.loadOrCreate(dataDir.resolve("keys"), cfg.name());
        // The node's name for its leases, its scratch files and its row in nodes: from its key, so the
        // same at every start of this data directory.
        String node = "node-" + java.util.HexFormat.of().formatHex(identity.fingerprint(), 0, 8);
        Database db;
        if (cfg.jdbcUrl() == null) {
            PrivateFiles.createDirectories(dataDir.resolve("db"));
            db = Database.embedded(dataDir);
            PrivateFiles.tighten(dataDir.resolve("db")); // H2 creates its files under the process's umask
        } else {
            db = Database.open(cfg.database(), dataDir);
        }
        try {
            Spool spool = new Spool(cfg.spoolDir(), node);
            long freed = spool.clearTemp();
            if (freed > 0) log.info("removed {} bytes of temporary files a previous run left in the spool", freed);
            // submit refuses numbers the lines cannot dial: the service asks, the lines configuration answers.
            CpiService service = new CpiService(db, spool, clock, cfg.name(), VERSION, identity.fingerprint(), cfg.maxUploadBytes(),
                    cfg.uploadLimits(), cfg.lines()::whyNotDialable);
            // The spool (spool.dir may be a shared file system of its own) and the data directory: uploads fill the one, H2 the other.
            service.setDiskSpace(dev.faxlan.server.files.DiskSpace.of(java.util.List.of(dataDir, cfg.spoolDir()), cfg.robustness().reserveBytes()));
            Optional<String> pw = service.bootstrapAdmin(cfg.adminPassword());
            service.ensurePersonalMailboxes();
            CpiServer cpi = CpiServer.start(cfg.bind(), identity, service, cfg.name(), VERSION, cfg.cpiLimits(), keyLog);
            InboundStore inbound = new InboundStore(db, spool, clock, cfg.pageLimits().perReceivedFax());
            inbound.receivedBy(node);
            InetSocketAddress reachedAt = cfg.cluster().advertise() != null ? cfg.cluster().advertise()
                    : cpi.localAddress().getAddress().isAnyLocalAddress() ? null : cpi.localAddress();
            NodeRegistry registry = NodeRegistry.start(db, clock, node, cfg.name(), reachedAt, identity.fingerprint(), cfg.cluster().heartbeat());
            service.setClusterNodes(registry::forClients);
            // Nodes sharing a PostgreSQL database hear each other's news and hang-ups; on H2 the node is alone.
            EventBus bus = Dispatcher.alerting(db.isPostgres() ? new PostgresEventBus(db) : new InProcessEventBus(), service.jobs().notifications());
            InboundRouter router = new InboundRouter(db, clock, bus);
            Optional<dev.faxlan.documents.ocr.Tesseract> tesseract = cfg.ocr().enabled() ? dev.faxlan.documents.ocr.Tesseract.find() : Optional.empty();
            if (!cfg.ocr().enabled()) {
                log.info("OCR of received faxes is off (ocr.enabled=false): inbox search finds nothing and content routing rules never match");
            } else if (tesseract.isEmpty()) {
                log.warn("tesseract is not installed ({}): received faxes are not read, inbox search finds nothing and content routing rules"
                        + " never match", dev.faxlan.documents.ocr.Tesseract.PACKAGE);
            } else {
                log.info("received faxes are read by {} ({} process(es) at a time, {} s per page at most)", tesseract.get().program(),
                        cfg.ocr().processes(), cfg.ocr().pageTimeout().toSeconds());
            }
            OcrWorker ocr = new OcrWorker(db, spool, tesseract, cfg.ocr().processes(), cfg.ocr().pageTimeout(), router, clock);
            ocr.claimAs(node); // each received fax is read by one node of the cluster
            // OCR stands in front of the router: a fax waits for its page 1 only when a rule matches on content.
            inbound.addListener(ocr);
            inbound.addListener(fax -> service.metrics().faxReceived(fax.pages()));
            Lines lines;
            try {
                lines = Lines.start(cfg.lines(), inbound, "faxlan/" + VERSION);
            } catch (Exception e) {
                registry.close();
                cpi.close();
                throw e;
            }
            service.setLines(() -> lines.all().stream().map(FaxlanServer::status).toList());
            service.metrics().lines(() -> lines.all().stream()
                    .map(l -> new dev.faxlan.server.metrics.ServerMetrics.LineLoad(l.name(), l.config().channels(), status(l).calls())).toList());
            service.metrics().jobs(db);
            service.metrics().alertSubscribers(cpi::alertSubscriptions);
            Dispatcher dispatcher = new Dispatcher(new JdbcJobQueue(db, JobEvents::append, bus), bus, node, db, spool, service.jobs(),
                    number -> lines.lineFor(number).map(l -> channel(l, service.metrics())), clock, RetryPolicy.DEFAULT, cfg.pageLimits().perJob());
            dispatcher.mediaMemory(cfg.lines().mediaMemory());
            service.onJobsSubmitted(dispatcher::wake);
            service.onJobCancelled(dispatcher::cancelled);
            dispatcher.start();
            ocr.start();
            ScheduledExecutorService hk = Executors.newSingleThreadScheduledExecutor(ServerThreads.daemon("housekeeping"));
            // Guarded: a periodic task that throws (even an OutOfMemoryError) would never run again.
            hk.scheduleWithFixedDelay(ServerThreads.guarded("housekeeping", () -> {
                try {
                    service.purge();
                } catch (Exception e) {
                    log.warn("housekeeping failed", e);
                }
                clearScratchOfGoneNodes(spool, registry, clock);
            }), 1, 60, TimeUnit.MINUTES);
            FaxlanServer server = new FaxlanServer(db, service, cpi, identity, hk, pw, lines, inbound, dispatcher, dataDir, ocr, registry);
            server.drain = cfg.robustness().drain();
            server.bus = bus;
            return server;
        } catch (Exception e) {
            db.close();
            throw e;
        }
    }

    /** Scratch files of nodes gone this long (no heartbeat, files untouched) are deleted by the nodes still alive. */
    static final java.time.Duration SCRATCH_OF_GONE_NODES_KEPT = java.time.Duration.ofHours(1);

    /** Deletes the scratch files that nodes which never came back left in a shared spool (each live node may: deleting twice is harmless). */
    private static void clearScratchOfGoneNodes(Spool spool, NodeRegistry registry, Clock clock) {
        try {
            java.util.Set<String> alive = new java.util.HashSet<>();
            for (dev.faxlan.server.storage.Nodes.Node n : registry.alive()) alive.add(n.name());
            long freed = spool.clearScratchOfGoneNodes(alive, clock.millis() - SCRATCH_OF_GONE_NODES_KEPT.toMillis());
            if (freed > 0) log.info("removed {} bytes of scratch files that nodes no longer alive left in the spool", freed);
        } catch (Exception e) {
            log.warn("clearing the scratch files of nodes no longer alive failed: {}", e.toString());
        }
    }

    /** A line for {@code line.list}: a trunk's registration state, the loopback line always ready; calls of both its user agents. */
    private static LineDirectory.LineStatus status(Line line) {
        boolean loopback = line.config().isLoopback();
        int calls = line.config().channels() - line.freeChannels() + (loopback ? line.endpoint().activeCalls() : 0);
        return new LineDirectory.LineStatus(line.name(), loopback ? "loopback" : "sip", loopback ? "ready" : line.registrationState(), calls);
    }

    /**
     * A line as the dispatcher uses it: our number as TSI, ECM with every coding, so the receiver picks
     * the fastest; a retry after T.30 failures stepped down ({@code FaxOptions.steppedDown}).
     */
    private static Dispatcher.Channel channel(Line line, dev.faxlan.server.metrics.ServerMetrics metrics) {
        return new Dispatcher.Channel() {
            public String name() {
                return line.name();
            }

            public int freeChannels() {
                return line.freeChannels();
            }

            public int channels() {
                return line.config().channels();
            }

            public java.util.concurrent.CompletableFuture<dev.faxlan.lines.CallResult> send(String number, dev.faxlan.engine.fax.OutgoingPages pages,
                    int stepDown, Dispatcher.CallProgress progress) {
                return send(number, pages, stepDown, progress, line.config().policyFor(number));
            }

            public dev.faxlan.lines.MediaPolicy policy() {
                return line.config().policy();
            }

            public dev.faxlan.lines.MediaPolicy policyFor(String number) {
                return line.config().policyFor(number);
            }

            public java.util.concurrent.CompletableFuture<dev.faxlan.lines.CallResult> send(String number, dev.faxlan.engine.fax.OutgoingPages pages,
                    int stepDown, Dispatcher.CallProgress progress, dev.faxlan.lines.MediaPolicy policy) {
                final class Progress implements java.util.function.Consumer<dev.faxlan.engine.fax.FaxEvent>, dev.faxlan.engine.fax.EndOfFax {
                    /** The carrier trained, once negotiated: the 'sending' it names may not be recorded yet at the last confirmation. */
                    private volatile String carrier;

                    @Override
                    public void accept(dev.faxlan.engine.fax.FaxEvent e) {
                        // Progress arrives on the calls' scheduler thread, which must never wait for the database.
                        if (e instanceof dev.faxlan.engine.fax.FaxEvent.Negotiated n) {
                            progress.answeredBy(n.remoteIdent() == null ? "" : n.remoteIdent());
                            String trained = carrier(n.dcs());
                            carrier = trained;
                            progress.negotiated(trained);
                        }
                        if (e instanceof dev.faxlan.engine.fax.FaxEvent.Page p) {
                            metrics.pageSent();
                            progress.confirmed(p.number());
                        }
                    }

                    /** Off the scheduler's thread, before the DCN: the job may be recorded done now. */
                    @Override
                    public void lastPageConfirmed(int pages) {
                        progress.lastPageConfirmed(pages, carrier == null ? "" : carrier);
                    }
                }
                java.util.concurrent.CompletableFuture<dev.faxlan.lines.CallResult> call = line.send(number, pages,
                        Lines.receiveOptions("").steppedDown(stepDown), new Progress(), policy, progress.callTag());
                // Counted beside the call: the future returned is the line's own, so a cancel still hangs up.
                call.whenComplete((r, failure) -> metrics.callEnded(r != null ? r.outcome().name().toLowerCase(java.util.Locale.ROOT)
                        : failure instanceof java.util.concurrent.CancellationException ? "hung_up" : "error"));
                return call;
            }
        };
    }

    /** The trained carrier for people: "9,600 bit/s V.29, ECM". */
    static String carrier(dev.faxlan.engine.t30.Dcs dcs) {
        dev.faxlan.engine.t30.Modem m = dcs.modem();
        String family = switch (m.family()) {
            case V17 -> "V.17";
            case V29 -> "V.29";
            case V27TER -> "V.27ter";
        };
        return String.format(java.util.Locale.ROOT, "%,d bit/s %s, %s", m.bitRate(), family, dcs.ecm() ? "ECM" : "no ECM");
    }

    public InetSocketAddress address() {
        return cpi.localAddress();
    }

    public int port() {
        return cpi.localAddress().getPort();
    }

    /** This node among the nodes sharing its database. */
    public NodeRegistry node() {
        return registry;
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

    /** Reads received faxes (OCR) in the background. */
    public OcrWorker ocr() {
        return ocr;
    }

    /** Where received faxes are stored; listeners hear of each one. */
    public InboundStore inbound() {
        return inbound;
    }

    /**
     * An orderly stop (SIGTERM): takes no new submissions (BUSY) and starts no new calls, lets calls
     * in progress end and their outcomes be recorded for up to {@code shutdown.drain-seconds}, then
     * {@link #close}s, hanging up what is left with the pages confirmed, the database last.
     */
    public void stop() {
        long until = System.currentTimeMillis() + drain.toMillis();
        service.stopTakingWork();
        dispatcher.stopStarting();
        try {
            log.info("stopping: waiting up to {} s for calls in progress", drain.toSeconds());
            if (!dispatcher.awaitIdle(Math.max(0, until - System.currentTimeMillis()))) {
                log.warn("stopping: calls still in progress after {} s are hung up", drain.toSeconds());
            }
            inbound.awaitIdle(Math.max(0, until - System.currentTimeMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public void close() {
        service.stopTakingWork();
        dispatcher.close();
        lines.close();
        housekeeping.shutdownNow();
        try {
            inbound.awaitIdle(10_000); // a fax whose call just ended is still being stored
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ocr.close();
        cpi.close();
        registry.close();
        if (bus instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("closing the event bus failed: {}", e.toString());
            }
        }
        db.close();
        try {
            PrivateFiles.tighten(dataDir.resolve("db")); // H2 may rewrite its files on close
        } catch (IOException e) {
            log.warn("cannot check the permissions of {}: {}", dataDir.resolve("db"), e.getMessage());
        }
    }

    private static String versionOf() {
        String v = FaxlanServer.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0";
    }
}
