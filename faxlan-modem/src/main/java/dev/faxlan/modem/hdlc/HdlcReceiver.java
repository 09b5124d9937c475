package dev.faxlan.modem.hdlc;

import dev.faxlan.modem.BitSink;
import java.util.Arrays;

/**
 * HDLC deframing of a modem's bits: finds flags, removes stuffed zeros, checks each frame's FCS and
 * hands frames to a {@link Listener}. Seven 1s in a row abort the frame in progress; so does the
 * carrier dropping. Memory is fixed: frames longer than {@link #maxOctets} are counted and reported
 * as too long, not collected.
 */
public final class HdlcReceiver implements BitSink {
    /** T.30's longest frame (spandsp's HDLC_MAXFRAME_LEN), not counting the FCS. */
    public static final int T30_MAX_OCTETS = 400;

    /** What the deframer finds. */
    public interface Listener {
        /** A frame with a good FCS; {@code frame} excludes the FCS and belongs to the listener. */
        void frame(byte[] frame);

        /** A frame with a bad FCS, a length that is not whole octets, or too long; {@code octets} as received. */
        default void badFrame(int octets) {
        }

        /** Seven or more 1s ended a frame in progress. */
        default void aborted() {
        }

        /** A carrier came up. */
        default void carrierUp(long sample) {
        }

        /** The carrier went down; a frame in progress is dropped. */
        default void carrierDown(long sample) {
        }
    }

    private final Listener listener;
    private final int maxOctets;
    private final byte[] buffer;
    private int ones;
    private int bits;
    private int octets;
    private int shift;
    private boolean hunting = true;
    private boolean tooLong;
    private long flags;
    private long goodFrames;
    private long badFrames;
    private long aborts;

    public HdlcReceiver(Listener listener) {
        this(listener, T30_MAX_OCTETS);
    }

    public HdlcReceiver(Listener listener, int maxOctets) {
        if (maxOctets < 1) {
            throw new IllegalArgumentException("maximum frame length must be at least 1 octet, was " + maxOctets);
        }
        this.listener = listener;
        this.maxOctets = maxOctets;
        this.buffer = new byte[maxOctets + 2];
    }

    @Override
    public void bit(int bit) {
        if (bit != 0) {
            ones++;
            if (ones == 7) {
                if (!hunting && (octets > 0 || bits > 7)) {
                    aborts++;
                    listener.aborted();
                }
                hunting = true;
            }
            if (ones >= 7) {
                return;
            }
            push(1);
            return;
        }
        int run = ones;
        ones = 0;
        if (run == 6) {
            flag();
        } else if (run != 5) {
            push(0);
        }
        // run == 5: a stuffed zero, dropped.
    }

    private void push(int bit) {
        if (hunting) {
            return;
        }
        bits++;
        shift = (shift >>> 1) | (bit << 7);
        if ((bits & 7) == 0) {
            if (octets < buffer.length) {
                buffer[octets] = (byte) shift;
                octets++;
            } else {
                tooLong = true;
            }
        }
    }

    private void flag() {
        flags++;
        if (!hunting) {
            // The flag's own 0111111 went in as data: take them off.
            int dataBits = bits - 7;
            if (dataBits > 0) {
                endFrame(dataBits);
            }
        }
        hunting = false;
        bits = 0;
        octets = 0;
        tooLong = false;
    }

    private void endFrame(int dataBits) {
        int n = dataBits / 8;
        if (tooLong) {
            badFrames++;
            listener.badFrame(n);
            return;
        }
        if ((dataBits & 7) != 0 || n < 3) {
            badFrames++;
            listener.badFrame(n);
            return;
        }
        if (Crc16.update(Crc16.PRESET, buffer, 0, n) != Crc16.GOOD_RESIDUE) {
            badFrames++;
            listener.badFrame(n);
            return;
        }
        goodFrames++;
        listener.frame(Arrays.copyOf(buffer, n - 2));
    }

    @Override
    public void carrierUp(long sample) {
        reset();
        listener.carrierUp(sample);
    }

    @Override
    public void carrierDown(long sample) {
        reset();
        listener.carrierDown(sample);
    }

    private void reset() {
        hunting = true;
        ones = 0;
        bits = 0;
        octets = 0;
        tooLong = false;
    }

    /** Flags seen since the start. */
    public long flags() {
        return flags;
    }

    public long goodFrames() {
        return goodFrames;
    }

    public long badFrames() {
        return badFrames;
    }

    public long aborts() {
        return aborts;
    }
}
