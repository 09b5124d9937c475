package dev.faxlan.server.cpi;

import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one QUIC connection holds of the memory budgets in {@link CpiLimits}: the bytes of its streams'
 * unfinished request frames and, until it is authenticated, its open request streams. Budgets are
 * reserved before bytes are kept, so a refusal costs nothing. Used on the connection's event loop,
 * except {@link #authenticated()}, which workers set.
 */
final class ConnectionState {
    static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf("faxlan.cpi.connection");

    private final CpiLimits limits;
    private final FrameMemory pool;
    private volatile boolean authenticated;
    private long buffered;
    private int preAuthStreams;
    /** The source address counted against the connection limits, once admitted. */
    InetAddress admitted;

    ConnectionState(CpiLimits limits, FrameMemory pool) {
        this.limits = limits;
        this.pool = pool;
    }

    /** What one stream holds of its connection's budget and of the server-wide pool. */
    static final class Charge {
        private long bytes;
        private long pooled;
        private boolean counted;

        long bytes() {
            return bytes;
        }
    }

    /** A login succeeded on this connection, or a request on it carried a valid session. */
    void authenticate() {
        authenticated = true;
    }

    boolean isAuthenticated() {
        return authenticated;
    }

    long buffered() {
        return buffered;
    }

    /** Counts a new request stream; returns why it is refused, or null. */
    String openStream(Charge c) {
        if (authenticated) return null;
        if (preAuthStreams >= limits.preAuthStreams()) {
            return "at most " + limits.preAuthStreams() + " requests may be open at once on a connection that has not logged in";
        }
        preAuthStreams++;
        c.counted = true;
        return null;
    }

    /** Reserves {@code n} more bytes for the stream's unfinished frame; returns why they are refused, or null. */
    String reserve(Charge c, int n) {
        boolean auth = authenticated;
        long limit = auth ? limits.connectionBytes() : limits.preAuthConnectionBytes();
        if (buffered + n > limit) {
            return "unfinished request frames on this connection would hold " + (buffered + n) + " bytes, over the limit of " + limit
                    + (auth ? "" : " before login");
        }
        long pooled = 0;
        if (!auth) {
            long allowance = limits.streamAllowanceBytes();
            pooled = Math.max(0, c.bytes + n - allowance) - Math.max(0, c.bytes - allowance);
            if (pooled > 0 && !pool.take(pooled)) {
                return "the server holds " + pool.used() + " of " + pool.limit() + " bytes for request frames of connections that have not logged in; retry shortly";
            }
        }
        buffered += n;
        pool.held.addAndGet(n);
        c.bytes += n;
        c.pooled += pooled;
        return null;
    }

    /** Gives back the stream's bytes (its frame completed or it closed). */
    void releaseBytes(Charge c) {
        buffered -= c.bytes;
        pool.held.addAndGet(-c.bytes);
        pool.give(c.pooled);
        c.bytes = 0;
        c.pooled = 0;
    }

    /** The stream closed: gives back its bytes and its place among the unauthenticated streams. */
    void closeStream(Charge c) {
        releaseBytes(c);
        if (c.counted) {
            c.counted = false;
            preAuthStreams--;
        }
    }

    /**
     * Server-wide: the budget for bytes that unauthenticated connections hold beyond their streams'
     * allowance, and the count of all bytes held in unfinished frames.
     */
    static final class FrameMemory {
        private final long limit;
        private final AtomicLong used = new AtomicLong();
        private final AtomicLong held = new AtomicLong();

        FrameMemory(long limit) {
            this.limit = limit;
        }

        boolean take(long n) {
            while (true) {
                long u = used.get();
                if (u + n > limit) return false;
                if (used.compareAndSet(u, u + n)) return true;
            }
        }

        void give(long n) {
            if (n > 0) used.addAndGet(-n);
        }

        long used() {
            return used.get();
        }

        long limit() {
            return limit;
        }

        long held() {
            return held.get();
        }
    }
}
