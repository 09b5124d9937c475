package dev.faxlan.modem.hdlc;

import dev.faxlan.modem.BitSource;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * HDLC framing as a {@link BitSource} for a modem: a preamble of flags, then each frame with its
 * FCS, zero-stuffed (a 0 after every five 1s so no data looks like a flag), LSB first, with flags
 * between frames and after the last; then {@link BitSource#END}, and the modem drops its carrier.
 *
 * <p>For T.30 on V.21 the preamble lasts 1 s ± 15% ({@link #t30PreambleFlags}); T.30 frames go
 * out back to back in one transmission, each closed by its own flag.
 */
public final class HdlcTransmitter implements BitSource {
    /** The opening and closing flag, 0111 1110. */
    public static final int FLAG = 0x7E;
    /** Flags after each frame (the closing one included), as spandsp sends: at least two. */
    static final int FLAGS_AFTER_FRAME = 2;

    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private final int preambleFlags;
    /** The octets being sent now (a frame and its FCS), or null between frames. */
    private byte[] current;
    private int octet;
    private int bit;
    private int ones;
    private int flagsToSend;
    private int flagBit;
    private boolean ended;
    private final BitSet badFcs;
    /** Index of the next frame to start. */
    private int frameIndex;

    /** Sends {@code preambleFlags} flags, then {@code frames}, each closed by flags. */
    public HdlcTransmitter(int preambleFlags, List<byte[]> frames) {
        this(preambleFlags, frames, new BitSet());
    }

    /**
     * As {@link #HdlcTransmitter(int, List)}, the frames whose index is in {@code badFcs} with their FCS
     * inverted, so a receiver discards them (a conformance tester's damaged frame).
     */
    public HdlcTransmitter(int preambleFlags, List<byte[]> frames, BitSet badFcs) {
        if (preambleFlags < 1) {
            throw new IllegalArgumentException("at least one opening flag is needed, was " + preambleFlags);
        }
        for (byte[] f : frames) {
            Objects.requireNonNull(f, "frame");
            if (f.length == 0) {
                throw new IllegalArgumentException("an HDLC frame needs at least one octet");
            }
            this.frames.add(f.clone());
        }
        this.preambleFlags = preambleFlags;
        this.flagsToSend = preambleFlags;
        this.badFcs = (BitSet) badFcs.clone();
    }

    /**
     * Flags for T.30's 1 s ± 15% preamble at {@code bitRate}: the whole number of flags nearest 1 s
     * (38 at 300 bit/s, 1.013 s).
     */
    public static int t30PreambleFlags(int bitRate) {
        return (int) Math.round(bitRate / 8.0);
    }

    /** A T.30 transmission on V.21: the 1 s preamble, then {@code frames}. */
    public static HdlcTransmitter forT30(List<byte[]> frames) {
        return new HdlcTransmitter(t30PreambleFlags(300), frames);
    }

    /** Flags sent before the first frame. */
    public int preambleFlags() {
        return preambleFlags;
    }

    @Override
    public int nextBit() {
        while (!ended) {
            if (flagsToSend > 0) {
                int b = (FLAG >> flagBit) & 1;
                if (++flagBit == 8) {
                    flagBit = 0;
                    flagsToSend--;
                }
                return b;
            }
            if (current == null) {
                byte[] f = frames.poll();
                if (f == null) {
                    ended = true;
                    break;
                }
                int fcs = Crc16.fcs(f, 0, f.length);
                if (badFcs.get(frameIndex++)) fcs = ~fcs;
                current = new byte[f.length + 2];
                System.arraycopy(f, 0, current, 0, f.length);
                current[f.length] = (byte) fcs;
                current[f.length + 1] = (byte) (fcs >> 8);
                octet = 0;
                bit = 0;
                ones = 0;
            }
            if (ones == 5) {
                // Also after the FCS's last bit, before the closing flag.
                ones = 0;
                return 0;
            }
            if (octet == current.length) {
                current = null;
                flagsToSend = FLAGS_AFTER_FRAME;
                continue;
            }
            int b = (current[octet] >> bit) & 1;
            ones = b == 1 ? ones + 1 : 0;
            if (++bit == 8) {
                bit = 0;
                octet++;
            }
            return b;
        }
        return END;
    }
}
