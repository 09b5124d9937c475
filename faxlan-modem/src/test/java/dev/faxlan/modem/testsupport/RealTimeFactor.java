package dev.faxlan.modem.testsupport;

import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.ModemTransmitter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * What the modems' real-time-factor mains share: CPU time of the calling thread (best of five, so
 * that other load on the machine only ever makes a figure worse), audio in 20 ms blocks as an RTP
 * line gives it, and one output line per measurement, which bench/modems.sh greps for "Nx real".
 */
public final class RealTimeFactor {
    /** 20 ms at 8000 samples a second. */
    public static final int BLOCK = 160;
    private static final int ROUNDS = 5;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private RealTimeFactor() {
    }

    /** The least CPU time, in seconds, of five runs of {@code work} on this thread. */
    public static double best(Runnable work) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            work.run();
            best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t0) / 1e9);
        }
        return best;
    }

    /** What {@code tx} sends in 20 ms blocks, up to {@code seconds} of audio (less if it stops). */
    public static short[] transmit(ModemTransmitter tx, int seconds) {
        return Line.drain(tx, seconds * 8000);
    }

    /** Feeds {@code audio} to {@code rx} in 20 ms blocks. */
    public static void receive(ModemReceiver rx, short[] audio) {
        Line.feed(rx, audio, BLOCK);
    }

    /**
     * Prints one line a measurement, "name: Nx real time (P% of a core per call)", the names padded
     * to the longest so that the figures line up.
     */
    public static void print(double audioSeconds, String[] names, double... cpuSeconds) {
        if (names.length != cpuSeconds.length) {
            throw new IllegalArgumentException(names.length + " names for " + cpuSeconds.length + " measurements");
        }
        int width = 0;
        for (String name : names) {
            width = Math.max(width, name.length() + 1);
        }
        for (int i = 0; i < names.length; i++) {
            System.out.printf(Locale.ROOT, "%-" + width + "s %.0fx real time (%.4f%% of a core per call)%n",
                    names[i] + ":", audioSeconds / cpuSeconds[i], 100.0 * cpuSeconds[i] / audioSeconds);
        }
    }
}
