package dev.faxlan.engine.t38;

import java.util.List;

/**
 * A UDPTL packet (T.38 Annex B / §9.1): a 16-bit sequence number, the primary IFP, and error recovery
 * data: either copies of earlier IFPs (redundancy) or XOR parity over earlier IFPs (FEC).
 */
public record UdptlPacket(int seq, byte[] primary, Recovery recovery) {
    public UdptlPacket {
        if (seq < 0 || seq > 0xffff) throw new IllegalArgumentException("UDPTL sequence number out of range: " + seq);
    }

    /** Error recovery data of a packet. */
    public sealed interface Recovery {}

    /** Earlier IFPs, newest first: {@code secondaries.get(i)} is the primary of packet {@code seq - 1 - i}. */
    public record Redundancy(List<byte[]> secondaries) implements Recovery {
        public Redundancy {
            secondaries = List.copyOf(secondaries);
        }
    }

    /**
     * Parity entries: entry {@code m} is the XOR of the primaries of packets
     * {@code seq + m - span*entries + j*entries} for {@code j = 0 .. span-1}.
     */
    public record Fec(int span, List<byte[]> entries) implements Recovery {
        public Fec {
            entries = List.copyOf(entries);
        }
    }
}
