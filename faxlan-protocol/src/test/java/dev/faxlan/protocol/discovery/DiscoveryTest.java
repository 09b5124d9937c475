package dev.faxlan.protocol.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.protocol.cbor.CborException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DiscoveryTest {
    private static final byte[] FP = new byte[32];

    static {
        for (int i = 0; i < FP.length; i++) FP[i] = (byte) (i * 7);
    }

    @Test
    void probeIsPaddedToTheMinimumSizeAndRoundTrips() {
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(0x0123456789abcdefL));
        assertThat(probe).hasSize(Discovery.MIN_PROBE_SIZE);
        assertThat(probe[0]).isEqualTo((byte) Discovery.PROBE);
        assertThat(probe[1]).isEqualTo((byte) Discovery.VERSION);
        assertThat(Arrays.copyOfRange(probe, 2, 10)).containsExactly(0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef);
        assertThat(Discovery.decodeProbe(probe, probe.length)).contains(new Discovery.Probe(0x0123456789abcdefL));
    }

    @Test
    void probeNonceKeepsAll64Bits() {
        for (long nonce : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            byte[] probe = Discovery.encodeProbe(new Discovery.Probe(nonce));
            assertThat(Discovery.decodeProbe(probe, probe.length)).contains(new Discovery.Probe(nonce));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, 100, Discovery.MIN_PROBE_SIZE - 1})
    void shortProbesAreRefused(int length) {
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(1));
        assertThat(Discovery.decodeProbe(probe, length)).isEmpty();
        assertThat(Discovery.decodeProbe(Arrays.copyOf(probe, length), length)).isEmpty();
    }

    @Test
    void longerProbesAreAccepted() {
        byte[] probe = Arrays.copyOf(Discovery.encodeProbe(new Discovery.Probe(5)), 1400);
        assertThat(Discovery.decodeProbe(probe, probe.length)).contains(new Discovery.Probe(5));
    }

    @Test
    void probesOfAnotherTypeOrVersionAreRefused() {
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(1));
        probe[0] = Discovery.REPLY;
        assertThat(Discovery.decodeProbe(probe, probe.length)).isEmpty();
        probe[0] = Discovery.PROBE;
        probe[1] = 2;
        assertThat(Discovery.decodeProbe(probe, probe.length)).isEmpty();
    }

    @Test
    void replyRoundTrips() throws CborException {
        Discovery.Reply reply = new Discovery.Reply(-42, "fax-1 (Büro)", 4644, "0.1.0", FP);
        byte[] encoded = Discovery.encodeReply(reply);
        assertThat(encoded[0]).isEqualTo((byte) Discovery.REPLY);
        Discovery.Reply back = Discovery.decodeReply(encoded, encoded.length);
        assertThat(back.nonce()).isEqualTo(-42);
        assertThat(back.name()).isEqualTo("fax-1 (Büro)");
        assertThat(back.port()).isEqualTo(4644);
        assertThat(back.version()).isEqualTo("0.1.0");
        assertThat(back.fingerprint()).isEqualTo(FP);
    }

    @Test
    void replyWithTheLongestNameFitsInsideTheProbe() throws CborException {
        String name = "ü".repeat(32); // 64 bytes of UTF-8
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(Discovery.MAX_NAME_BYTES);
        byte[] encoded = Discovery.encodeReply(new Discovery.Reply(Long.MIN_VALUE, name, 65535, "99.99.99-SNAPSHOT", FP));
        assertThat(encoded.length).isLessThanOrEqualTo(Discovery.MIN_PROBE_SIZE);
        assertThat(encoded.length).isLessThanOrEqualTo(Discovery.encodeProbe(new Discovery.Probe(1)).length);
        assertThat(Discovery.decodeReply(encoded, encoded.length).name()).isEqualTo(name);
    }

    @Test
    void longNamesAreTruncatedToTheByteLimit() throws CborException {
        for (String unit : new String[] {"a", "ü", "水", "\ud83d\udce0"}) {
            String name = unit.repeat(100);
            byte[] encoded = Discovery.encodeReply(new Discovery.Reply(1, name, 4644, "1", FP));
            assertThat(encoded.length).isLessThanOrEqualTo(Discovery.MIN_PROBE_SIZE);
            String back = Discovery.decodeReply(encoded, encoded.length).name();
            assertThat(back.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Discovery.MAX_NAME_BYTES);
            assertThat(name).startsWith(back);
            assertThat(back.length() + unit.length()).isGreaterThan(Discovery.MAX_NAME_BYTES / unit.getBytes(StandardCharsets.UTF_8).length * unit.length());
        }
    }

    @Test
    void truncationNeverSplitsACharacterOutsideTheBmp() throws CborException {
        // 63 ASCII bytes + a 4-byte character: cutting between the surrogates would leave a lone one,
        // which UTF-8 encodes as '?'.
        String name = "a".repeat(63) + "\ud83d\udce0";
        byte[] encoded = Discovery.encodeReply(new Discovery.Reply(1, name, 4644, "1", FP));
        assertThat(Discovery.decodeReply(encoded, encoded.length).name()).isEqualTo("a".repeat(63));
    }

    @Test
    void decodeReplyHonoursTheGivenLength() throws CborException {
        byte[] encoded = Discovery.encodeReply(new Discovery.Reply(1, "n", 4644, "1", FP));
        byte[] inBiggerBuffer = Arrays.copyOf(encoded, 2048);
        assertThat(Discovery.decodeReply(inBiggerBuffer, encoded.length).name()).isEqualTo("n");
        assertThatThrownBy(() -> Discovery.decodeReply(inBiggerBuffer, encoded.length - 1)).isInstanceOf(CborException.class);
    }

    @Test
    void malformedRepliesAreRefusedWithCborException() {
        byte[] good = Discovery.encodeReply(new Discovery.Reply(1, "n", 4644, "1", FP));
        assertRefused(new byte[0]);
        assertRefused(Arrays.copyOf(good, Discovery.HEADER - 1));
        assertRefused(Arrays.copyOf(good, Discovery.HEADER));
        byte[] wrongType = good.clone();
        wrongType[0] = Discovery.PROBE;
        assertRefused(wrongType);
        byte[] wrongVersion = good.clone();
        wrongVersion[1] = 9;
        assertRefused(wrongVersion);
        assertRefused(reply(Cbor.encode(42L)));
        assertRefused(reply(body("n", 4644L, "1", FP, "name")));
        assertRefused(reply(body(5L, 4644L, "1", FP, null)));
        assertRefused(reply(body("n", "4644", "1", FP, null)));
        assertRefused(reply(body("n", 0L, "1", FP, null)));
        assertRefused(reply(body("n", 65536L, "1", FP, null)));
        assertRefused(reply(body("n", -1L, "1", FP, null)));
        assertRefused(reply(body("n", 4644L, "1", new byte[31], null)));
        assertRefused(reply(body("n", 4644L, "1", "fp", null)));
        assertRefused(reply(body("n", 4644L, null, FP, null)));
    }

    @Test
    void firstByteTellsDiscoveryFromQuic() {
        for (int b = 0; b < 0x40; b++) assertThat(Discovery.isDiscovery(b)).isTrue();
        for (int b = 0x40; b < 0x100; b++) assertThat(Discovery.isDiscovery(b)).isFalse();
        assertThat(Discovery.isDiscovery((byte) 0xc3)).isFalse(); // a QUIC long header as a signed byte
        assertThat(Discovery.isDiscovery(Discovery.PROBE)).isTrue();
        assertThat(Discovery.isDiscovery(Discovery.REPLY)).isTrue();
    }

    private static void assertRefused(byte[] datagram) {
        assertThatThrownBy(() -> Discovery.decodeReply(datagram, datagram.length)).isInstanceOf(CborException.class);
    }

    private static byte[] body(Object name, Object port, Object version, Object fp, String omit) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("port", port);
        if (version != null) m.put("version", version);
        m.put("fp", fp);
        if (omit != null) m.remove(omit);
        return Cbor.encode(m);
    }

    private static byte[] reply(byte[] cbor) {
        byte[] out = new byte[Discovery.HEADER + cbor.length];
        out[0] = Discovery.REPLY;
        out[1] = Discovery.VERSION;
        System.arraycopy(cbor, 0, out, Discovery.HEADER, cbor.length);
        return out;
    }
}
