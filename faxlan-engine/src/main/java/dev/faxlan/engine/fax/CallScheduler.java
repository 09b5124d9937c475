package dev.faxlan.engine.fax;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Drives many {@link T38Call}s from one thread: delivers queued datagrams, then polls every call whose
 * next IFP or timer is due, then sleeps until the earliest next wake-up (at most 5 ms, so datagrams
 * that arrive meanwhile wait little). No thread per call, no sleeping per call.
 *
 * <p>The clock is passed in: tests run whole calls faster than real time by giving every party the
 * same scaled clock.
 */
public final class CallScheduler implements AutoCloseable {
    static final long MAX_SLEEP_MS = 5;
    private static final System.Logger log = System.getLogger(CallScheduler.class.getName());
    private record Inbound(T38Call call, byte[] datagram) {}

    private final LongSupplier clock;
    private final double speed;
    private final List<T38Call> calls = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Inbound> inbound = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<T38Call> added = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<T38Call> cancelled = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lateMaxMs;
    /** Polls of due calls by lateness in clock ms (last bucket: 1000 ms or more). */
    private final java.util.concurrent.atomic.AtomicLongArray lateness = new java.util.concurrent.atomic.AtomicLongArray(1001);

    /**
     * @param clockMillis the calls' clock, in milliseconds
     * @param speed how many clock milliseconds pass per real millisecond (1 in production)
     */
    public CallScheduler(String name, LongSupplier clockMillis, double speed) {
        this.clock = clockMillis;
        this.speed = speed;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public void add(T38Call call) {
        added.add(call);
        LockSupport.unpark(thread);
    }

    /** Thread-safe: hands a received datagram to its call. */
    public void deliver(T38Call call, byte[] datagram) {
        inbound.add(new Inbound(call, datagram));
        LockSupport.unpark(thread);
    }

    /** Thread-safe: ends a call at once as a local hang-up (the session finishes with {@code CANCELLED}). */
    public void cancel(T38Call call) {
        cancelled.add(call);
        LockSupport.unpark(thread);
    }

    /** The calls' clock: sessions driven by this scheduler must be created with this time. */
    public long now() {
        return clock.getAsLong();
    }

    public int active() {
        return calls.size();
    }

    /** The largest delay seen between an IFP's due time and its sending, in clock milliseconds. */
    public long lateMaxMs() {
        return lateMaxMs;
    }

    /** The lateness (clock ms) that {@code percentile}% of due polls stayed within. */
    public long latenessPercentile(double percentile) {
        long total = 0;
        for (int i = 0; i < lateness.length(); i++) total += lateness.get(i);
        if (total == 0) return 0;
        long want = (long) Math.ceil(total * percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < lateness.length(); i++) {
            seen += lateness.get(i);
            if (seen >= want) return i;
        }
        return lateness.length() - 1;
    }

    private void loop() {
        while (running) {
            try {
                tick();
            } catch (Throwable e) {
                // The thread drives every call: it must outlive anything one round throws.
                log.log(System.Logger.Level.ERROR, "the call scheduler's round failed", e);
                LockSupport.parkNanos(MAX_SLEEP_MS * 1_000_000);
            }
        }
    }

    private void tick() {
        for (T38Call c; (c = added.poll()) != null; ) calls.add(c);
        long now = clock.getAsLong();
        for (Inbound in; (in = inbound.poll()) != null; ) {
            Inbound datagram = in;
            guarded(datagram.call(), now, () -> datagram.call().datagram(datagram.datagram(), now));
        }
        for (T38Call c; (c = cancelled.poll()) != null; ) {
            T38Call call = c;
            guarded(call, now, () -> call.session().cancel(now));
        }
        long next = Long.MAX_VALUE;
        List<T38Call> finished = new ArrayList<>();
        for (T38Call c : calls) {
            long due = c.nextWakeup();
            if (due <= now) {
                if (due != Long.MIN_VALUE) {
                    lateMaxMs = Math.max(lateMaxMs, now - due);
                    lateness.incrementAndGet((int) Math.min(1000, Math.max(0, now - due)));
                }
                if (!guarded(c, now, () -> c.poll(now))) {
                    finished.add(c);
                    continue;
                }
                due = c.nextWakeup();
            }
            if (c.done()) finished.add(c);
            next = Math.min(next, due);
        }
        calls.removeAll(finished);
        double waitMs = next == Long.MAX_VALUE ? MAX_SLEEP_MS : Math.max(0, Math.min(MAX_SLEEP_MS, (next - clock.getAsLong()) / speed));
        if (waitMs > 0 && inbound.isEmpty() && added.isEmpty() && cancelled.isEmpty()) LockSupport.parkNanos((long) (waitMs * 1_000_000));
    }

    /**
     * Runs one call's work; a throwable from it (an OutOfMemoryError above all) ends that call as
     * cancelled instead of ending the thread that drives every call. Returns false if the call failed.
     */
    private boolean guarded(T38Call c, long now, Runnable work) {
        try {
            work.run();
            return true;
        } catch (Throwable e) {
            log.log(System.Logger.Level.ERROR, "a fax call failed inside the engine; ending it", e);
            try {
                c.session().cancel(now);
            } catch (Throwable again) {
                log.log(System.Logger.Level.ERROR, "ending the failed fax call failed too", again);
            }
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
