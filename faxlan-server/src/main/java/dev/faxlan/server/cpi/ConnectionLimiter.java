package dev.faxlan.server.cpi;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts live QUIC connections, in total and per source address, against {@link CpiLimits}. */
final class ConnectionLimiter {
    private final int total;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int total, int perAddress) {
        this.total = total;
        this.perAddress = perAddress;
    }

    /** Counts a new connection from {@code a}; returns why it is refused (and then counts nothing), or null. */
    String admit(InetAddress a) {
        String[] refusal = new String[1];
        byAddress.compute(a, (k, n) -> {
            int have = n == null ? 0 : n;
            if (have >= perAddress) {
                refusal[0] = "too many connections from " + a.getHostAddress() + ": the limit is " + perAddress;
                return n;
            }
            if (open.incrementAndGet() > total) {
                open.decrementAndGet();
                refusal[0] = "too many connections to this server: the limit is " + total;
                return n;
            }
            return have + 1;
        });
        return refusal[0];
    }

    void leave(InetAddress a) {
        byAddress.computeIfPresent(a, (k, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }
}
