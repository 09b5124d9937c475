package dev.faxlan.engine.audio;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.modem.g711.G711;
import java.util.EnumSet;

/**
 * Fuzz target for the audio front end's receive side: any G.711 octets heard by an audio terminal,
 * answering or calling, in 20 ms frames, never throw, whatever T.30 state, modem or HDLC framing they
 * reach. Input layout: byte 0 bit 0 picks the law (A-law when set), bit 1 the terminal (a caller
 * sending one page when set, else an answering receiver with ECM); the rest is the line, one octet a
 * sample. The seed {@code AudioFrontEndFuzzTestInputs/receive/caller-v27ter-ecm} is the first 20 s
 * that a faxlan caller put on the line in a V.27ter ECM call (CNG, DCS, TCF, the start of the page),
 * so the fuzzer starts inside phase C.
 */
class AudioFrontEndFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void receive(byte[] input) {
        if (input.length < 1) return;
        G711 law = (input[0] & 1) != 0 ? G711.ALAW : G711.ULAW;
        FaxOptions options = FaxOptions.defaults("FUZZ").withEcm(true).withCodings(EnumSet.allOf(Compression.class));
        AudioTerminal terminal = (input[0] & 2) != 0
                ? AudioTerminal.send(OutgoingPages.of(AudioTerminalTest.pages(1, 1)), options, e -> {})
                : AudioTerminal.receive(options, e -> {});
        AudioCall call = new AudioCall(terminal, law);
        byte[] frame = new byte[AudioTerminal.BLOCK];
        for (int off = 1; off < input.length; off += frame.length) {
            int n = Math.min(frame.length, input.length - off);
            System.arraycopy(input, off, frame, 0, n);
            java.util.Arrays.fill(frame, n, frame.length, law.encode(0));
            call.frame(frame);
        }
    }
}
