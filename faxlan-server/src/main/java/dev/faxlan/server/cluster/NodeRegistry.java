package dev.faxlan.server.cluster;

import dev.faxlan.protocol.message.SessionMessage;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Nodes;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's entry among the nodes sharing the database: written at start, its heartbeat renewed
 * every {@code heartbeat}, removed at an orderly stop. A node whose heartbeat is older than
 * {@link #DEAD_AFTER} heartbeats is dead to the others: {@code info} no longer lists it, and the
 * work it kept for itself (reading the faxes it received) is taken over.
 */
public final class NodeRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    /** Heartbeats a node may miss (a busy database, a pause of its JVM) before the others take it for dead. */
    public static final int DEAD_AFTER = 3;

    private final Database db;
    private final Clock clock;
    private final Nodes.Node self;
    private final Duration heartbeat;
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-heartbeat");
        t.setDaemon(true);
        return t;
    });

    private NodeRegistry(Database db, Clock clock, Nodes.Node self, Duration heartbeat) {
        this.db = db;
        this.clock = clock;
        this.self = self;
        this.heartbeat = heartbeat;
    }

    /**
     * Registers this node and starts its heartbeat.
     *
     * @param node the node's name, the same at every start (its leases' owner)
     * @param reachedAt where clients reach the node's CPI, or null when it cannot be told
     */
    public static NodeRegistry start(Database db, Clock clock, String node, String serverName, InetSocketAddress reachedAt, byte[] fingerprint,
            Duration heartbeat) throws Exception {
        long now = clock.millis();
        String host = reachedAt == null ? null : reachedAt.getHostString();
        Integer port = reachedAt == null ? null : reachedAt.getPort();
        Nodes.Node self = new Nodes.Node(node, serverName, host, port, HexFormat.of().formatHex(fingerprint), now, now);
        db.tx(c -> {
            Nodes.put(c, self);
            return null;
        });
        NodeRegistry r = new NodeRegistry(db, clock, self, heartbeat);
        r.beats.scheduleWithFixedDelay(r::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        return r;
    }

    private void beat() {
        try {
            long now = clock.millis();
            db.tx(c -> {
                // A row removed by hand (or lost with a restored backup) is written again.
                if (!Nodes.beat(c, self.name(), now)) Nodes.put(c, new Nodes.Node(self.name(), self.serverName(), self.host(), self.port(),
                        self.fingerprint(), self.started(), now));
                return null;
            });
        } catch (Throwable e) {
            log.warn("node {}: heartbeat failed (other nodes take this one for dead after {} missed): {}", self.name(), DEAD_AFTER, e.toString());
        }
    }

    public String name() {
        return self.name();
    }

    /** The time before which a heartbeat is too old: its node is dead. */
    public long deadBefore() {
        return clock.millis() - DEAD_AFTER * heartbeat.toMillis();
    }

    /** The live nodes, this one among them. */
    public List<Nodes.Node> alive() throws Exception {
        long since = deadBefore();
        return db.tx(c -> Nodes.aliveSince(c, since));
    }

    /** The live nodes clients can be told to reach, as {@code info} lists them; null when there are none (nothing to tell). */
    public List<SessionMessage.Node> forClients() {
        try {
            List<SessionMessage.Node> out = alive().stream().filter(n -> n.host() != null && n.port() != null)
                    .map(n -> new SessionMessage.Node(n.name(), n.host(), n.port(), HexFormat.of().parseHex(n.fingerprint()))).toList();
            return out.isEmpty() ? null : out;
        } catch (Exception e) {
            log.warn("listing the cluster's nodes failed: {}", e.toString());
            return null;
        }
    }

    /** An orderly stop: heartbeats end and the node is no longer listed. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            db.tx(c -> {
                Nodes.remove(c, self.name());
                return null;
            });
        } catch (Exception e) {
            log.warn("node {}: removing it from the nodes failed: {}", self.name(), e.toString());
        }
    }
}
