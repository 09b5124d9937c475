package dev.faxlan.engine.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.modem.g711.G711;

/**
 * Fuzz target for the fax signal detector a call answered with audio listens with: any G.711 octets
 * from the line (byte 0 bit 0 picks A-law) never throw and never report a signal twice.
 */
class FaxSignalDetectorFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void listen(byte[] input) {
        if (input.length < 1) return;
        G711 law = (input[0] & 1) != 0 ? G711.ALAW : G711.ULAW;
        java.util.EnumSet<FaxSignalDetector.Signal> seen = java.util.EnumSet.noneOf(FaxSignalDetector.Signal.class);
        FaxSignalDetector d = new FaxSignalDetector((s, sample) -> {
            if (!seen.add(s)) throw new IllegalStateException(s + " reported twice");
        });
        short[] samples = new short[input.length - 1];
        law.decode(input, 1, samples, 0, samples.length);
        for (int off = 0; off < samples.length; off += 160) d.receive(samples, off, Math.min(160, samples.length - off));
    }
}
