package dev.faxlan.engine.t38;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for everything the engine decodes from the network: a UDPTL datagram, its IFPs in
 * every T.38 version, and the receiver's recovery logic. Any input gives results or a
 * {@link T38FormatException}. In regression mode the seeds under {@code T38DecoderFuzzTestInputs/decode} run.
 */
class T38DecoderFuzzTest {
    private final UdptlReceiver receiver = new UdptlReceiver();

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] datagram) {
        try {
            for (UdptlReceiver.Arrival a : receiver.accept(datagram)) {
                if (a instanceof UdptlReceiver.Packet p) {
                    for (int v = 0; v <= 3; v++) {
                        try {
                            Ifp ifp = IfpCodec.decode(p.ifp(), v);
                            assertThat(IfpCodec.decode(IfpCodec.encode(ifp, v), v)).isEqualTo(ifp);
                        } catch (T38FormatException e) {
                            assertThat(e.getMessage()).isNotBlank();
                        }
                    }
                }
            }
        } catch (T38FormatException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
