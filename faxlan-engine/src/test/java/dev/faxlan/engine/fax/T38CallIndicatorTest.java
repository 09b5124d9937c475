package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.t38.Ifp;
import dev.faxlan.engine.t38.IfpCodec;
import dev.faxlan.engine.t38.Indicator;
import dev.faxlan.engine.t38.UdptlReceiver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Indicators go out as several copies of one packet, as spandsp sends them; data once. */
class T38CallIndicatorTest {
    /** An answering terminal's first seconds on the wire: CED, then DIS on V.21 (preamble, flags, frame). */
    private static List<byte[]> answerWire(int repeats) {
        List<byte[]> sent = new ArrayList<>();
        T38Terminal t = T38Terminal.receive(FaxOptions.defaults("rx"), e -> {}, 0);
        T38Call call = repeats == 0 ? new T38Call(t, sent::add, 2, 3, 400) : new T38Call(t, sent::add, 2, 3, 400, repeats);
        for (long now = 0; now <= 8000; now += 10) call.poll(now);
        return sent;
    }

    private static Ifp primary(byte[] datagram) throws Exception {
        UdptlReceiver r = new UdptlReceiver();
        return IfpCodec.decode(((UdptlReceiver.Packet) r.accept(datagram).get(0)).ifp(), 2);
    }

    @Test
    void eachIndicatorIsSentThreeTimesByDefaultAndDataOnce() throws Exception {
        List<byte[]> wire = answerWire(0);
        List<Ifp> ifps = new ArrayList<>();
        for (byte[] d : wire) ifps.add(primary(d));
        assertThat(ifps.get(0)).isEqualTo(new Ifp.Indication(Indicator.CED));
        assertThat(wire.get(1)).as("the same datagram, same sequence number").isEqualTo(wire.get(0));
        assertThat(wire.get(2)).isEqualTo(wire.get(0));
        assertThat(ifps.get(3)).isNotEqualTo(ifps.get(0));
        int indications = 0;
        int data = 0;
        for (int i = 0; i < ifps.size(); i++) {
            if (ifps.get(i) instanceof Ifp.Indication) {
                indications++;
                if (i == 0 || !java.util.Arrays.equals(wire.get(i), wire.get(i - 1))) {
                    assertThat(wire.get(i + 1)).isEqualTo(wire.get(i));
                    assertThat(wire.get(i + 2)).isEqualTo(wire.get(i));
                }
            } else {
                data++;
                if (i > 0) assertThat(wire.get(i)).as("data once").isNotEqualTo(wire.get(i - 1));
            }
        }
        assertThat(indications % 3).isZero();
        assertThat(indications / 3).as("CED, V.21 preamble, no-signal at least").isGreaterThanOrEqualTo(3);
        assertThat(data).isPositive();
    }

    @Test
    void oneCopyWhenConfigured() throws Exception {
        List<byte[]> wire = answerWire(1);
        assertThat(primary(wire.get(0))).isEqualTo(new Ifp.Indication(Indicator.CED));
        assertThat(primary(wire.get(1))).isNotEqualTo(new Ifp.Indication(Indicator.CED));
    }

    /**
     * The first copy of every indicator lost: the peer still learns of CED and the preamble from
     * their own packets, not from the redundancy of the next packet (which comes up to a second later).
     */
    @Test
    void aLostIndicatorCopyCostsNothing() throws Exception {
        List<byte[]> wire = answerWire(0);
        UdptlReceiver peer = new UdptlReceiver();
        byte[] previous = null;
        int indicatorsSeen = 0;
        for (byte[] d : wire) {
            boolean firstCopy = previous == null || !java.util.Arrays.equals(previous, d);
            previous = d;
            Ifp sent = primary(d);
            if (firstCopy && sent instanceof Ifp.Indication) continue; // lost on the way
            for (UdptlReceiver.Arrival a : peer.accept(d)) {
                Ifp got = IfpCodec.decode(((UdptlReceiver.Packet) a).ifp(), 2);
                if (got instanceof Ifp.Indication) {
                    assertThat(got).as("an indicator arrives in its own packet").isEqualTo(sent);
                    indicatorsSeen++;
                }
            }
        }
        assertThat(indicatorsSeen).isGreaterThanOrEqualTo(3);
        assertThat(peer.lostCount()).isZero();
    }

    @Test
    void repeatsAreChecked() {
        T38Terminal t = T38Terminal.receive(FaxOptions.defaults("rx"), e -> {}, 0);
        assertThatThrownBy(() -> new T38Call(t, d -> {}, 2, 3, 400, 0)).hasMessageContaining("1 to 10");
    }
}
