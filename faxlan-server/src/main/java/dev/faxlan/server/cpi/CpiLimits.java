package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiCodec;
import java.time.Duration;
import java.util.Properties;

/**
 * What one CPI endpoint lets its clients hold (docs/protocol.md §9). A connection is "authenticated"
 * once a login succeeded on it or a request on it carried a valid session; before that it may only
 * hold little memory, so an unauthenticated peer cannot exhaust the heap.
 *
 * @param maxConnections QUIC connections at once, server-wide
 * @param maxConnectionsPerAddress QUIC connections at once from one source IP address
 * @param preAuthConnectionBytes bytes of unfinished request frames one unauthenticated connection may hold
 * @param preAuthServerBytes bytes beyond each stream's {@code streamAllowanceBytes} that all unauthenticated
 *     connections together may hold
 * @param streamAllowanceBytes bytes of an unfinished frame a stream may hold before it draws on the server-wide pool
 *     (covers every ordinary login or info frame, so those are served while the pool is exhausted)
 * @param preAuthStreams request streams open at once on one unauthenticated connection
 * @param connectionBytes bytes of unfinished request frames one authenticated connection may hold
 * @param frameDeadline time a stream has from its opening to complete its request frame
 * @param subscriptionsPerUser alert subscriptions one user may hold at once
 */
public record CpiLimits(int maxConnections, int maxConnectionsPerAddress, long preAuthConnectionBytes, long preAuthServerBytes,
        int streamAllowanceBytes, int preAuthStreams, long connectionBytes, Duration frameDeadline, int subscriptionsPerUser) {

    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    public static final long DEFAULT_PRE_AUTH_SERVER_BYTES = 64L << 20;
    public static final Duration DEFAULT_FRAME_DEADLINE = Duration.ofSeconds(10);

    public CpiLimits {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || preAuthStreams < 1 || subscriptionsPerUser < 1) {
            throw new IllegalArgumentException("connection, stream and subscription limits must be at least 1");
        }
        if (preAuthConnectionBytes < streamAllowanceBytes || connectionBytes < preAuthConnectionBytes || preAuthServerBytes < 0 || streamAllowanceBytes < 0) {
            throw new IllegalArgumentException("memory limits out of order: " + preAuthConnectionBytes + " / " + connectionBytes + " / " + preAuthServerBytes);
        }
        if (frameDeadline.isNegative() || frameDeadline.isZero()) throw new IllegalArgumentException("the frame deadline must be positive");
    }

    /** The defaults: one largest frame plus 64 KiB per unauthenticated connection; 64 MiB or an eighth of the heap, whichever is lower, for all of them. */
    public static CpiLimits defaults() {
        return new CpiLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, 4L + CpiCodec.MAX_FRAME + (64 << 10),
                Math.min(DEFAULT_PRE_AUTH_SERVER_BYTES, Runtime.getRuntime().maxMemory() / 8), 4 << 10, 16, 16L << 20, DEFAULT_FRAME_DEADLINE, 16);
    }

    /** The defaults with the {@code cpi.*} keys of a server config file applied. */
    public static CpiLimits fromProperties(Properties p) {
        CpiLimits d = defaults();
        return new CpiLimits(
                (int) number(p, "cpi.max.connections", d.maxConnections),
                (int) number(p, "cpi.max.connections.per.address", d.maxConnectionsPerAddress),
                d.preAuthConnectionBytes,
                number(p, "cpi.preauth.memory.bytes", d.preAuthServerBytes),
                d.streamAllowanceBytes, d.preAuthStreams, d.connectionBytes,
                Duration.ofSeconds(number(p, "cpi.frame.deadline.seconds", d.frameDeadline.toSeconds())),
                (int) number(p, "cpi.max.subscriptions.per.user", d.subscriptionsPerUser));
    }

    private static long number(Properties p, String key, long fallback) {
        String v = p.getProperty(key);
        if (v == null) return fallback;
        try {
            long n = Long.parseLong(v.trim());
            if (n > Integer.MAX_VALUE && !key.endsWith(".bytes")) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not \"" + v + "\"");
        }
    }

    public CpiLimits withConnections(int total, int perAddress) {
        return new CpiLimits(total, perAddress, preAuthConnectionBytes, preAuthServerBytes, streamAllowanceBytes, preAuthStreams, connectionBytes,
                frameDeadline, subscriptionsPerUser);
    }

    public CpiLimits withPreAuthServerBytes(long bytes) {
        return new CpiLimits(maxConnections, maxConnectionsPerAddress, preAuthConnectionBytes, bytes, streamAllowanceBytes, preAuthStreams, connectionBytes,
                frameDeadline, subscriptionsPerUser);
    }

    public CpiLimits withFrameDeadline(Duration d) {
        return new CpiLimits(maxConnections, maxConnectionsPerAddress, preAuthConnectionBytes, preAuthServerBytes, streamAllowanceBytes, preAuthStreams,
                connectionBytes, d, subscriptionsPerUser);
    }

    public CpiLimits withSubscriptionsPerUser(int n) {
        return new CpiLimits(maxConnections, maxConnectionsPerAddress, preAuthConnectionBytes, preAuthServerBytes, streamAllowanceBytes, preAuthStreams,
                connectionBytes, frameDeadline, n);
    }
}
