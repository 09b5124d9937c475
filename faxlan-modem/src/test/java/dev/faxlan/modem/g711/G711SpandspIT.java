package dev.faxlan.modem.g711;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.modem.testsupport.ModemPeer;
import org.junit.jupiter.api.Test;

/** Bit-exact with spandsp's g711.h: every 16-bit sample's code, and every code's value, both laws. */
class G711SpandspIT {

    @Test
    void everySampleAndEveryCodeAsSpandsp() throws Exception {
        byte[] out = ModemPeer.run(new byte[0], "g711");
        assertThat(out).hasSize(65536 * 2 + 256 * 4);
        int mismatches = 0;
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            int i = x + 32768;
            if (G711.ULAW.encode(x) != out[i] || G711.ALAW.encode(x) != out[65536 + i]) {
                mismatches++;
            }
        }
        assertThat(mismatches).as("samples encoded unlike spandsp").isZero();
        for (int c = 0; c < 256; c++) {
            int u = 131072 + 2 * c;
            int a = 131072 + 512 + 2 * c;
            short ulaw = (short) ((out[u] & 0xFF) | (out[u + 1] << 8));
            short alaw = (short) ((out[a] & 0xFF) | (out[a + 1] << 8));
            assertThat(G711.ULAW.decode((byte) c)).as("µ-law %02x", c).isEqualTo(ulaw);
            assertThat(G711.ALAW.decode((byte) c)).as("A-law %02x", c).isEqualTo(alaw);
        }
    }
}
