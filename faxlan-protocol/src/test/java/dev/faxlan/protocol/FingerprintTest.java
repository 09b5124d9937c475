package dev.faxlan.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void isTheSha256OfTheCertificate() {
        assertThat(HexFormat.of().formatHex(Fingerprint.of("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void formatsLikeSshAndParsesBack() {
        byte[] fp = Fingerprint.of(new byte[] {1, 2, 3});
        String text = Fingerprint.format(fp);
        assertThat(text).startsWith("SHA256:").doesNotEndWith("=").hasSize(7 + 43);
        assertThat(Fingerprint.parse(text)).isEqualTo(fp);
        assertThat(Fingerprint.parse(text.substring(7))).isEqualTo(fp);
    }

    @Test
    void refusesWhatIsNotA32ByteFingerprint() {
        assertThatThrownBy(() -> Fingerprint.parse("SHA256:AAAA")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Fingerprint.parse("SHA256:***")).isInstanceOf(IllegalArgumentException.class);
    }
}
