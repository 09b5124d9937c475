package dev.faxlan.engine.t38;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UdptlReceiverTest {
    static byte[] ifp(int i) {
        return IfpCodec.encode(Ifp.Data.of(DataType.V21, FieldType.HDLC_DATA, new byte[] {(byte) i, 1, 2}), 2);
    }

    @Test
    void duplicatesAndLatePacketsAreDroppedAndWrapIsSeamless() throws Exception {
        UdptlReceiver r = new UdptlReceiver();
        UdptlSender s = new UdptlSender(0, 400);
        for (int i = 0; i < 65534; i++) s.next(ifp(0));
        byte[] a = s.next(ifp(1));
        byte[] b = s.next(ifp(2));
        byte[] c = s.next(ifp(3));
        assertThat(UdptlCodec.decode(c).seq()).isZero();
        assertThat(r.accept(a)).hasSize(1);
        assertThat(r.accept(a)).isEmpty();
        assertThat(r.accept(b)).singleElement().isEqualTo(new UdptlReceiver.Packet(65535, ifp(2), false));
        assertThat(r.accept(c)).singleElement().isEqualTo(new UdptlReceiver.Packet(0, ifp(3), false));
        assertThat(r.accept(b)).isEmpty();
    }

    @Test
    void lossBeyondRedundancyIsReportedAsAGap() throws Exception {
        UdptlReceiver r = new UdptlReceiver();
        UdptlSender s = new UdptlSender(1, 400);
        r.accept(s.next(ifp(0)));
        s.next(ifp(1));
        s.next(ifp(2));
        List<UdptlReceiver.Arrival> got = r.accept(s.next(ifp(3)));
        assertThat(got).containsExactly(new UdptlReceiver.Gap(1, 1), new UdptlReceiver.Packet(2, ifp(2), true),
                new UdptlReceiver.Packet(3, ifp(3), false));
        assertThat(r.lostCount()).isEqualTo(1);
        assertThat(r.recoveredCount()).isEqualTo(1);
    }

    @Test
    void fecRebuildsTheOnlyMissingPacketOfAParityGroup() throws Exception {
        // span 2, one entry: packet 4 carries the XOR of packets 2 and 3.
        byte[] p2 = ifp(2);
        byte[] p3 = ifp(3);
        byte[] parity = new byte[p2.length];
        for (int i = 0; i < parity.length; i++) parity[i] = (byte) (p2[i] ^ p3[i]);
        UdptlReceiver r = new UdptlReceiver();
        r.accept(new UdptlPacket(1, ifp(1), new UdptlPacket.Fec(0, List.of())));
        r.accept(new UdptlPacket(2, p2, new UdptlPacket.Fec(0, List.of())));
        List<UdptlReceiver.Arrival> got = r.accept(UdptlCodec.decode(UdptlCodec.encode(new UdptlPacket(4, ifp(4), new UdptlPacket.Fec(2, List.of(parity))))));
        assertThat(got).containsExactly(new UdptlReceiver.Packet(3, p3, true, true), new UdptlReceiver.Packet(4, ifp(4), false));
    }

    @Test
    void senderDropsOldestSecondariesToFitTheDatagramLimit() throws Exception {
        UdptlSender s = new UdptlSender(3, 2 + 2 + 60 + 1 + 1 + 2 * 61);
        byte[] big = new byte[60];
        s.next(big);
        s.next(big);
        s.next(big);
        UdptlPacket p = UdptlCodec.decode(s.next(big));
        assertThat(((UdptlPacket.Redundancy) p.recovery()).secondaries()).hasSize(2);
    }
}
