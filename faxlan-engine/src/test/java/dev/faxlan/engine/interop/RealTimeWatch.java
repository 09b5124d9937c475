package dev.faxlan.engine.interop;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Notices that this machine stopped running us on time: a thread that asks to wake every 5 ms and
 * records the longest it overslept. The interop cells run both ends on a clock ten times real time,
 * where a 100 ms stall of the whole machine is a second of call time, a third of T.30's T4: a cell
 * that fails after such a stall says the machine was too busy for an accelerated clock, not that
 * either end broke the protocol.
 */
final class RealTimeWatch implements AutoCloseable {
    private static final long TICK_MS = 5;
    private final AtomicLong worstStallMs = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private RealTimeWatch() {
        thread = new Thread(this::watch, "real-time-watch");
        thread.setDaemon(true);
        thread.start();
    }

    static RealTimeWatch start() {
        return new RealTimeWatch();
    }

    private void watch() {
        while (running) {
            long before = System.nanoTime();
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            long overslept = (System.nanoTime() - before) / 1_000_000 - TICK_MS;
            worstStallMs.accumulateAndGet(overslept, Math::max);
        }
    }

    /** The longest this thread overslept, in wall milliseconds. */
    long worstStallMs() {
        return worstStallMs.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
