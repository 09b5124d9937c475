package dev.faxlan.engine.t38;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns received UDPTL datagrams back into the peer's IFP sequence, in order, once each.
 *
 * <p>A packet ahead of the expected sequence number means packets were lost: their IFPs are taken
 * from this packet's secondaries (redundancy) or rebuilt from FEC parity when exactly one packet of a
 * parity group is missing; what cannot be recovered is reported as a {@link Gap}, so the engine can
 * mark the frame in progress damaged. Packets behind the expected number (duplicates, late arrivals,
 * the repeats peers send of indicators) are dropped. A jump of {@link #WINDOW} or more is a sequence
 * restart. Sequence numbers wrap from 65535 to 0.
 */
public final class UdptlReceiver {
    /** Forward distance up to which a jump counts as loss rather than a restart (as spandsp). */
    public static final int WINDOW = 2000;
    private static final int RING = 64;

    /** What {@link #accept} yields, in sequence order. */
    public sealed interface Arrival {}

    /**
     * An IFP; {@code recovered} when it came from redundancy or FEC rather than its own packet, and
     * {@code padded} when FEC rebuilt it (it may then carry trailing padding, see IfpCodec.decodePadded).
     */
    public record Packet(int seq, byte[] ifp, boolean recovered, boolean padded) implements Arrival {
        public Packet(int seq, byte[] ifp, boolean recovered) {
            this(seq, ifp, recovered, false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Packet p && p.seq == seq && p.recovered == recovered && p.padded == padded && Arrays.equals(p.ifp, ifp);
        }

        @Override
        public int hashCode() {
            return seq * 31 + Arrays.hashCode(ifp);
        }
    }

    /** IFPs that were lost for good: {@code count} of them from {@code firstSeq}, or -1 when unknown (restart). */
    public record Gap(int firstSeq, int count) implements Arrival {}

    private record FecGroup(int seq, int span, List<byte[]> entries) {}

    private final byte[][] primaries = new byte[RING][];
    private final int[] primarySeqs = new int[RING];
    private final FecGroup[] fec = new FecGroup[RING];
    private int expected = -1;
    private long lost;
    private long recovered;

    public UdptlReceiver() {
        Arrays.fill(primarySeqs, -1);
    }

    public long lostCount() {
        return lost;
    }

    public long recoveredCount() {
        return recovered;
    }

    /** Accepts one datagram; a malformed one throws and changes nothing. */
    public List<Arrival> accept(byte[] datagram) throws T38FormatException {
        return accept(UdptlCodec.decode(datagram));
    }

    public List<Arrival> accept(UdptlPacket p) {
        int seq = p.seq();
        if (p.recovery() instanceof UdptlPacket.Fec f) fec[seq % RING] = new FecGroup(seq, f.span(), f.entries());
        List<Arrival> out = new ArrayList<>(2);
        if (expected < 0) {
            deliver(out, seq, p.primary(), false);
            return out;
        }
        int ahead = (seq - expected) & 0xffff;
        if (ahead >= 0x10000 - WINDOW) {
            remember(seq, p.primary());
            return out;
        }
        if (ahead >= WINDOW) {
            out.add(new Gap(expected, -1));
            lost++;
            deliver(out, seq, p.primary(), false);
            return out;
        }
        List<byte[]> secondaries = p.recovery() instanceof UdptlPacket.Redundancy r ? r.secondaries() : List.of();
        remember(seq, p.primary());
        int gapStart = -1;
        int gapCount = 0;
        for (int i = ahead; i >= 1; i--) {
            int s = (seq - i) & 0xffff;
            boolean fromRedundancy = i - 1 < secondaries.size();
            byte[] ifp = fromRedundancy ? secondaries.get(i - 1) : fromFec(s);
            if (ifp == null) {
                if (gapCount == 0) gapStart = s;
                gapCount++;
                continue;
            }
            if (gapCount > 0) {
                out.add(new Gap(gapStart, gapCount));
                lost += gapCount;
                gapCount = 0;
            }
            recovered++;
            deliver(out, s, ifp, true, !fromRedundancy);
        }
        if (gapCount > 0) {
            out.add(new Gap(gapStart, gapCount));
            lost += gapCount;
        }
        deliver(out, seq, p.primary(), false);
        return out;
    }

    private void deliver(List<Arrival> out, int seq, byte[] ifp, boolean wasRecovered) {
        deliver(out, seq, ifp, wasRecovered, false);
    }

    private void deliver(List<Arrival> out, int seq, byte[] ifp, boolean wasRecovered, boolean padded) {
        remember(seq, ifp);
        out.add(new Packet(seq, ifp, wasRecovered, padded));
        expected = (seq + 1) & 0xffff;
    }

    private void remember(int seq, byte[] ifp) {
        primaries[seq % RING] = ifp;
        primarySeqs[seq % RING] = seq;
    }

    private byte[] stored(int seq) {
        return primarySeqs[seq % RING] == seq ? primaries[seq % RING] : null;
    }

    /** Rebuilds packet {@code s} from a parity group in which it is the only one missing. */
    private byte[] fromFec(int s) {
        for (FecGroup g : fec) {
            if (g == null || g.span() <= 0) continue;
            int entries = g.entries().size();
            for (int m = 0; m < entries; m++) {
                int first = (g.seq() + m - g.span() * entries) & 0xffff;
                boolean covers = false;
                boolean othersPresent = true;
                for (int j = 0; j < g.span(); j++) {
                    int k = (first + j * entries) & 0xffff;
                    if (k == s) covers = true;
                    else if (stored(k) == null) othersPresent = false;
                }
                if (!covers || !othersPresent) continue;
                byte[] parity = g.entries().get(m);
                byte[] rebuilt = parity.clone();
                for (int j = 0; j < g.span(); j++) {
                    int k = (first + j * entries) & 0xffff;
                    if (k == s) continue;
                    byte[] other = stored(k);
                    for (int x = 0; x < Math.min(other.length, rebuilt.length); x++) rebuilt[x] ^= other[x];
                }
                return rebuilt;
            }
        }
        return null;
    }
}
