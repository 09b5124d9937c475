package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Message;
import dev.faxlan.server.files.RepeatedLog;
import dev.faxlan.server.service.AlertSink;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.storage.Database;
import dev.faxlan.transport.FrameWriter;
import dev.faxlan.transport.SingleMessageHandler;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes each user's events to their live subscriptions, one server-opened bidirectional stream per
 * event; the client answers on that stream with an ack. At most {@link #WINDOW} events are unacked
 * per subscription. The acked cursor is stored per (user, subscriber), so a subscriber that returns
 * after an outage is given everything it missed.
 *
 * <p>A subscription lives only while the session that made it does: when that session ends (logout,
 * expiry, a password change, the user removed), it stops at once and its connection is closed with
 * {@code SESSION_EXPIRED}. Each event is checked against what its user may see when it is pushed.
 */
final class AlertPusher implements AlertSink {
    private static final Logger log = LoggerFactory.getLogger(AlertPusher.class);
    static final int WINDOW = 32;
    /** An ack is a dozen bytes; the client may not park more than this on an event stream. */
    static final int MAX_ACK_FRAME = 256;
    /**
     * Between a subscription's end and its connection's close: an answer still in flight on that
     * connection (the logout that ended it) is sent first, as a QUIC close drops unsent stream data.
     */
    static final long CLOSE_GRACE_MS = 1000;
    static final String SESSION_ENDED = "the session that made this alert subscription has ended (logout, expiry, password change "
            + "or account removed); log in and subscribe again";
    private final CpiService service;
    private final AlertAccess access;
    private final ExecutorService workers;
    private final int perUser;
    private final Map<Long, Set<Subscription>> byUser = new ConcurrentHashMap<>();
    private final RepeatedLog failures = new RepeatedLog(log, 60_000);
    /** The first wait before a wake-up that found the database away is tried again; it doubles up to {@link #MAX_RETRY_MS}. */
    static final long FIRST_RETRY_MS = 100;
    static final long MAX_RETRY_MS = 2_000;

    AlertPusher(CpiService service, ExecutorService workers, int perUser) {
        this(service, service == null ? null : service.alertAccess(), workers, perUser);
    }

    AlertPusher(CpiService service, AlertAccess access, ExecutorService workers, int perUser) {
        this.service = service;
        this.access = access;
        this.workers = workers;
        this.perUser = perUser;
    }

    /**
     * Registers a subscription; the caller answers the request, then calls {@link Subscription#pump()}.
     *
     * @throws CpiException {@code CONFLICT} when the user holds {@code perUser} live subscriptions already
     */
    Subscription subscribe(QuicChannel channel, long userId, byte[] sessionHash, String subscriber, long from) throws CpiException {
        Subscription s = new Subscription(channel, userId, sessionHash, subscriber, from);
        Set<Subscription> set = byUser.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet());
        synchronized (set) {
            // A subscriber that subscribes again (a retried request, a new connection) replaces its old
            // subscription: two pushers for one cursor would each wait for acks the client gives only once.
            for (Subscription old : set) {
                if (old.subscriber.equals(subscriber)) {
                    old.closed = true;
                    set.remove(old);
                }
            }
            if (set.size() >= perUser) {
                throw new CpiException(ErrorCode.CONFLICT, "this user has " + set.size() + " alert subscriptions already, the limit is " + perUser
                        + "; end one (close its connection) or reuse a subscriber name");
            }
            set.add(s);
        }
        channel.closeFuture().addListener(f -> {
            s.closed = true;
            set.remove(s);
        });
        return s;
    }

    /** Live subscriptions of all users. */
    int subscriptionCount() {
        int n = 0;
        for (Set<Subscription> set : byUser.values()) n += set.size();
        return n;
    }

    int subscriptions(long userId) {
        Set<Subscription> set = byUser.get(userId);
        return set == null ? 0 : set.size();
    }

    @Override
    public void eventsAppended(long userId) {
        Set<Subscription> set = byUser.get(userId);
        if (set != null) for (Subscription s : set) s.pump();
    }

    @Override
    public void catchUp() {
        for (Set<Subscription> set : byUser.values()) for (Subscription s : set) s.pump();
    }

    @Override
    public void sessionsEnded() {
        for (Set<Subscription> set : byUser.values()) {
            for (Subscription s : set) {
                try {
                    workers.execute(s::endUnlessSessionLive);
                } catch (RejectedExecutionException e) {
                    // Its next push checks the session too.
                    log.warn("checking the session of an alert subscription of user {} deferred: workers busy", s.userId);
                }
            }
        }
    }

    /** Ends a subscription whose session ended: nothing more is pushed, then its connection is closed. */
    private void end(Subscription s) {
        s.closed = true;
        Set<Subscription> set = byUser.get(s.userId);
        if (set != null) set.remove(s);
        log.info("alert subscription {} of user {} ended with its session", s.subscriber, s.userId);
        s.channel.eventLoop().schedule(() -> {
            s.channel.close(true, ErrorCode.SESSION_EXPIRED.number(), Unpooled.copiedBuffer(SESSION_ENDED, StandardCharsets.UTF_8));
        }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
    }

    final class Subscription {
        final QuicChannel channel;
        final long userId;
        final byte[] sessionHash;
        final String subscriber;
        long sent;
        long acked;
        long persisted;
        boolean persisting;
        final TreeSet<Long> ackedAhead = new TreeSet<>();
        private long retryMs = FIRST_RETRY_MS;
        volatile boolean closed;
        /** A pump task is queued and has not started: further events ride on it instead of queuing their own. */
        private final AtomicBoolean queued = new AtomicBoolean();

        Subscription(QuicChannel channel, long userId, byte[] sessionHash, String subscriber, long from) {
            this.channel = channel;
            this.userId = userId;
            this.sessionHash = sessionHash;
            this.subscriber = subscriber;
            this.sent = from;
            this.acked = from;
            this.persisted = from;
        }

        void pump() {
            if (closed || !queued.compareAndSet(false, true)) return;
            try {
                workers.execute(this::pumpNow);
            } catch (RejectedExecutionException e) {
                queued.set(false);
                log.warn("alert push for user {} deferred: workers busy", userId);
            }
        }

        private synchronized void pumpNow() {
            // Cleared before reading events, so an event appended from here on queues a new pump.
            queued.set(false);
            if (closed) return;
            int room = (int) (WINDOW - (sent - acked));
            if (room <= 0) return;
            List<Message.Event> events;
            try {
                // One transaction per wake-up: the session's check and the events it lets out are read together.
                Optional<List<Message.Event>> pushable = access.pushable(sessionHash, userId, sent, room);
                if (pushable.isEmpty()) {
                    end(this);
                    return;
                }
                events = pushable.get();
            } catch (Exception e) {
                if (Database.isUnavailable(e)) {
                    // The news that woke it may be the last for a while (a Resync's, the last event before a quiet
                    // spell): the log is read again once the database answers, not at the next event.
                    failures.error("unavailable", "alert push for user " + userId + " waits for the database: "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), null);
                    long wait = retryMs;
                    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
                    channel.eventLoop().schedule(this::pump, wait, TimeUnit.MILLISECONDS);
                } else {
                    log.error("reading events of user {} failed", userId, e);
                }
                return;
            }
            retryMs = FIRST_RETRY_MS;
            for (Message.Event m : events) {
                sent = m.seq();
                channel.createStream(QuicStreamType.BIDIRECTIONAL, new EventStream(this)).addListener(f -> {
                    if (f.isSuccess()) {
                        FrameWriter.writeLast((Channel) f.getNow(), m);
                    } else {
                        log.debug("could not open an alert stream: {}", f.cause().toString());
                        channel.close();
                    }
                });
            }
        }

        private synchronized void endUnlessSessionLive() {
            if (closed) return;
            try {
                if (!access.sessionLive(sessionHash, userId)) end(this);
            } catch (Exception e) {
                log.error("checking the session of an alert subscription of user {} failed", userId, e);
            }
        }

        void onAck(long seq) {
            boolean persist;
            synchronized (this) {
                if (seq <= acked || seq > sent) return;
                ackedAhead.add(seq);
                while (!ackedAhead.isEmpty() && ackedAhead.first() == acked + 1) acked = ackedAhead.pollFirst();
                persist = !persisting && acked > persisted;
                if (persist) persisting = true;
            }
            if (persist) workers.execute(this::persistCursor);
            pump();
        }

        /** Stores the cursor; one write in flight per subscription, repeated while acks move it on. */
        private void persistCursor() {
            while (true) {
                long cursor;
                synchronized (this) {
                    if (acked <= persisted) {
                        persisting = false;
                        return;
                    }
                    cursor = acked;
                }
                try {
                    service.acknowledge(userId, subscriber, cursor);
                } catch (Exception e) {
                    log.error("storing alert cursor failed", e);
                }
                synchronized (this) {
                    persisted = cursor;
                }
            }
        }
    }

    /** Reads the client's ack on an event stream, then closes the stream. */
    static final class EventStream extends SingleMessageHandler {
        private final Subscription sub;

        EventStream(Subscription sub) {
            super(MAX_ACK_FRAME);
            this.sub = sub;
        }

        @Override
        protected void onMessage(ChannelHandlerContext ctx, Message m) {
            if (m instanceof Message.Ack ack) sub.onAck(ack.seq());
            ctx.close();
        }

        @Override
        protected void onMalformed(ChannelHandlerContext ctx, CpiException e) {
            log.debug("bad alert ack: {}", e.getMessage());
            ctx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
