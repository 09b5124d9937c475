package dev.faxlan.cli.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.discovery.Discovery;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The relay over real UDP sockets on loopback, in front of a peer that plays an amplifying server:
 * it answers every datagram with three datagrams of 1200 bytes. (RelayIT runs it in front of a
 * real faxlan server.)
 */
class CpiRelayTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    /** A "server" that answers each datagram with three of 1200 bytes, until closed. */
    static DatagramSocket amplifyingServer() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            byte[] answer = new byte[1200];
            answer[0] = (byte) 0xc3;
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    for (int i = 0; i < 3; i++) s.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }, "amplifying-server");
        t.setDaemon(true);
        t.start();
        return s;
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + WAIT + ": " + what);
            Thread.sleep(20);
        }
    }

    static int receive(DatagramSocket c) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        c.receive(p);
        return p.getLength();
    }

    @Test
    void aClientThatHasNotAnsweredGetsNoMoreBytesThanItSent() throws Exception {
        try (DatagramSocket server = amplifyingServer();
                CpiRelay relay = CpiRelay.start(RelaySettings.of(new InetSocketAddress("127.0.0.1", 0),
                        (InetSocketAddress) server.getLocalSocketAddress(), 10), id -> {});
                DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            client.setSoTimeout((int) WAIT.toMillis());
            byte[] initial = new byte[1200];
            initial[0] = (byte) 0xc3; // long header, Initial
            client.send(new DatagramPacket(initial, initial.length, relay.address()));
            await(() -> relay.stats().droppedUnanswered() == 2, "two of the server's three answers dropped");
            assertThat(relay.stats().datagramsToClients()).as("1200 bytes in, 1200 bytes out").isEqualTo(1);
            assertThat(receive(client)).isEqualTo(1200);

            byte[] handshake = new byte[50];
            handshake[0] = (byte) 0xe3; // long header, Handshake: the client read the server's Initial
            client.send(new DatagramPacket(handshake, handshake.length, relay.address()));
            await(() -> relay.stats().datagramsToClients() == 4, "all three answers to the Handshake passed");
            for (int i = 0; i < 3; i++) assertThat(receive(client)).isEqualTo(1200);
            assertThat(relay.stats().flows()).isEqualTo(1);
        }
    }

    @Test
    void withoutAnAnswerFromTheServerTheRelayAnswersNoProbe() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                CpiRelay relay = CpiRelay.start(RelaySettings.of(new InetSocketAddress("127.0.0.1", 0),
                        (InetSocketAddress) silent.getLocalSocketAddress(), 10), id -> {});
                DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            // The relay's own probe reaching the server shows it is running; it gets no answer.
            silent.setSoTimeout((int) WAIT.toMillis());
            byte[] got = new byte[2048];
            DatagramPacket fromRelay = new DatagramPacket(got, got.length);
            silent.receive(fromRelay);
            assertThat(Discovery.decodeProbe(got, fromRelay.getLength())).as("the relay probes the server by unicast").isPresent();

            byte[] probe = Discovery.encodeProbe(new Discovery.Probe(9));
            client.send(new DatagramPacket(probe, probe.length, relay.address()));
            client.setSoTimeout(2000);
            boolean answered;
            try {
                receive(client);
                answered = true;
            } catch (SocketTimeoutException e) {
                answered = false;
            }
            assertThat(answered).as("a client is never shown a server that did not answer the relay").isFalse();
            assertThat(relay.stats().discoveryReplies()).isZero();
        }
    }
}
