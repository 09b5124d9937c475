package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.discovery.Discovery;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.cpi.abuse.FloodLimits;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DiscoveryHandlerTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 4644);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private final MutableClock clock = new MutableClock();
    private final EmbeddedChannel channel = new EmbeddedChannel(new DiscoveryHandler(
            () -> new Discovery.Reply(0, "ü".repeat(40), 4644, "0.1.0-SNAPSHOT", new byte[32]), clock));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void answersAProbeWithAReplyNoLargerThanTheProbe() throws Exception {
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(77));
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(probe), SERVER, CLIENT));
        DatagramPacket out = channel.readOutbound();
        assertThat(out).isNotNull();
        assertThat(out.recipient()).isEqualTo(CLIENT);
        byte[] reply = ByteBufUtil.getBytes(out.content());
        out.release();
        assertThat(reply.length).isLessThanOrEqualTo(probe.length);
        Discovery.Reply r = Discovery.decodeReply(reply, reply.length);
        assertThat(r.nonce()).isEqualTo(77);
        assertThat(r.port()).isEqualTo(4644);
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void dropsShortProbes() {
        byte[] probe = Arrays.copyOf(Discovery.encodeProbe(new Discovery.Probe(1)), Discovery.MIN_PROBE_SIZE - 1);
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(probe), SERVER, CLIENT));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void dropsOtherDatagramsBelow0x40() {
        byte[] junk = new byte[600];
        junk[0] = 0x3f;
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(junk), SERVER, CLIENT));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void passesQuicPacketsOn() {
        byte[] quic = new byte[1200];
        quic[0] = (byte) 0xc3;
        DatagramPacket in = new DatagramPacket(Unpooled.wrappedBuffer(quic), SERVER, CLIENT);
        channel.writeInbound(in);
        DatagramPacket passed = channel.readInbound();
        assertThat(passed).isSameAs(in);
        assertThat(passed.refCnt()).isEqualTo(1);
        passed.release();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void limitsRepliesPerSecondInTotal() {
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(1));
        int answered = 0;
        for (int i = 0; i < 3 * DiscoveryHandler.REPLIES_PER_SECOND; i++) {
            // Each from a source of its own, so that only the total limit applies.
            answered += answers(probe, new InetSocketAddress("10.9." + (i / 250) + "." + (i % 250 + 1), 40000)) ? 1 : 0;
        }
        assertThat(answered).isEqualTo(DiscoveryHandler.REPLIES_PER_SECOND);
        clock.advanceMillis(1000);
        assertThat(answers(probe, CLIENT)).isTrue();
    }

    @Test
    void oneSourceOverItsShareDoesNotUseUpTheOthersReplies() {
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(1));
        int flooder = 0;
        for (int i = 0; i < 3 * DiscoveryHandler.REPLIES_PER_SECOND; i++) flooder += answers(probe, new InetSocketAddress("10.9.9.9", 1000 + i)) ? 1 : 0;
        assertThat(flooder).as("replies to one address, whatever its ports").isEqualTo((int) FloodLimits.DEFAULTS.discoveryPerSourceBurst());
        // Another host of the flooder's IPv6 /64 shares its share; any other source is answered.
        for (int i = 0; i < FloodLimits.DEFAULTS.discoveryPerSourceBurst(); i++) assertThat(answers(probe, new InetSocketAddress("fd00:1:2:3::1", 5000))).isTrue();
        assertThat(answers(probe, new InetSocketAddress("fd00:1:2:3::2", 5000))).isFalse();
        assertThat(answers(probe, new InetSocketAddress("fd00:1:2:4::1", 5000))).isTrue();
        assertThat(answers(probe, CLIENT)).isTrue();
    }

    private boolean answers(byte[] probe, InetSocketAddress from) {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(probe), SERVER, from));
        DatagramPacket out = channel.readOutbound();
        if (out == null) return false;
        assertThat(out.recipient()).isEqualTo(from);
        out.release();
        return true;
    }
}
