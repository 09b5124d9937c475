package dev.faxlan.lines.rtp;

import java.util.Arrays;

/**
 * A fixed-delay playout buffer for fax over G.711 (octets, 8000 per second). Packets are placed by
 * their RTP timestamp, so reordering within the delay costs nothing and any packet size works; the
 * playout point trails the first packet's timestamp by a fixed delay and then advances exactly as
 * many samples as are taken. It never stretches or shrinks time, since a modem's symbol clock cannot
 * survive a slip (field notes §6), and it never invents signal: a sample nothing arrived for is
 * {@code silence}. A packet too late for its place is dropped; a duplicate changes nothing.
 *
 * <p>A timestamp far outside the buffer (more than {@link #CAPACITY} samples either way) is a sender
 * that restarted its stream, or garbage: such packets are dropped, and only the third in a row, each
 * following the one before, moves the playout point to them. So one forged or corrupt packet cannot
 * move the stream. Pure: no clock, no I/O; not thread-safe.
 */
public final class JitterBuffer {
    /** Samples held ahead of the playout point: a little over one second. */
    public static final int CAPACITY = 8192;
    private static final int MASK = CAPACITY - 1;
    /** Consecutive far-off packets that move the playout point. */
    static final int RESYNC_AFTER = 3;

    /** What {@link #put} did with a packet. */
    public enum Arrival {
        /** The first packet: the playout point is set from it. */
        FIRST,
        /** Placed for playout. */
        STORED,
        /** Every sample of it already arrived. */
        DUPLICATE,
        /** Its time has been played already. */
        LATE,
        /** Far outside the buffer; dropped (see the class comment). */
        OUT_OF_WINDOW,
        /** The third far-off packet in a row: the stream restarted there. */
        RESYNC
    }

    private final int delay;
    private final byte silence;
    private final byte[] ring = new byte[CAPACITY];
    private final boolean[] filled = new boolean[CAPACITY];
    private boolean started;
    /** Timestamp of the next sample to play. */
    private int cursor;
    private int farRun;
    private int farNext;
    private long stored;
    private long duplicates;
    private long late;
    private long dropped;
    private long resyncs;
    private long silenceFilled;

    /**
     * @param delaySamples how far playout trails the first packet, in samples (e.g. 800 for 100 ms);
     *     0 to {@code CAPACITY / 2}
     * @param silence the octet of silence in the call's law (µ-law 0xFF, A-law 0xD5)
     */
    public JitterBuffer(int delaySamples, byte silence) {
        if (delaySamples < 0 || delaySamples > CAPACITY / 2) {
            throw new IllegalArgumentException("jitter buffer delay of " + delaySamples + " samples is not 0.." + CAPACITY / 2);
        }
        this.delay = delaySamples;
        this.silence = silence;
        Arrays.fill(ring, silence);
    }

    /** Places {@code len} samples of {@code payload} from {@code off}, which start at RTP timestamp {@code timestamp}. */
    public Arrival put(int timestamp, byte[] payload, int off, int len) {
        if (!started) {
            started = true;
            cursor = timestamp - delay;
            write(timestamp, payload, off, len);
            return Arrival.FIRST;
        }
        int d = timestamp - cursor;
        if (d + len > CAPACITY || d < -CAPACITY) {
            // Far off: only a run of such packets, each continuing the last, restarts the stream there.
            farRun = farRun > 0 && timestamp - farNext >= 0 && timestamp - farNext <= CAPACITY ? farRun + 1 : 1;
            farNext = timestamp + len;
            if (farRun < RESYNC_AFTER) {
                dropped++;
                return Arrival.OUT_OF_WINDOW;
            }
            farRun = 0;
            resyncs++;
            cursor = timestamp - delay;
            Arrays.fill(ring, silence);
            Arrays.fill(filled, false);
            write(timestamp, payload, off, len);
            return Arrival.RESYNC;
        }
        farRun = 0;
        if (d + len <= 0) {
            late++;
            return Arrival.LATE;
        }
        return write(timestamp, payload, off, len) ? Arrival.STORED : Arrival.DUPLICATE;
    }

    /** Whether any sample was new. Samples before the playout point are skipped. */
    private boolean write(int timestamp, byte[] payload, int off, int len) {
        boolean fresh = false;
        for (int i = 0; i < len; i++) {
            int t = timestamp + i;
            if (t - cursor < 0) continue;
            int slot = t & MASK;
            if (filled[slot]) continue;
            filled[slot] = true;
            ring[slot] = payload[off + i];
            fresh = true;
        }
        if (fresh) stored++;
        else duplicates++;
        return fresh;
    }

    /** Writes the next {@code len} samples to play into {@code out}: silence before the first packet and wherever nothing arrived. */
    public void take(byte[] out, int off, int len) {
        if (!started) {
            Arrays.fill(out, off, off + len, silence);
            return;
        }
        for (int i = 0; i < len; i++) {
            int slot = (cursor + i) & MASK;
            if (filled[slot]) {
                out[off + i] = ring[slot];
                filled[slot] = false;
                ring[slot] = silence;
            } else {
                out[off + i] = silence;
                silenceFilled++;
            }
        }
        cursor += len;
    }

    /** Whether a packet has arrived yet. */
    public boolean started() {
        return started;
    }

    /** What the buffer has seen, for logs and RTCP. */
    public Stats stats() {
        return new Stats(stored, duplicates, late, dropped, resyncs, silenceFilled);
    }

    /**
     * @param stored packets placed for playout
     * @param duplicates packets whose every sample had arrived already
     * @param late packets whose time had been played
     * @param dropped far-off packets dropped
     * @param resyncs times the stream restarted
     * @param silenceSamples samples played as silence after the first packet because nothing arrived for them
     */
    public record Stats(long stored, long duplicates, long late, long dropped, long resyncs, long silenceSamples) {}
}
