package dev.faxlan.cli.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.discovery.Discovery;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiscoveryAgentTest {
    static final long S = 1_000_000_000L;
    static final byte[] FP = new byte[32];

    static {
        Arrays.fill(FP, (byte) 7);
    }

    /** An agent that learned the identity of "Front office" from the server's reply to its probe. */
    static DiscoveryAgent learned(long now) throws Exception {
        DiscoveryAgent a = new DiscoveryAgent(7000, 90 * S);
        byte[] probe = a.nextProbe();
        long nonce = Discovery.decodeProbe(probe, probe.length).orElseThrow().nonce();
        byte[] reply = Discovery.encodeReply(new Discovery.Reply(nonce, "Front office", 4644, "1.2.3", FP));
        assertThat(a.learn(reply, reply.length, now)).isPresent();
        assertThat(a.learn(reply, reply.length, now)).as("the same identity again is no news").isEmpty();
        return a;
    }

    @Test
    void answersWithTheServersIdentityAndTheRelaysPort() throws Exception {
        DiscoveryAgent a = learned(0);
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(42));
        byte[] reply = a.answer(probe, probe.length, S).orElseThrow();
        assertThat(reply.length).isLessThanOrEqualTo(probe.length);
        Discovery.Reply r = Discovery.decodeReply(reply, reply.length);
        assertThat(r.nonce()).isEqualTo(42);
        assertThat(r.name()).isEqualTo("Front office");
        assertThat(r.version()).isEqualTo("1.2.3");
        assertThat(r.port()).as("clients must come to the relay").isEqualTo(7000);
        assertThat(r.fingerprint()).as("and pin the server").isEqualTo(FP);
    }

    @Test
    void ignoresRepliesToOtherNonces() {
        DiscoveryAgent a = new DiscoveryAgent(7000, 90 * S);
        a.nextProbe();
        byte[] forged = Discovery.encodeReply(new Discovery.Reply(12345, "Impostor", 4644, "1", FP));
        assertThat(a.learn(forged, forged.length, 0)).isEmpty();
        assertThat(a.identity(0)).isEmpty();
    }

    @Test
    void answersNothingWithoutAFreshIdentityOrToAnUnpaddedProbe() throws Exception {
        DiscoveryAgent none = new DiscoveryAgent(7000, 90 * S);
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(1));
        assertThat(none.answer(probe, probe.length, 0)).as("identity not learned yet").isEmpty();

        DiscoveryAgent a = learned(0);
        assertThat(a.answer(probe, 100, S)).as("a probe cut to 100 bytes").isEmpty();
        assertThat(a.answer(probe, probe.length, 90 * S)).isPresent();
        assertThat(a.answer(probe, probe.length, 91 * S)).as("the server stopped answering the relay").isEmpty();
    }

    @Test
    void repliesAreRateLimited() throws Exception {
        DiscoveryAgent a = learned(0);
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(1));
        int answered = 0;
        for (int i = 0; i < 250; i++) if (a.answer(probe, probe.length, S + i).isPresent()) answered++;
        assertThat(answered).isEqualTo(DiscoveryAgent.REPLIES_PER_SECOND);
        assertThat(a.refusedProbes()).isEqualTo(150);
        assertThat(a.answer(probe, probe.length, 2 * S + 1)).as("a new second").isPresent();
    }
}
