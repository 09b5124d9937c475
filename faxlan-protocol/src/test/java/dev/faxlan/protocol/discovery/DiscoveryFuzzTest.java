package dev.faxlan.protocol.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.faxlan.protocol.cbor.CborException;
import java.util.Optional;

/**
 * The discovery decoders on arbitrary datagrams: a probe is accepted or dropped (empty), a reply is
 * decoded or refused with {@link CborException}; nothing else may escape. An accepted probe is always
 * large enough to carry the largest reply.
 */
class DiscoveryFuzzTest {
    private static final byte[] FP = new byte[32];

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] datagram) {
        Optional<Discovery.Probe> probe = Discovery.decodeProbe(datagram, datagram.length);
        if (probe.isPresent()) {
            byte[] reply = Discovery.encodeReply(new Discovery.Reply(probe.get().nonce(), "\u00fc".repeat(40), 65535, "0.1.0-SNAPSHOT", FP));
            assertThat(reply.length).isLessThanOrEqualTo(datagram.length);
        }
        try {
            Discovery.Reply reply = Discovery.decodeReply(datagram, datagram.length);
            assertThat(reply.port()).isBetween(1, 65535);
            assertThat(reply.fingerprint()).hasSize(32);
            byte[] again = Discovery.encodeReply(reply);
            assertThat(Discovery.decodeReply(again, again.length).nonce()).isEqualTo(reply.nonce());
        } catch (CborException expected) {
            // not a reply we accept
        }
    }
}
