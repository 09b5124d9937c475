package dev.faxlan.engine.t30;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the T.30 frame parser and the fields a peer controls (DIS, DTC, DCS, identities and polling frames): any
 * input gives a frame or a {@link T30FormatException}. Seeds under {@code T30FrameFuzzTestInputs/parse}.
 */
class T30FrameFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        try {
            T30Frame f = T30Frame.decode(input);
            assertThat(T30Frame.decode(f.encode()).fcf()).isEqualTo(f.fcf());
            switch (f.fcf()) {
                case DIS, DTC -> Dis.parse(f.fif());
                case DCS -> Dcs.parse(f.fif());
                case TSI, CSI, CIG, SUB, SID, PWD, SEP -> assertThat(Identity.decode(f.fif()).length()).isLessThanOrEqualTo(f.fif().length);
                default -> {
                    // other frames carry nothing we interpret beyond their FCF
                }
            }
        } catch (T30FormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
