package dev.faxlan.lines.rtp;

/**
 * What RTCP reports about a received stream (RFC 3550 §6.4.1, appendix A.1, simplified): the extended
 * highest sequence number (the 16-bit number with its wrap count above it) and how many packets are
 * missing. A number at most 32767 ahead of the highest is newer (a wrap from 65535 to 0 counts a
 * cycle); one behind is a late or duplicate packet and changes nothing but the count received.
 * Pure; not thread-safe.
 */
public final class ReceptionStats {
    private boolean started;
    private int base;
    private int highest;
    private long cycles;
    private long received;

    /** A packet with sequence number {@code sequence} (0..65535) arrived. */
    public void received(int sequence) {
        received++;
        if (!started) {
            started = true;
            base = sequence;
            highest = sequence;
            return;
        }
        int ahead = (sequence - highest) & 0xFFFF;
        if (ahead != 0 && ahead < 0x8000) {
            if (sequence < highest) cycles += 0x10000;
            highest = sequence;
        }
    }

    /** Cycles times 65536 plus the highest sequence number; 0 before the first packet. */
    public long extendedHighest() {
        return started ? cycles + highest : 0;
    }

    /** Packets from the first to the highest, inclusive. */
    public long expected() {
        return started ? cycles + highest - base + 1 : 0;
    }

    /** Expected less received; negative with duplicates, as RFC 3550 allows. */
    public long lost() {
        return expected() - received;
    }

    public long packetsReceived() {
        return received;
    }
}
