package dev.faxlan.sdk;

import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.message.AlertMessage;
import dev.faxlan.sdk.transport.CpiConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A live alert subscription. Holds the sequence number of the last event delivered; after any
 * failure it reconnects and subscribes again from there, so each event is delivered once and in order.
 * Every {@link FaxlanClient#KEEPALIVE_MS} it subscribes again from the last delivered event: that request
 * detects a dead server, keeps NAT and firewall state open, and has the server push again whatever a lost
 * mapping left undelivered (docs/protocol.md §5).
 */
public final class AlertSubscription implements AutoCloseable {
    private final ServerLink client;
    private final String subscriber;
    private final Consumer<Alert> listener;
    // Events received ahead of the next expected one; one seq can arrive more than once (an old and a new
    // subscription), and each copy's ack is owed once the event is delivered.
    private final TreeMap<Long, List<CpiConnection.PushedEvent>> ahead = new TreeMap<>();
    private final Thread thread;
    static final String WITHDRAWN = AlertMessage.WITHDRAWN;
    /** How long a subscription that is behind the server's log waits for the next push before it connects again. */
    static final long STALL_MS = 5_000;
    private long delivered = -1;
    private volatile boolean closed;
    private volatile Throwable failure;

    AlertSubscription(ServerLink client, String subscriber, Long from, Consumer<Alert> listener) {
        this.client = client;
        this.subscriber = subscriber;
        this.listener = listener;
        if (from != null) delivered = from;
        this.thread = new Thread(this::run, "faxlan-alerts");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Sequence number of the last event handed to the listener (-1 before the first subscribe). */
    public synchronized long lastDelivered() {
        return delivered;
    }

    /** The error that ended the subscription (authentication, identity), or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        long backoff = FaxlanClient.FIRST_BACKOFF_MS;
        while (!closed) {
            try {
                long deadline = client.deadline();
                CpiConnection conn = client.connection(deadline);
                awaitPushes(subscribe(deadline));
                backoff = FaxlanClient.FIRST_BACKOFF_MS;
                while (!closed && conn.isActive()) {
                    conn.closeFuture().await(FaxlanClient.KEEPALIVE_MS, TimeUnit.MILLISECONDS);
                    if (closed || !conn.isActive()) break;
                    // The keep-alive subscribes again from the last delivered event, on the same connection: events
                    // pushed while a NAT or firewall mapping was lost, and left stranded when the flow came back,
                    // are pushed again; copies of what was already delivered are acknowledged and dropped.
                    awaitPushes(subscribe(client.deadline()));
                }
            } catch (FaxlanException.AuthenticationFailed | FaxlanException.IdentityMismatch | FaxlanException.Refused e) {
                failure = e;
                return;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) return;
                client.dropConnection();
                try {
                    ServerLink.sleep(backoff, Long.MAX_VALUE);
                } catch (FaxlanException interrupted) {
                    return; // interrupted while waiting to connect again: the subscription ends, as it does on close()
                }
                backoff = Math.min(FaxlanClient.MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /**
     * Waits while the server has events this client has not delivered, as long as they keep coming. A
     * connection that pushes nothing (seen after a NAT rebinding: the server answered once on the new
     * path, then sent to the old address) is given up after {@link #STALL_MS}, instead of at the next
     * keep-alive's timeout: the new connection's subscription pushes them.
     */
    private void awaitPushes(AlertMessage.Subscribed r) throws IOException, InterruptedException {
        synchronized (this) {
            long progress = delivered;
            long until = System.currentTimeMillis() + STALL_MS;
            while (!closed && delivered < r.last()) {
                long wait = until - System.currentTimeMillis();
                if (wait <= 0) {
                    throw new IOException("no alert pushed within " + STALL_MS + " ms with events " + (delivered + 1) + ".." + r.last()
                            + " outstanding; connecting again");
                }
                wait(wait);
                if (delivered > progress) {
                    progress = delivered;
                    until = System.currentTimeMillis() + STALL_MS;
                }
            }
        }
    }

    private AlertMessage.Subscribed subscribe(long deadline) {
        AlertMessage.Subscribe subscribe;
        synchronized (this) {
            subscribe = new AlertMessage.Subscribe(subscriber, delivered >= 0 ? delivered : null);
        }
        AlertMessage.Subscribed r = client.call(subscribe, deadline);
        synchronized (this) {
            if (delivered < 0) delivered = r.from();
            var stale = ahead.headMap(delivered, true);
            stale.values().forEach(copies -> copies.forEach(c -> c.ack().run()));
            stale.clear();
            drain();
        }
        return r;
    }

    synchronized void onEvent(CpiConnection.PushedEvent e) {
        long seq = e.event().seq();
        if (delivered >= 0 && seq <= delivered) {
            e.ack().run();
            return;
        }
        ahead.computeIfAbsent(seq, k -> new ArrayList<>(1)).add(e);
        drain();
    }

    private void drain() {
        if (delivered < 0) return;
        // Once closed (a listener may close it from inside), no further event is delivered or acknowledged.
        while (!closed && !ahead.isEmpty() && ahead.firstKey() == delivered + 1) {
            List<CpiConnection.PushedEvent> copies = ahead.pollFirstEntry().getValue();
            Message.Event ev = copies.get(0).event();
            if (!WITHDRAWN.equals(ev.type())) listener.accept(new Alert(ev.seq(), ev.type(), ev.timeMillis(), ev.body().asMap()));
            delivered = ev.seq();
            copies.forEach(c -> c.ack().run());
            notifyAll();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
