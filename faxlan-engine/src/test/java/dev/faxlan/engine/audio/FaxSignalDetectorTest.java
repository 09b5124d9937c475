package dev.faxlan.engine.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.audio.FaxSignalDetector.Signal;
import dev.faxlan.modem.ModemTransmitter;
import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.tone.ToneGenerator;
import dev.faxlan.modem.v21.V21Channel;
import dev.faxlan.modem.v21.V21Transmitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaxSignalDetectorTest {
    private final List<Signal> heard = new ArrayList<>();
    private final List<Long> at = new ArrayList<>();
    private final FaxSignalDetector detector = new FaxSignalDetector((s, sample) -> {
        heard.add(s);
        at.add(sample);
    });

    private void play(ModemTransmitter tx, int samples) {
        short[] block = new short[160];
        for (int done = 0; done < samples; done += block.length) {
            java.util.Arrays.fill(block, (short) 0);
            tx.fill(block, 0, block.length);
            detector.receive(block, 0, block.length);
        }
    }

    @Test
    void cngIsHeardWithinItsFirstBurstAndReportedOnce() {
        play(ToneGenerator.cng(-11), 8 * 8000);
        assertThat(heard).containsExactly(Signal.CNG);
        // The first burst is 500 ms long: recognised within it, not at the second burst 3.5 s later.
        assertThat(at.get(0)).isLessThan(500 * 8);
    }

    @Test
    void cngIsHeardDownToMinus43Dbm0() {
        play(ToneGenerator.cng(-42), 4 * 8000);
        assertThat(heard).containsExactly(Signal.CNG);
    }

    @Test
    void cedIsHeardAsAnAnswerer() {
        play(ToneGenerator.ced(-11, 2600 * 8), 3 * 8000);
        assertThat(heard).containsExactly(Signal.CED);
    }

    @Test
    void v21FlagsAreAPreamble() {
        V21Transmitter flags = new V21Transmitter(V21Channel.CHANNEL_2, HdlcTransmitter.forT30(List.of(new byte[] {(byte) 0xFF, 0x13, (byte) 0x80})));
        play(flags, 8000);
        assertThat(heard).containsExactly(Signal.V21_PREAMBLE);
        // Five flags are 133 ms at 300 bit/s; the carrier needs a few ms more to be recognised.
        assertThat(at.get(0)).isLessThan(250 * 8);
    }

    @Test
    void noiseAndSpeechLikeTonesAreNotAFax() {
        Random r = new Random(7);
        short[] block = new short[160];
        double phase = 0;
        for (int i = 0; i < 10 * 8000 / 160; i++) {
            for (int j = 0; j < block.length; j++) {
                // white noise at about -20 dBm0 and a gliding 300-900 Hz "voice"
                double hz = 300 + 600 * Math.abs(Math.sin(i / 20.0));
                phase += 2 * Math.PI * hz / 8000;
                block[j] = (short) (r.nextGaussian() * 1500 + 3000 * Math.sin(phase));
            }
            detector.receive(block, 0, block.length);
        }
        assertThat(heard).isEmpty();
        assertThat(detector.heard(Signal.CNG)).isFalse();
    }
}
