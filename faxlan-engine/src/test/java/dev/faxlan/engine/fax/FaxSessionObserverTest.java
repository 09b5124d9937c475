package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.engine.t38.Ifp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a session tells its observer: the frames it sends and hears, and the frames it ignores. */
class FaxSessionObserverTest {
    private final List<String> seen = new ArrayList<>();
    private final FaxSessionObserver observer = new FaxSessionObserver() {
        @Override
        public void frames(Direction direction, T30State state, List<T30Frame> frames, long now) {
            seen.add(direction + " " + state + " " + frames.stream().map(f -> f.fcf().name()).toList());
        }

        @Override
        public void unexpectedFrame(T30State state, T30Frame frame, long now) {
            seen.add("unexpected " + frame.fcf() + " in " + state);
        }

        @Override
        public void malformedFrame(T30State state, byte[] frame, String reason, long now) {
            seen.add("malformed in " + state);
        }
    };

    @Test
    void aSenderWaitingForDisReportsAnMcfAsUnexpectedAndStaysInPhaseB() {
        T38FrontEnd ours = new T38FrontEnd();
        FaxSession session = FaxSession.send(List.of(FaxSessionTest.page(196, 1)), FaxOptions.defaults("1"), e -> {}, ours, observer, 0);
        T38FrontEnd peer = new T38FrontEnd(new Ignoring());
        peer.sendHdlc(List.of(new T30Frame(Fcf.MCF, true, true, new byte[0]).encode()), 0);
        for (long t = 0; peer.txBusy(); t += 10) {
            for (Ifp ifp : peer.poll(t)) ours.receive(ifp, t);
            ours.poll(t);
        }
        assertThat(seen).containsExactly("RECEIVED T [MCF]", "unexpected MCF in T");
        assertThat(session.state()).isEqualTo(T30State.T);
    }

    @Test
    void aReceiverReportsTheDisItSends() {
        FaxSession.receive(FaxOptions.defaults("2"), e -> {}, new T38FrontEnd(), observer, 0);
        assertThat(seen).containsExactly("SENT R [CSI, DIS]");
    }

    private static final class Ignoring implements FaxFrontEnd.Receiver {
        public void txIdle(long now) {}

        public void hdlcFrame(byte[] frame, boolean good, long now) {}

        public void hdlcEnd(long now) {}

        public void imageData(byte[] chunk, long now) {}

        public void imageEnd(long now) {}
    }
}
