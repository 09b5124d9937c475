package dev.faxlan.server.cpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.discovery.Discovery;
import dev.faxlan.server.cpi.abuse.UnvalidatedTraffic;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real CPI server answers datagrams from an address it has not validated with at most as many bytes
 * as it got: a full-size Initial draws one smaller Retry; an undersized Initial or packet of an unknown
 * version draws nothing (the QUIC library alone would answer them with a Retry or Version Negotiation
 * packet larger than a 40-byte datagram). Absence is checked without waiting on a clock: a discovery
 * probe sent afterwards from the same socket is answered in order, so its reply must come first.
 */
class UnvalidatedSourcesTest {
    @TempDir
    static Path dir;
    static CpiTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new CpiTestServer(dir, "unvalidated", CpiLimits.defaults());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** A QUIC v1 long-header packet of {@code type} with 8-byte connection ids, no token, padded to {@code size}. */
    static byte[] longHeader(int type, int version, int size) {
        return longHeader(type, version, size, new byte[0]);
    }

    /** The same with {@code token} in an Initial's token field. */
    static byte[] longHeader(int type, int version, int size, byte[] token) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put((byte) (0xc0 | (type << 4) | 0x03)).putInt(version);
        b.put((byte) 8).put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        b.put((byte) 8).put(new byte[] {9, 10, 11, 12, 13, 14, 15, 16});
        if (type == 0) b.put((byte) token.length).put(token); // a 1-byte varint: tokens under 64 bytes
        int rest = size - b.position() - 2;
        b.putShort((short) (0x4000 | rest)); // packet length, a 2-byte varint
        return b.array(); // packet number and payload: zeros (the Retry is decided before decryption)
    }

    static DatagramPacket exchange(DatagramSocket s, byte[] datagram) throws Exception {
        s.send(new DatagramPacket(datagram, datagram.length, server.server.localAddress()));
        byte[] buf = new byte[2048];
        DatagramPacket reply = new DatagramPacket(buf, buf.length);
        s.receive(reply);
        return reply;
    }

    /** Sends {@code datagram}, then a discovery probe, and returns the first reply. */
    static byte[] firstReplyAfter(DatagramSocket s, byte[] datagram) throws Exception {
        s.send(new DatagramPacket(datagram, datagram.length, server.server.localAddress()));
        DatagramPacket reply = exchange(s, Discovery.encodeProbe(new Discovery.Probe(42)));
        return Arrays.copyOf(reply.getData(), reply.getLength());
    }

    static DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        s.setSoTimeout(30_000);
        return s;
    }

    @Test
    void aFullSizeInitialDrawsOneSmallerRetry() throws Exception {
        try (DatagramSocket s = socket()) {
            byte[] initial = longHeader(0, 1, 1200);
            DatagramPacket reply = exchange(s, initial);
            int first = reply.getData()[0] & 0xff;
            assertThat(first & 0xf0).as("a Retry packet (long header, type 3)").isEqualTo(0xf0);
            assertThat(reply.getLength()).isLessThan(initial.length);
        }
    }

    @Test
    void anInitialWithAForgedTokenDrawsNoHandshake() throws Exception {
        byte[] forged = new byte[40];
        Arrays.fill(forged, (byte) 7);
        long refused = server.server.unvalidatedTraffic().refusedTokens();
        try (DatagramSocket s = socket()) {
            byte[] reply = firstReplyAfter(s, longHeader(0, 1, 1200, forged));
            assertThat(reply[0]).as("the first reply is the discovery reply, not a handshake flight").isEqualTo((byte) Discovery.REPLY);
        }
        assertThat(server.server.unvalidatedTraffic().refusedTokens()).isEqualTo(refused + 1);
    }

    @Test
    void anUndersizedInitialDrawsNothing() throws Exception {
        try (DatagramSocket s = socket()) {
            byte[] reply = firstReplyAfter(s, longHeader(0, 1, 60));
            assertThat(reply[0]).as("the first reply is the discovery reply, not a Retry").isEqualTo((byte) Discovery.REPLY);
        }
    }

    @Test
    void anUndersizedPacketOfAnUnknownVersionDrawsNothing() throws Exception {
        try (DatagramSocket s = socket()) {
            byte[] reply = firstReplyAfter(s, longHeader(0, 0x0a0a0a0a, 60));
            assertThat(reply[0]).as("the first reply is the discovery reply, not a Version Negotiation").isEqualTo((byte) Discovery.REPLY);
        }
    }

    @Test
    void aFullSizePacketOfAnUnknownVersionDrawsASmallerVersionNegotiation() throws Exception {
        try (DatagramSocket s = socket()) {
            byte[] packet = longHeader(0, 0x0a0a0a0a, 1200);
            DatagramPacket reply = exchange(s, packet);
            assertThat(ByteBuffer.wrap(reply.getData(), 1, 4).getInt()).as("version 0: Version Negotiation").isZero();
            assertThat(reply.getLength()).isLessThan(packet.length);
        }
    }

    @Test
    void theServerCountsNoMoreBytesSentThanReceived() throws Exception {
        try (DatagramSocket s = socket()) {
            exchange(s, longHeader(0, 1, 1200));
            firstReplyAfter(s, longHeader(0, 1, 60));
        }
        UnvalidatedTraffic.Snapshot t = server.server.unvalidatedTraffic();
        assertThat(t.datagramsOut()).isGreaterThanOrEqualTo(2);
        assertThat(t.droppedUndersized()).isGreaterThanOrEqualTo(1);
        assertThat(t.bytesOut()).isLessThanOrEqualTo(t.bytesIn());
    }
}
