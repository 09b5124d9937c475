package dev.faxlan.server.events;

import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.EventBus;
import dev.faxlan.server.files.RepeatedLog;
import dev.faxlan.server.service.JobState;
import dev.faxlan.server.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event bus of nodes sharing one PostgreSQL database, over {@code LISTEN/NOTIFY}.
 *
 * <p>A message is delivered to this node's listeners at once, on the publisher's thread (as on
 * {@link InProcessEventBus}), and sent to the other nodes as a {@code NOTIFY} on {@link #CHANNEL}
 * whose payload is the message's type and ids (never user content) and this bus's origin; each node
 * hands what it hears from other origins to its listeners, and ignores its own echo. Local delivery
 * does not wait for the database, so one node works as before while PostgreSQL is away.
 *
 * <p>Notifications go out in publishing order, from one thread, after the change they announce has
 * committed (publishers publish after their commit). A batch the database could not take is sent
 * again until it goes: the other nodes may be listening all along (a pooled connection that died
 * with a restart the listeners already recovered from), and would never hear of it otherwise; a
 * batch whose commit was lost on its way back may so arrive twice, which every message allows (each
 * says "read again", or hangs up a call that is then gone). One connection outside the pool listens, on its
 * own thread. When it is lost (the database restarted), it is opened again with backoff; once it
 * listens again, listeners get a {@link BusMessage.Resync}, as NOTIFYs sent meanwhile are lost: they
 * re-read the event log and the jobs they hold, which are the truth.
 */
public final class PostgresEventBus implements EventBus, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PostgresEventBus.class);
    /** The channel every node listens on (per database, so two clusters on one server do not hear each other). */
    public static final String CHANNEL = "faxlan_bus";
    /** Messages waiting to be sent at most; more (the database unreachable for long) are dropped, as the other nodes resync. */
    static final int MAX_PENDING = 10_000;
    /** NOTIFYs sent in one transaction at most. */
    private static final int BATCH = 100;
    private static final long MAX_BACKOFF_MS = 2_000;
    /** How long the listener waits for a notification before it checks that its connection is alive. */
    private static final int POLL_MS = 500;
    private static final int PROBE_EVERY_POLLS = 10;

    private final InProcessEventBus local = new InProcessEventBus();
    private final Database db;
    private final String origin = UUID.randomUUID().toString().substring(0, 8);
    private final BlockingQueue<String> pending = new LinkedBlockingQueue<>(MAX_PENDING);
    private final RepeatedLog failures = new RepeatedLog(log, 60_000);
    private final Thread listener;
    private final Thread sender;
    private final Object sleeping = new Object();
    private volatile boolean closed;
    private volatile boolean listening;
    private Connection connection; // the listener thread's only

    /**
     * Listens before it returns, so every message published by another node from then on is heard.
     *
     * @throws SQLException when the database cannot be reached to listen
     */
    public PostgresEventBus(Database db) throws SQLException {
        this.db = db;
        this.connection = listen();
        this.listening = true;
        this.listener = new Thread(this::listenLoop, "event-bus-listen");
        this.listener.setDaemon(true);
        this.sender = new Thread(this::sendLoop, "event-bus-notify");
        this.sender.setDaemon(true);
        listener.start();
        sender.start();
    }

    /** Whether the listening connection is up (false while the database is away). */
    public boolean listening() {
        return listening;
    }

    @Override
    public void publish(BusMessage message) {
        local.publish(message);
        String payload = BusPayload.encode(message);
        if (payload == null || closed) return;
        if (!pending.offer(origin + " " + payload)) {
            failures.error("full", "event bus: " + MAX_PENDING + " messages wait for the database; dropped " + message
                    + " (other nodes re-read the event log when they reconnect)", null);
        }
    }

    @Override
    public Subscription subscribe(Consumer<? super BusMessage> l) {
        return local.subscribe(l);
    }

    private Connection listen() throws SQLException {
        Connection c = db.openDedicated();
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + CHANNEL);
        } catch (SQLException e) {
            closeQuietly(c);
            throw e;
        }
        return c;
    }

    private void listenLoop() {
        long backoff = 50;
        int idlePolls = 0;
        while (!closed) {
            try {
                if (connection == null) {
                    connection = listen();
                    listening = true;
                    backoff = 50;
                    log.info("event bus listens again; listeners re-read what they may have missed");
                    local.publish(new BusMessage.Resync());
                }
                PGNotification[] ns = connection.unwrap(PGConnection.class).getNotifications(POLL_MS);
                if (ns == null || ns.length == 0) {
                    // A connection cut without a word (a crashed host) shows itself only when used.
                    if (++idlePolls >= PROBE_EVERY_POLLS) {
                        idlePolls = 0;
                        try (Statement st = connection.createStatement()) {
                            st.execute("SELECT 1");
                        }
                    }
                    continue;
                }
                idlePolls = 0;
                for (PGNotification n : ns) deliver(n.getParameter());
            } catch (SQLException | RuntimeException e) {
                if (closed) break;
                listening = false;
                if (connection != null) {
                    log.warn("event bus lost its database connection ({}); listening again as soon as it can", e.toString());
                    closeQuietly(connection);
                    connection = null;
                } else {
                    failures.error("reconnect", "event bus cannot reach the database yet: " + e, null);
                }
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
        if (connection != null) closeQuietly(connection);
        listening = false;
    }

    private void deliver(String payload) {
        int space = payload.indexOf(' ');
        if (space < 0 || payload.substring(0, space).equals(origin)) return; // our own echo: delivered already
        try {
            BusMessage m = BusPayload.decode(payload.substring(space + 1));
            local.publish(m);
        } catch (IllegalArgumentException e) {
            // Another version's message: nothing this node can act on.
            failures.error("payload", "event bus: ignored a notification it cannot read: " + e.getMessage(), null);
        }
    }

    /**
     * Sends what waits, in order, a batch per transaction. A batch that fails for want of the database
     * is tried again, with backoff, before anything after it (see the class comment); any other
     * failure, or one while closing, drops it.
     */
    private void sendLoop() {
        List<String> batch = new ArrayList<>(BATCH);
        long backoff = 50;
        while (!closed || !pending.isEmpty() || !batch.isEmpty()) {
            try {
                if (batch.isEmpty()) {
                    String first = pending.poll(POLL_MS, TimeUnit.MILLISECONDS);
                    if (first == null) continue;
                    batch.add(first);
                    pending.drainTo(batch, BATCH - 1);
                }
                db.tx(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                        for (String p : batch) {
                            ps.setString(1, CHANNEL);
                            ps.setString(2, p);
                            ps.execute();
                        }
                    }
                    return null;
                });
                batch.clear();
                backoff = 50;
            } catch (InterruptedException e) {
                break;
            } catch (SQLException | RuntimeException e) {
                if (closed || !Database.isUnavailable(e)) {
                    failures.error("send", "event bus could not notify other nodes of " + batch.size() + " message(s): " + e, null);
                    batch.clear();
                    continue;
                }
                failures.error("send-again", "event bus could not notify other nodes of " + batch.size() + " message(s) (" + e
                        + "); sending them again once the database answers", null);
                pause(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private void pause(long millis) {
        synchronized (sleeping) {
            if (closed) return;
            try {
                sleeping.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the connection is gone anyway
        }
    }

    /** Sends what is still waiting (a few seconds at most), then stops listening. Call before the database closes. */
    @Override
    public void close() {
        closed = true;
        synchronized (sleeping) {
            sleeping.notifyAll();
        }
        try {
            sender.join(5_000);
            listener.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The payload of a NOTIFY: a letter for the type, then the ids, space-separated. */
    static final class BusPayload {
        private BusPayload() {}

        /** Null for a message that stays on its node. */
        static String encode(BusMessage m) {
            if (m instanceof BusMessage.JobChanged j) return "J " + j.userId() + " " + j.jobId() + " " + j.state().wire();
            if (m instanceof BusMessage.FaxReceived f) return "F " + f.userId() + " " + f.faxId();
            if (m instanceof BusMessage.HangUp h) return "H " + h.jobId();
            if (m instanceof BusMessage.EventsAppended e) return "E " + e.userId();
            if (m instanceof BusMessage.SessionsEnded) return "S";
            return null; // Resync: each node's own
        }

        /** @throws IllegalArgumentException for a payload this version does not know */
        static BusMessage decode(String payload) {
            String[] f = payload.split(" ");
            try {
                BusMessage m = switch (f[0]) {
                    case "J" -> f.length == 4 ? new BusMessage.JobChanged(Long.parseLong(f[1]), Long.parseLong(f[2]), JobState.fromWire(f[3])) : null;
                    case "F" -> f.length == 3 ? new BusMessage.FaxReceived(Long.parseLong(f[1]), Long.parseLong(f[2])) : null;
                    case "H" -> f.length == 2 ? new BusMessage.HangUp(Long.parseLong(f[1])) : null;
                    case "E" -> f.length == 2 ? new BusMessage.EventsAppended(Long.parseLong(f[1])) : null;
                    case "S" -> f.length == 1 ? new BusMessage.SessionsEnded() : null;
                    default -> null;
                };
                if (m == null) throw new IllegalArgumentException("'" + payload + "'");
                return m;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + payload + "': " + e.getMessage(), e);
            }
        }
    }
}
