package dev.faxlan.engine.t30;

import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t4.Resolution;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class T30FrameTest {
    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    @Test
    void headerOctetsAreAsT38CarriesThem() throws Exception {
        assertThat(hex(T30Frame.of(Fcf.DIS, false, new byte[] {0, 0x40, 0}).encode())).isEqualTo("ff c8 01 00 40 00");
        assertThat(hex(T30Frame.of(Fcf.DCS, true, new byte[0]).encode())).isEqualTo("ff c8 c1");
        assertThat(hex(T30Frame.of(Fcf.MCF, false, new byte[0]).encode())).isEqualTo("ff c8 31");
        assertThat(hex(T30Frame.of(Fcf.MPS, true, new byte[0]).encode())).isEqualTo("ff c8 f2");
        assertThat(hex(T30Frame.of(Fcf.EOP, true, new byte[0]).encode())).isEqualTo("ff c8 f4");
        assertThat(hex(T30Frame.of(Fcf.DCN, true, new byte[0]).encode())).isEqualTo("ff c8 df");
        assertThat(hex(T30Frame.of(Fcf.CFR, false, new byte[0]).encode())).isEqualTo("ff c8 21");
        assertThat(hex(T30Frame.of(Fcf.FTT, false, new byte[0]).encode())).isEqualTo("ff c8 22");
        assertThat(hex(new T30Frame(Fcf.CSI, false, false, new byte[0]).encode())).isEqualTo("ff c0 02");
        T30Frame back = T30Frame.decode(HexFormat.of().parseHex("ffc8c1"));
        assertThat(back.fcf()).isEqualTo(Fcf.DCS);
        assertThat(back.xBit()).isTrue();
        assertThat(T30Frame.decode(HexFormat.of().parseHex("ffc881")).fcf()).isEqualTo(Fcf.DTC);
    }

    @Test
    void malformedFramesAreTypedErrors() {
        assertThatThrownBy(() -> T30Frame.decode(new byte[] {(byte) 0xff, (byte) 0xc8})).isInstanceOf(T30FormatException.class);
        assertThatThrownBy(() -> T30Frame.decode(HexFormat.of().parseHex("fe c8 01".replace(" ", "")))).hasMessageContaining("address");
        assertThatThrownBy(() -> T30Frame.decode(HexFormat.of().parseHex("ffc301"))).hasMessageContaining("control");
        assertThatThrownBy(() -> T30Frame.decode(HexFormat.of().parseHex("ffc8ee"))).hasMessageContaining("unknown T.30 FCF");
        assertThatThrownBy(() -> T30Frame.decode(new byte[300])).hasMessageContaining("longer");
    }

    @Test
    void identitiesAreSentLastCharacterFirstAndBitReversed() {
        byte[] f = Identity.encode("12");
        assertThat(f).hasSize(20);
        // The last character first, the padding after the text (TSB-85 MRGN01's CSI check).
        assertThat(f[0] & 0xff).isEqualTo(0x4c);
        assertThat(f[1] & 0xff).isEqualTo(0x8c);
        assertThat(f[2] & 0xff).isEqualTo(0x04);
        assertThat(f[19] & 0xff).isEqualTo(0x04);
        assertThat(Identity.decode(Identity.encode("+1 555 0100"))).isEqualTo("+1 555 0100");
        assertThat(Identity.decode(Identity.encode("a very long identity beyond twenty"))).isEqualTo("a very long identity");
    }

    @Test
    void disBitsLandWhereTable2PutsThem() throws Exception {
        assertThat(hex(Dis.faxlanReceiver(true).encode())).isEqualTo("00 77 1f 23 01 89 c0");
        Dis back = Dis.parse(Dis.faxlanReceiver(true).encode());
        assertThat(back).isEqualTo(Dis.faxlanReceiver(true));
        // A minimal DIS: V.27 ter only, standard resolution, 20 ms scan lines, no extension octets.
        Dis minimal = Dis.parse(new byte[] {0, 0x40 | 0x10, 0x00});
        assertThat(minimal.modems()).containsExactly(Modem.Family.V27TER);
        assertThat(minimal.fine()).isFalse();
        assertThat(minimal.ecm()).isFalse();
        assertThat(minimal.minScanLineMs()).isEqualTo(20);
        // Bits beyond an octet whose extension bit is clear are not read.
        Dis cut = Dis.parse(new byte[] {0, 0x40, 0x00, 0x20});
        assertThat(cut.ecm()).isFalse();
    }

    @Test
    void dcsRoundTripsAndPicksTheBestCommonMode() throws Exception {
        for (Modem m : Modem.values()) {
            Dcs d = new Dcs(m, Resolution.FINE, Compression.MR, false, false, 0, 0, 10, false, false);
            assertThat(Dcs.parse(d.encode())).isEqualTo(d);
        }
        Dcs ecm = new Dcs(Modem.V17_14400, Resolution.SUPERFINE, Compression.MMR, true, true, 0, 1, 0, true, true);
        assertThat(Dcs.parse(ecm.encode())).isEqualTo(ecm);

        Dis v29fineOnly = new Dis(true, EnumSet.of(Modem.Family.V27TER, Modem.Family.V29), true, false, true, false, false, 0, 0, 20,
                true, false, false, false);
        Dcs chosen = Dcs.choose(v29fineOnly, Modem.V17_14400, Resolution.SUPERFINE, true, EnumSet.allOf(Compression.class));
        assertThat(chosen.modem()).isEqualTo(Modem.V29_9600);
        assertThat(chosen.resolution()).isEqualTo(Resolution.FINE);
        assertThat(chosen.compression()).isEqualTo(Compression.MR);
        assertThat(chosen.ecm()).isFalse();
        assertThat(chosen.minScanLineMs()).isEqualTo(10);
        assertThat(Modem.V29_9600.fallback(EnumSet.of(Modem.Family.V29, Modem.Family.V27TER))).isEqualTo(Modem.V29_7200);
        assertThat(Modem.V29_7200.fallback(EnumSet.of(Modem.Family.V29))).isNull();
    }

    @Test
    void dcsWithMmrButNoEcmIsRefused() {
        byte[] bad = new Dcs(Modem.V17_14400, Resolution.FINE, Compression.MMR, true, false, 0, 0, 0, false, false).encode();
        bad[3] &= (byte) ~0x20;
        assertThatThrownBy(() -> Dcs.parse(bad)).hasMessageContaining("MMR");
    }
}
