package dev.faxlan.engine.fax;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Drives many {@link T38Call}s from a few threads, one per lane: a call is given to one lane for its
 * whole life. Each lane delivers queued datagrams, polls the calls whose next IFP or timer is due, then
 * sleeps until the earliest next wake-up (at most 5 ms, so datagrams that arrive meanwhile wait little).
 * No thread per call, no sleeping per call.
 *
 * <p>Calls wait in a priority queue by next due time, so a wake-up costs the due calls alone, not a
 * scan of every call (a scan fell behind past 200 concurrent calls). A call whose due time changes (a
 * datagram, a cancel) is queued again at its new time; its older entry is skipped when it comes up.
 * Due calls are served again after each datagram, since a datagram can start costly work (coding or
 * decoding a page takes milliseconds); and with more than one lane, one lane's page decoding does not
 * hold up the pacing of calls in the others.
 *
 * <p>Pages are coded and decoded on workers (one fewer than lanes, at least one), not on the lanes: a page takes
 * milliseconds, and when many calls reach phase C together (as when they start together) the lanes
 * would otherwise spend whole seconds coding while the IFPs of every other call fell due. A session
 * asks for its page ahead and hears the answer on its lane, like a datagram.
 *
 * <p>The clock is passed in: tests run whole calls faster than real time by giving every party the
 * same scaled clock.
 */
public final class CallScheduler implements AutoCloseable {
    static final long MAX_SLEEP_MS = 5;
    static final int MAX_DATAGRAMS_PER_ROUND = 4096;
    private static final System.Logger log = System.getLogger(CallScheduler.class.getName());
    private static final long NOT_QUEUED = Long.MAX_VALUE;

    private final LongSupplier clock;
    private final double speed;
    private final List<Lane> lanes = new ArrayList<>();
    private final Map<T38Call, Lane> laneOf = new ConcurrentHashMap<>();
    private final AtomicInteger nextLane = new AtomicInteger();
    private final AtomicLong lateMaxMs = new AtomicLong();
    /** Polls of due calls by lateness in clock ms (last bucket: 1000 ms or more). */
    private final AtomicLongArray lateness = new AtomicLongArray(1001);
    private final ThreadPoolExecutor pageWorkers;
    private volatile boolean running = true;

