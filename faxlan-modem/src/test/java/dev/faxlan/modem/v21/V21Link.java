package dev.faxlan.modem.v21;

import dev.faxlan.modem.hdlc.HdlcReceiver;
import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.testsupport.Line;
import java.util.ArrayList;
import java.util.List;

/** Test plumbing: HDLC frames to V.21 samples and back. */
final class V21Link {
    private V21Link() {
    }

    /** T.30 frames as V.21 channel 2 samples at {@code dbm0}, preamble included. */
    static short[] transmit(List<byte[]> frames, double dbm0) {
        V21Transmitter tx = new V21Transmitter(V21Channel.CHANNEL_2, HdlcTransmitter.forT30(frames), dbm0);
        return Line.drain(tx, 8000 * 60);
    }

    /** What our receiver makes of samples: good frames, and events. */
    static final class Received implements HdlcReceiver.Listener {
        final List<byte[]> frames = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        int bad;

        @Override
        public void frame(byte[] frame) {
            frames.add(frame);
        }

        @Override
        public void badFrame(int octets) {
            bad++;
        }

        @Override
        public void carrierUp(long sample) {
            events.add("up@" + sample);
        }

        @Override
        public void carrierDown(long sample) {
            events.add("down@" + sample);
        }
    }

    /** Feeds samples in blocks of {@code block} to a fresh receiver. */
    static Received receive(short[] samples, int block) {
        Received r = new Received();
        Line.feed(new V21Receiver(V21Channel.CHANNEL_2, new HdlcReceiver(r)), samples, block);
        return r;
    }
}
