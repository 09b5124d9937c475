package dev.faxlan.engine.t38;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Numbers outgoing IFPs and wraps each in a UDPTL packet carrying up to {@code depth} earlier IFPs
 * (redundancy), newest first, leaving out the oldest ones when the packet would exceed the peer's
 * maximum datagram size. Sequence numbers wrap from 65535 to 0.
 */
public final class UdptlSender {
    private final int depth;
    private final int maxDatagram;
    private final ArrayDeque<byte[]> history = new ArrayDeque<>();
    private int seq;

    /**
     * @param depth number of earlier IFPs repeated in each packet (0 = none)
     * @param maxDatagram the peer's T38FaxMaxDatagram, read strictly as the whole UDPTL packet
     */
    public UdptlSender(int depth, int maxDatagram) {
        if (depth < 0 || depth > UdptlCodec.MAX_RECOVERY_ITEMS) throw new IllegalArgumentException("redundancy depth out of range: " + depth);
        this.depth = depth;
        this.maxDatagram = maxDatagram;
    }

    public int nextSeq() {
        return seq;
    }

    /** Wraps {@code ifp} (already encoded) into the next packet. */
    public byte[] next(byte[] ifp) {
        int size = 2 + UdptlCodec.openTypeSize(ifp.length) + 1 + 1;
        if (size > maxDatagram) {
            throw new IllegalArgumentException("an IFP of " + ifp.length + " octets does not fit the peer's maximum datagram of " + maxDatagram);
        }
        List<byte[]> secondaries = new ArrayList<>(depth);
        for (Iterator<byte[]> it = history.descendingIterator(); it.hasNext() && secondaries.size() < depth; ) {
            byte[] s = it.next();
            int more = UdptlCodec.openTypeSize(s.length) + (secondaries.size() == 0x7f ? 1 : 0);
            if (size + more > maxDatagram) break;
            size += more;
            secondaries.add(s);
        }
        byte[] packet = UdptlCodec.encode(new UdptlPacket(seq, ifp, new UdptlPacket.Redundancy(secondaries)));
        seq = (seq + 1) & 0xffff;
        history.addLast(ifp);
        if (history.size() > depth) history.removeFirst();
        return packet;
    }
}
