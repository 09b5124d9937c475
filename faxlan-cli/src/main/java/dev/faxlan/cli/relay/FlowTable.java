package dev.faxlan.cli.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The relay's flows by client address, at most {@code maxFlows} of them: a new client beyond the
 * bound is refused (its datagrams dropped), and no existing flow is ever evicted to make room.
 * A flow whose client never proved it received the server's answer expires after
 * {@code unansweredTimeout}, any other after {@code idleTimeout} without a datagram either way.
 * Time is passed in (nanoseconds, as {@link System#nanoTime()}). Not thread-safe: one event loop owns it.
 */
final class FlowTable<U> {
    private final int maxFlows;
    private final long idleNanos;
    private final long unansweredNanos;
    private final Map<InetSocketAddress, Flow<U>> flows = new HashMap<>();
    private long refused;

    FlowTable(int maxFlows, Duration idleTimeout, Duration unansweredTimeout) {
        if (maxFlows < 1) throw new IllegalArgumentException("maxFlows must be at least 1, not " + maxFlows);
        this.maxFlows = maxFlows;
        this.idleNanos = idleTimeout.toNanos();
        this.unansweredNanos = unansweredTimeout.toNanos();
    }

    Flow<U> get(InetSocketAddress client) {
        return flows.get(client);
    }

    /**
     * A new flow for {@code client}, its upstream made by {@code openUpstream}; null (and nothing
     * opened) when the table is full.
     */
    Flow<U> open(InetSocketAddress client, Function<InetSocketAddress, U> openUpstream, long nowNanos) {
        if (flows.size() >= maxFlows) {
            refused++;
            return null;
        }
        Flow<U> f = new Flow<>(client, openUpstream.apply(client), nowNanos);
        flows.put(client, f);
        return f;
    }

    /** Removes and returns the flows that expired by {@code nowNanos}; the caller closes their upstreams. */
    List<Flow<U>> expire(long nowNanos) {
        List<Flow<U>> out = new ArrayList<>();
        for (Iterator<Flow<U>> it = flows.values().iterator(); it.hasNext(); ) {
            Flow<U> f = it.next();
            long limit = f.answered() ? idleNanos : unansweredNanos;
            if (nowNanos - f.lastActiveNanos() >= limit) {
                it.remove();
                out.add(f);
            }
        }
        return out;
    }

    /** Removes every flow (at close). */
    List<Flow<U>> clear() {
        List<Flow<U>> out = new ArrayList<>(flows.values());
        flows.clear();
        return out;
    }

    int size() {
        return flows.size();
    }

    /** New clients refused because the table was full, since the start. */
    long refused() {
        return refused;
    }
}
