package dev.faxlan.server.cpi.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.MutableClock;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnvalidatedTrafficFilterTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 4644);
    private final MutableClock clock = new MutableClock();
    private final UnvalidatedTraffic traffic = new UnvalidatedTraffic();
    private final EmbeddedChannel channel = new EmbeddedChannel(new UnvalidatedTrafficFilter(traffic, new SourceRateLimiter(20, 64, 4096, clock)));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    static byte[] initial(int size, int tokenLength) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) 0xc3).putInt(1).put((byte) 8).put(new byte[8]).put((byte) 8).put(new byte[8]);
        b.put((byte) tokenLength).put(new byte[tokenLength]);
        return b.array();
    }

    private boolean passes(byte[] datagram, InetSocketAddress from) {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), SERVER, from));
        DatagramPacket in = channel.readInbound();
        if (in == null) return false;
        in.release();
        return true;
    }

    @Test
    void tokenlessInitialsPassUpToTheSourcesRateAndAreCounted() {
        InetSocketAddress victim = new InetSocketAddress("10.0.0.9", 1);
        int passed = 0;
        for (int i = 0; i < 100; i++) passed += passes(initial(1200, 0), new InetSocketAddress("10.0.0.9", 1000 + i)) ? 1 : 0;
        assertThat(passed).as("Initials passed on from one address, each from another port").isEqualTo(64);
        assertThat(passes(initial(1200, 0), new InetSocketAddress("10.0.0.10", 1000))).isTrue();
        clock.advanceMillis(1000);
        assertThat(passes(initial(1200, 0), victim)).isTrue();
        UnvalidatedTraffic.Snapshot t = traffic.snapshot();
        assertThat(t.datagramsIn()).isEqualTo(66);
        assertThat(t.bytesIn()).isEqualTo(66 * 1200);
        assertThat(t.droppedRateLimited()).isEqualTo(36);
    }

    @Test
    void undersizedInitialsAreDroppedAndInitialsWithATokenCountOnlyWhenRefused() {
        InetSocketAddress client = new InetSocketAddress("10.0.0.9", 5000);
        assertThat(passes(initial(1199, 0), client)).isFalse();
        assertThat(passes(initial(1199, 30), client)).isFalse();
        assertThat(traffic.snapshot().droppedUndersized()).isEqualTo(2);
        // A token with a length beyond the datagram: not an Initial the codec could use.
        byte[] cut = initial(1200, 0);
        cut[23] = 0x7f;
        cut[24] = (byte) 0xff;
        assertThat(passes(cut, client)).isFalse();
        assertThat(passes(initial(1200, 30), client)).isTrue();
        assertThat(traffic.snapshot().datagramsIn()).isZero();
        traffic.initialWithToken(1300);
        traffic.tokenRefused();
        assertThat(traffic.snapshot().bytesIn()).isEqualTo(1300);
    }

    @Test
    void countsDiscoveryBothWaysAndRetriesOnTheWayOut() {
        InetSocketAddress client = new InetSocketAddress("10.0.0.9", 5000);
        assertThat(passes(new byte[512], client)).isTrue();
        byte[] retry = new byte[100];
        retry[0] = (byte) 0xf0;
        retry[4] = 1;
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(retry), client));
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(new byte[80]), client)); // a discovery reply
        byte[] handshake = new byte[1200];
        handshake[0] = (byte) 0xe0;
        handshake[4] = 1;
        channel.writeOutbound(new DatagramPacket(Unpooled.wrappedBuffer(handshake), client)); // to a validated address
        UnvalidatedTraffic.Snapshot t = traffic.snapshot();
        assertThat(t.bytesIn()).isEqualTo(512);
        assertThat(t.datagramsOut()).isEqualTo(2);
        assertThat(t.bytesOut()).isEqualTo(180);
    }
}
