package dev.faxlan.modem.tone;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.modem.level.EnergyDetector;
import dev.faxlan.modem.testsupport.Line;

/**
 * Fuzz target for the tone and energy detectors: any samples give well-ordered start/end events
 * (never an end without its start, never two starts of one tone) and never an exception; their
 * state is a few numbers, so memory cannot grow with the input.
 *
 * <p>Input layout: byte 0 picks the block size (1 to 256); the rest is 16-bit little-endian
 * samples. Seeds under {@code CallToneDetectorFuzzTestInputs/detect} include CNG and CED.
 */
class CallToneDetectorFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void detect(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int block = 1 + (input[0] & 0xFF);
        short[] samples = Line.fromLittleEndian(input, 1);
        boolean[] on = new boolean[CallTone.values().length];
        CallToneDetector tones = new CallToneDetector(new CallToneDetector.Listener() {
            @Override
            public void toneStarted(CallTone tone, long sample) {
                // CED and ANSam share 2100 Hz: one at a time there.
                int slot = tone == CallTone.ANSAM ? CallTone.CED.ordinal() : tone.ordinal();
                assertThat(on[slot]).as("second start of %s", tone).isFalse();
                on[slot] = true;
            }

            @Override
            public void toneEnded(CallTone tone, long sample) {
                int slot = tone == CallTone.ANSAM ? CallTone.CED.ordinal() : tone.ordinal();
                assertThat(on[slot]).as("end of %s without a start", tone).isTrue();
                on[slot] = false;
            }
        });
        boolean[] signal = new boolean[1];
        EnergyDetector energy = EnergyDetector.forFax((up, at) -> {
            assertThat(up).as("energy detector repeated a state").isNotEqualTo(signal[0]);
            signal[0] = up;
        });
        for (int off = 0; off < samples.length; off += block) {
            int n = Math.min(block, samples.length - off);
            tones.receive(samples, off, n);
            energy.receive(samples, off, n);
        }
    }
}