    /**
     * One lane per available processor.
     *
     * @param clockMillis the calls' clock, in milliseconds
     * @param speed how many clock milliseconds pass per real millisecond (1 in production)
     */
    public CallScheduler(String name, LongSupplier clockMillis, double speed) {
        this(name, clockMillis, speed, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #CallScheduler(String, LongSupplier, double)} with {@code lanes} threads. */
    public CallScheduler(String name, LongSupplier clockMillis, double speed, int lanes) {
        if (lanes < 1) throw new IllegalArgumentException("a call scheduler needs at least 1 lane, not " + lanes);
        this.clock = clockMillis;
        this.speed = speed;
        // Every lane's thread has the scheduler's name: tools that count threads by kind see one kind.
        for (int i = 0; i < lanes; i++) this.lanes.add(new Lane(name));
        // One processor fewer than lanes, so that a burst of pages (many calls reaching phase C together)
        // leaves a processor's worth of time to pacing. At most one job per call is queued at a time, so
        // the queue is bounded by the calls; idle workers end.
        int workers = Math.max(1, lanes - 1);
        pageWorkers = new ThreadPoolExecutor(workers, workers, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), job -> {
            Thread t = new Thread(job, name + "-pages");
            t.setDaemon(true);
            return t;
        });
        pageWorkers.allowCoreThreadTimeOut(true);
    }

    public void add(T38Call call) {
        Lane lane = laneOf(call);
        lane.added.add(call);
        LockSupport.unpark(lane.thread);
    }

    /** Thread-safe: hands a received datagram to its call (also before {@link #add}: it waits for the call). */
    public void deliver(T38Call call, byte[] datagram) {
        Lane lane = laneOf(call);
        lane.inbound.add(new Inbound(call, datagram));
        LockSupport.unpark(lane.thread);
    }

    /** Thread-safe: ends a call at once as a local hang-up (the session finishes with {@code CANCELLED}). */
    public void cancel(T38Call call) {
        Lane lane = laneOf(call);
        lane.cancelled.add(call);
        LockSupport.unpark(lane.thread);
    }

    /** The call's lane, given in turn when the scheduler first hears of the call. */
    private Lane laneOf(T38Call call) {
        return laneOf.computeIfAbsent(call, c -> lanes.get(Math.floorMod(nextLane.getAndIncrement(), lanes.size())));
    }

    /** The calls' clock: sessions driven by this scheduler must be created with this time. */
    public long now() {
        return clock.getAsLong();
    }

    public int active() {
        return laneOf.size();
    }

    /** The largest delay seen between an IFP's due time and its sending, in clock milliseconds. */
    public long lateMaxMs() {
        return lateMaxMs.get();
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

    @Override
    public void close() {
        running = false;
        for (Lane lane : lanes) LockSupport.unpark(lane.thread);
        pageWorkers.shutdownNow();
        try {
            for (Lane lane : lanes) lane.thread.join(2000);
            pageWorkers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Inbound(T38Call call, byte[] datagram) {}

    /** A worker's answer for a call, run on the call's lane at the time it is taken in. */
    private record Answered(T38Call call, LongConsumer answer) {}

    /** A call's page work: jobs on the workers, answers back to the call's lane. */
    private final class LaneWork implements PageWork {
        private final Lane lane;
        private final T38Call call;

        LaneWork(Lane lane, T38Call call) {
            this.lane = lane;
            this.call = call;
        }

        @Override
        public <T> void submit(Supplier<T> job, Answer<T> then, long now) {
            pageWorkers.execute(() -> {
                lane.answers.add(new Answered(call, PageWork.run(job, then)));
                LockSupport.unpark(lane.thread);
            });
        }
    }

    /** A call as its lane sees it: the due time of its live queue entry. */
    private static final class Slot {
        final T38Call call;
        long queuedAt = NOT_QUEUED;
        boolean failed;

        Slot(T38Call call, PageWork work) {
            this.call = call;
            call.session().session().pageWork(work);
        }
    }

    /** One queue entry; {@code order} keeps calls due at the same time in the order they were queued. */
    private record Due(long at, long order, Slot slot) implements Comparable<Due> {
        @Override
        public int compareTo(Due o) {
            return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
        }
    }

    /** One thread and the calls it drives; its queue and slots are touched by that thread alone. */
    private final class Lane {
        final Map<T38Call, Slot> slots = new HashMap<>();
        final PriorityQueue<Due> queue = new PriorityQueue<>();
        long order;
        final ConcurrentLinkedQueue<Inbound> inbound = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<T38Call> added = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<T38Call> cancelled = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Answered> answers = new ConcurrentLinkedQueue<>();
        final Thread thread;

        Lane(String name) {
            thread = new Thread(this::loop, name);
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            while (running) {
                try {
                    round();
                } catch (Throwable e) {
                    // The thread drives many calls: it must outlive anything one round throws.
                    log.log(System.Logger.Level.ERROR, "the call scheduler's round failed", e);
                    LockSupport.parkNanos(MAX_SLEEP_MS * 1_000_000);
                }
            }
        }

        /** The call's slot, made when the lane first hears of the call. */
        private Slot slot(T38Call call) {
            return slots.computeIfAbsent(call, c -> new Slot(c, new LaneWork(this, c)));
        }

        private void round() {
            for (T38Call c; (c = added.poll()) != null; ) requeue(slot(c));
            // Bounded, so that new calls and hang-ups are taken in even while datagrams keep coming.
            Inbound in;
            for (int n = 0; n < MAX_DATAGRAMS_PER_ROUND && (in = inbound.poll()) != null; n++) {
                Slot s = slot(in.call());
                long now = clock.getAsLong();
                Inbound datagram = in;
                guarded(s, now, () -> datagram.call().datagram(datagram.datagram(), now));
                requeue(s);
                pollDue();
            }
            for (Answered a; (a = answers.poll()) != null; ) {
                Slot s = slots.get(a.call());
                if (s == null) continue; // the call ended meanwhile
                long now = clock.getAsLong();
                LongConsumer answer = a.answer();
                guarded(s, now, () -> answer.accept(now));
                requeue(s);
                pollDue();
            }
            for (T38Call c; (c = cancelled.poll()) != null; ) {
                Slot s = slot(c);
                T38Call call = c;
                long now = clock.getAsLong();
                guarded(s, now, () -> call.session().cancel(now));
                requeue(s);
            }
            pollDue();
            long next = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at();
            double waitMs = next == Long.MAX_VALUE ? MAX_SLEEP_MS : Math.max(0, Math.min(MAX_SLEEP_MS, (next - clock.getAsLong()) / speed));
            if (waitMs > 0 && inbound.isEmpty() && added.isEmpty() && cancelled.isEmpty() && answers.isEmpty()) LockSupport.parkNanos((long) (waitMs * 1_000_000));
        }

        /** Polls every call whose due time has come, earliest first. */
        private void pollDue() {
            long now = clock.getAsLong();
            while (!queue.isEmpty() && queue.peek().at() <= now) {
                Due d = queue.poll();
                Slot s = d.slot();
                if (s.queuedAt != d.at() || !slots.containsKey(s.call)) continue; // superseded by a later entry
                s.queuedAt = NOT_QUEUED;
                long late = Math.max(0, now - d.at());
                lateMaxMs.accumulateAndGet(late, Math::max);
                lateness.incrementAndGet((int) Math.min(1000, late));
                guarded(s, now, () -> s.call.poll(now));
                requeue(s);
            }
        }

        /** Queues the call at its next due time, or forgets it once it is done. */
        private void requeue(Slot s) {
            if (!slots.containsKey(s.call)) return;
            if (s.call.done()) {
                forget(s);
                return;
            }
            long due = s.call.nextWakeup();
            if (due == s.queuedAt) return;
            s.queuedAt = due;
            if (due != Long.MAX_VALUE) queue.add(new Due(due, order++, s));
        }

        private void forget(Slot s) {
            slots.remove(s.call);
            laneOf.remove(s.call);
            s.queuedAt = NOT_QUEUED;
        }

        /**
         * Runs one call's work; a throwable from it (an OutOfMemoryError above all) ends that call as
         * cancelled instead of ending the thread that drives the lane. The call stays queued so that its
         * hang-up (DCN) goes out; a call that fails again is dropped.
         */
        private void guarded(Slot s, long now, Runnable work) {
            try {
                work.run();
            } catch (Throwable e) {
                log.log(System.Logger.Level.ERROR, "a fax call failed inside the engine; ending it", e);
                if (s.failed) {
                    forget(s);
                    return;
                }
                s.failed = true;
                try {
                    s.call.session().cancel(now);
                } catch (Throwable again) {
                    log.log(System.Logger.Level.ERROR, "ending the failed fax call failed too", again);
                    forget(s);
                }
            }
        }
    }
}
