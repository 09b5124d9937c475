package dev.faxlan.engine.t38;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** IFP encoding against the octets spandsp 0.0.6 puts on the wire (T.38 field notes, probe logs). */
class IfpCodecTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static String hex(byte[] b) {
        return HexFormat.ofDelimiter(" ").formatHex(b);
    }

    @Test
    void indicatorsAreOneOctet() throws Exception {
        assertThat(hex(IfpCodec.encode(new Ifp.Indication(Indicator.NO_SIGNAL), 0))).isEqualTo("00");
        assertThat(hex(IfpCodec.encode(new Ifp.Indication(Indicator.CNG), 2))).isEqualTo("02");
        assertThat(hex(IfpCodec.encode(new Ifp.Indication(Indicator.CED), 2))).isEqualTo("04");
        assertThat(hex(IfpCodec.encode(new Ifp.Indication(Indicator.V21_PREAMBLE), 0))).isEqualTo("06");
        assertThat(hex(IfpCodec.encode(new Ifp.Indication(Indicator.V17_14400_LONG_TRAINING), 3))).isEqualTo("1e");
        assertThat(IfpCodec.decode(hex("1c"), 0)).isEqualTo(new Ifp.Indication(Indicator.V17_14400_SHORT_TRAINING));
    }

    @Test
    void oneV21HdlcOctetIsTheSameInEveryVersion() throws Exception {
        Ifp ifp = Ifp.Data.of(DataType.V21, FieldType.HDLC_DATA, new byte[] {(byte) 0xff});
        for (int v = 0; v <= 3; v++) {
            assertThat(hex(IfpCodec.encode(ifp, v))).isEqualTo("c0 01 80 00 00 ff");
            assertThat(IfpCodec.decode(hex("c0 01 80 00 00 ff"), v)).isEqualTo(ifp);
        }
    }

    @Test
    void nonEcmImageDataDiffersBetweenVersionZeroAndTwo() throws Exception {
        byte[] chunk = new byte[54];
        Ifp ifp = Ifp.Data.of(DataType.V17_14400, FieldType.T4_NON_ECM_DATA, chunk);
        assertThat(hex(IfpCodec.encode(ifp, 0))).startsWith("d0 01 e0 00 35 00");
        assertThat(hex(IfpCodec.encode(ifp, 2))).startsWith("d0 01 b0 00 35 00");
        assertThat(IfpCodec.encode(ifp, 0)).hasSize(5 + 54);
        // A version mismatch is not silently "fine": v2's b0 reads as fcs-BAD under v0.
        Ifp.Data misread = (Ifp.Data) IfpCodec.decode(IfpCodec.encode(ifp, 2), 0);
        assertThat(misread.fields().get(0).type()).isEqualTo(FieldType.HDLC_FCS_BAD);
    }

    @Test
    void fieldTypeOctetsMatchTheTableForBothVersionFamilies() {
        FieldType[] types = FieldType.values();
        String[] v0 = {"80", "10", "20", "30", "40", "50", "e0", "f0"};
        String[] v2 = {"80", "08", "10", "18", "20", "28", "b0", "b8"};
        for (int i = 0; i < types.length; i++) {
            byte[] data = types[i] == FieldType.HDLC_DATA || types[i].name().startsWith("T4") ? new byte[] {1} : new byte[0];
            Ifp ifp = Ifp.Data.of(DataType.V21, types[i], data);
            assertThat(hex(IfpCodec.encode(ifp, 0)).substring(6, 8)).as("v0 " + types[i]).isEqualTo(v0[i]);
            assertThat(hex(IfpCodec.encode(ifp, 2)).substring(6, 8)).as("v2 " + types[i]).isEqualTo(v2[i]);
        }
    }

    @Test
    void versionZeroPacksDataLessFieldHeadersIntoHalfOctets() throws Exception {
        Ifp ifp = new Ifp.Data(DataType.V21, List.of(
                new Ifp.Field(FieldType.HDLC_DATA, new byte[] {(byte) 0xff, 0x13}),
                new Ifp.Field(FieldType.HDLC_FCS_OK),
                new Ifp.Field(FieldType.HDLC_SIG_END)));
        assertThat(hex(IfpCodec.encode(ifp, 0))).isEqualTo("c0 03 80 00 01 ff 13 21");
        assertThat(hex(IfpCodec.encode(ifp, 1))).isEqualTo("c0 03 80 00 01 ff 13 10 08");
        assertThat(IfpCodec.decode(hex("c0 03 80 00 01 ff 13 21"), 0)).isEqualTo(ifp);
        assertThat(IfpCodec.decode(hex("c0 03 80 00 01 ff 13 10 08"), 2)).isEqualTo(ifp);
    }

    @Test
    void malformedPacketsAreTypedErrors() {
        assertThatThrownBy(() -> IfpCodec.decode(new byte[0], 0)).isInstanceOf(T38FormatException.class);
        assertThatThrownBy(() -> IfpCodec.decode(hex("82"), 0)).hasMessageContaining("indicator with a data field");
        assertThatThrownBy(() -> IfpCodec.decode(hex("22 00"), 0)).hasMessageContaining("extension");
        assertThatThrownBy(() -> IfpCodec.decode(hex("c0 01 80 00 05 ff"), 2)).hasMessageContaining("claims 6 octets");
        assertThatThrownBy(() -> IfpCodec.decode(hex("c0 7f 80"), 2)).hasMessageContaining("fields in");
        assertThatThrownBy(() -> IfpCodec.decode(hex("d4 01 80 00 00 ff"), 2)).hasMessageContaining("data type 10");
        assertThatThrownBy(() -> IfpCodec.decode(hex("c0 01 c0 00"), 2)).hasMessageContaining("extension type");
        assertThatThrownBy(() -> IfpCodec.decode(hex("06 00"), 2)).hasMessageContaining("extra octets");
    }
}
