package dev.faxlan.engine.t38;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Round trips and robustness of the IFP and UDPTL codecs over arbitrary input. */
class T38CodecPropertiesTest {

    @Provide
    Arbitrary<Ifp> ifps() {
        Arbitrary<Ifp> indications = Arbitraries.of(Indicator.class).map(Ifp.Indication::new);
        Arbitrary<Ifp.Field> fields = Combinators.combine(Arbitraries.of(FieldType.class),
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300)).as(Ifp.Field::new);
        Arbitrary<Ifp> data = Combinators.combine(Arbitraries.of(DataType.class), fields.list().ofMinSize(1).ofMaxSize(6))
                .as((t, f) -> (Ifp) new Ifp.Data(t, f));
        return Arbitraries.oneOf(indications, data);
    }

    @Property(tries = 500)
    void ifpRoundTripsInEveryVersion(@ForAll("ifps") Ifp ifp, @ForAll @IntRange(min = 0, max = 3) int version) throws Exception {
        assertThat(IfpCodec.decode(IfpCodec.encode(ifp, version), version)).isEqualTo(ifp);
    }

    @Property(tries = 1000)
    void ifpDecoderOnlyEverThrowsItsTypedError(@ForAll byte[] junk, @ForAll @IntRange(min = 0, max = 3) int version) {
        try {
            IfpCodec.decode(junk, version);
        } catch (T38FormatException expected) {
            // the only failure allowed
        }
    }

    @Property(tries = 1000)
    void udptlDecoderOnlyEverThrowsItsTypedError(@ForAll byte[] junk) {
        try {
            UdptlCodec.decode(junk);
        } catch (T38FormatException expected) {
            // the only failure allowed
        }
    }

    @Property(tries = 300)
    void udptlRoundTrips(@ForAll @IntRange(min = 0, max = 65535) int seq, @ForAll("payloads") byte[] primary,
            @ForAll("payloadLists") List<byte[]> recovery, @ForAll boolean fec) throws Exception {
        UdptlPacket p = new UdptlPacket(seq, primary, fec ? new UdptlPacket.Fec(3, recovery) : new UdptlPacket.Redundancy(recovery));
        UdptlPacket back = UdptlCodec.decode(UdptlCodec.encode(p));
        assertThat(back.seq()).isEqualTo(seq);
        assertThat(back.primary()).isEqualTo(primary);
        List<byte[]> got = back.recovery() instanceof UdptlPacket.Fec f ? f.entries() : ((UdptlPacket.Redundancy) back.recovery()).secondaries();
        assertThat(got).hasSameSizeAs(recovery);
        for (int i = 0; i < got.size(); i++) assertThat(got.get(i)).isEqualTo(recovery.get(i));
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(400);
    }

    @Provide
    Arbitrary<List<byte[]>> payloadLists() {
        return payloads().list().ofMaxSize(8);
    }

    /**
     * With redundancy depth d, any loss pattern whose runs of consecutive lost packets are at most d
     * long delivers every IFP exactly once, in order; longer runs are reported as gaps, never invented.
     */
    @Property(tries = 300)
    void redundancyRecoversEveryRunUpToItsDepth(@ForAll @IntRange(min = 0, max = 4) int depth,
            @ForAll("lossPatterns") List<Boolean> lostPattern, @ForAll @IntRange(min = 0, max = 65535) int startSeq) throws Exception {
        UdptlSender sender = new UdptlSender(depth, 4000);
        for (int i = 0; i < startSeq % 300; i++) sender.next(new byte[] {0});
        UdptlReceiver receiver = new UdptlReceiver();
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> delivered = new ArrayList<>();
        long gapTotal = 0;
        int run = 0;
        int longestRun = 0;
        boolean started = false;
        for (int i = 0; i < lostPattern.size(); i++) {
            byte[] ifp = IfpCodec.encode(Ifp.Data.of(DataType.V21, FieldType.HDLC_DATA, new byte[] {(byte) i, (byte) (i >>> 8)}), 2);
            byte[] packet = sender.next(ifp);
            sent.add(ifp);
            boolean lost = lostPattern.get(i) && started && i < lostPattern.size() - 1;
            if (lost) {
                run++;
                longestRun = Math.max(longestRun, run);
                continue;
            }
            if (!started) {
                started = true;
                sent.clear();
                sent.add(ifp);
            }
            run = 0;
            for (UdptlReceiver.Arrival a : receiver.accept(packet)) {
                if (a instanceof UdptlReceiver.Packet p) delivered.add(p.ifp());
                else gapTotal += ((UdptlReceiver.Gap) a).count();
            }
        }
        assertThat(delivered.size() + gapTotal).isEqualTo(sent.size());
        if (longestRun <= depth) {
            assertThat(gapTotal).isZero();
            for (int i = 0; i < sent.size(); i++) assertThat(delivered.get(i)).isEqualTo(sent.get(i));
        }
    }

    @Provide
    Arbitrary<List<Boolean>> lossPatterns() {
        return Arbitraries.frequency(net.jqwik.api.Tuple.of(7, false), net.jqwik.api.Tuple.of(3, true)).list().ofMinSize(2).ofMaxSize(200);
    }
}
