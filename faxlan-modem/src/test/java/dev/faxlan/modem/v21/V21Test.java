package dev.faxlan.modem.v21;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.Levels;
import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.testsupport.Line;
import java.util.List;
import org.junit.jupiter.api.Test;

class V21Test {
    private static final byte[] DIS = {(byte) 0xFF, 0x13, (byte) 0x80, 0x00, (byte) 0xEE, (byte) 0xF8, (byte) 0x80};

    @Test
    void transmitterSendsTheLevelAskedAndOneBitPerThreeHundredthOfASecond() {
        short[] s = V21Link.transmit(List.of(DIS), -14);
        int flags = HdlcTransmitter.t30PreambleFlags(300);
        // Bits: preamble, frame with FCS (some stuffed zeros), two closing flags.
        double bitsSent = s.length * 300.0 / 8000.0;
        assertThat(bitsSent).isBetween(flags * 8 + (DIS.length + 2) * 8 + 16.0, flags * 8 + (DIS.length + 2) * 8 + 16.0 + 8);
        assertThat(Levels.dbm0(Line.meanSquare(s))).isBetween(-14.1, -13.9);
    }

    @Test
    void transmitterIsPhaseContinuous() {
        short[] s = V21Link.transmit(List.of(DIS), -14);
        double peak = Levels.sinePeak(-14);
        // No step between samples larger than the steepest a 1850 Hz sine makes.
        double maxStep = peak * 2 * Math.PI * 1850 / 8000 * 1.01 + 1;
        for (int i = 1; i < s.length; i++) {
            assertThat((double) Math.abs(s[i] - s[i - 1])).as("step at %d", i).isLessThanOrEqualTo(maxStep);
        }
    }

    @Test
    void cleanRoundTripInBlocksOfAnySize() {
        List<byte[]> frames = List.of(DIS, new byte[] {(byte) 0xFF, 0x03, 0x40, 0x31, 0x32}, new byte[] {(byte) 0xFF, 0x13, (byte) 0x84});
        short[] s = Line.throughG711(Line.pad(V21Link.transmit(frames, -14), 1600), null);
        for (int block : new int[] {1, 7, 160, 4096}) {
            V21Link.Received r = V21Link.receive(s, block);
            assertThat(r.frames).as("block %d", block).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(r.frames.get(i)).isEqualTo(frames.get(i));
            }
            assertThat(r.events).as("carrier events").hasSize(2);
        }
    }

    @Test
    void carrierComesUpWithTheSignalAndGoesDownAfterIt() {
        short[] signal = V21Link.transmit(List.of(DIS), -14);
        short[] s = Line.throughG711(Line.pad(signal, 4000), null);
        V21Link.Received r = V21Link.receive(s, 160);
        assertThat(r.events).hasSize(2);
        long up = Long.parseLong(r.events.get(0).substring(3));
        long down = Long.parseLong(r.events.get(1).substring(5));
        assertThat(up - 4000).isBetween(0L, 80L);
        // Down once the meter (4 ms time constant) has fallen 34 dB, from -14 to -48 dBm0, plus the 15 ms hold.
        assertThat(down - (4000 + signal.length)).isBetween(120L, 400L);
    }

    @Test
    void signalBelowTheCarrierThresholdIsIgnored() {
        short[] s = Line.throughG711(Line.pad(V21Link.transmit(List.of(DIS), -50), 800), null);
        V21Link.Received r = V21Link.receive(s, 160);
        assertThat(r.events).isEmpty();
        assertThat(r.frames).isEmpty();
    }

    @Test
    void channelOneRoundTrip() {
        V21Transmitter tx = new V21Transmitter(V21Channel.CHANNEL_1, HdlcTransmitter.forT30(List.of(DIS)));
        short[] s = Line.throughG711(Line.pad(Line.drain(tx, 8000 * 10), 800), null);
        V21Link.Received r = new V21Link.Received();
        V21Receiver rx = new V21Receiver(V21Channel.CHANNEL_1, new dev.faxlan.modem.hdlc.HdlcReceiver(r));
        rx.receive(s, 0, s.length);
        assertThat(r.frames).hasSize(1);
        assertThat(r.frames.get(0)).isEqualTo(DIS);
    }

    @Test
    void transmitterStaysQuietOnceItsSourceHasEnded() {
        V21Transmitter tx = new V21Transmitter(V21Channel.CHANNEL_2, HdlcTransmitter.forT30(List.of(DIS)));
        Line.drain(tx, 8000 * 10);
        assertThat(tx.ended()).isTrue();
        assertThat(tx.fill(new short[160], 0, 160)).isZero();
    }

    @Test
    void channelOneIsNotHeardOnChannelTwo() {
        V21Transmitter tx = new V21Transmitter(V21Channel.CHANNEL_1, HdlcTransmitter.forT30(List.of(DIS)));
        short[] s = Line.drain(tx, 8000 * 10);
        V21Link.Received r = V21Link.receive(s, 160);
        assertThat(r.frames).isEmpty();
    }
}
