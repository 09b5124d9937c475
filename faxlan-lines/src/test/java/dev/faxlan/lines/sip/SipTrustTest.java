package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.lines.ReceivedFax;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #11, finding 5, at the datagram level: hand-written SIP from distinct loopback addresses
 * (127.0.0.1 trusted, 127.0.0.2 not) to a user agent on 127.0.0.1, so the exact bytes of every
 * answer can be counted.
 */
class SipTrustTest {
    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final LinkedBlockingQueue<ReceivedFax> inbox = new LinkedBlockingQueue<>();
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private SipEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) endpoint.close();
        sockets.forEach(DatagramSocket::close);
        scheduler.close();
    }

    private SipEndpoint start(InetSocketAddress registrar, SipEndpoint.Trust trust) throws Exception {
        return SipEndpoint.start(new SipEndpoint.Settings("trunk", "127.0.0.1", 0, "udp", registrar, Duration.ofSeconds(5), "faxlan-test", trust),
                new SipAccount("2000", "2000", "", "127.0.0.1", false, 300),
                (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550200")), inbox::add, scheduler);
    }

    private DatagramSocket socket(String address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        sockets.add(s);
        return s;
    }

    static String invite(DatagramSocket from, int targetPort, String callId, String mediaHost, int mediaPort) {
        String sdp = "v=0\r\no=x 1 1 IN IP4 " + mediaHost + "\r\ns=-\r\nc=IN IP4 " + mediaHost + "\r\nt=0 0\r\nm=image " + mediaPort
                + " udptl t38\r\na=T38FaxVersion:0\r\na=T38MaxBitRate:14400\r\na=T38FaxRateManagement:transferredTCF\r\n"
                + "a=T38FaxMaxBuffer:2000\r\na=T38FaxMaxDatagram:400\r\na=T38FaxUdpEC:t38UDPRedundancy\r\n";
        String me = from.getLocalAddress().getHostAddress() + ":" + from.getLocalPort();
        return "INVITE sip:15550200@127.0.0.1:" + targetPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + me + ";branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:6660000@" + me + ">;tag=f" + callId + "\r\n"
                + "To: <sip:15550200@127.0.0.1:" + targetPort + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:6660000@" + me + ">\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    static String ack(DatagramSocket from, int targetPort, String callId, String toTag) {
        String me = from.getLocalAddress().getHostAddress() + ":" + from.getLocalPort();
        return "ACK sip:2000@127.0.0.1:" + targetPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + me + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:6660000@" + me + ">;tag=f" + callId + "\r\n"
                + "To: <sip:15550200@127.0.0.1:" + targetPort + ">;tag=" + toTag + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 ACK\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static void send(DatagramSocket s, int port, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port)));
    }

    /** Every datagram that arrives within {@code quiet} of the previous one (the first within {@code first}). */
    static List<byte[]> receiveAll(DatagramSocket s, Duration first, Duration quiet) throws Exception {
        List<byte[]> out = new ArrayList<>();
        s.setSoTimeout((int) first.toMillis());
        while (true) {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return out;
            }
            out.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            s.setSoTimeout((int) quiet.toMillis());
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static String toTag(String response) {
        for (String l : response.split("\r\n")) {
            if (l.regionMatches(true, 0, "To:", 0, 3) || l.regionMatches(true, 0, "t:", 0, 2)) {
                int i = l.indexOf(";tag=");
                return i < 0 ? null : l.substring(i + 5).split("[;\\s]")[0];
            }
        }
        return null;
    }

    @Test
    void anUntrustedInviteGetsOneSmall403AndNothingElse() throws Exception {
        endpoint = start(null, SipEndpoint.Trust.networks("127.0.0.1"));
        DatagramSocket stranger = socket("127.0.0.2");
        byte[] request = invite(stranger, endpoint.port(), "attack-1", "127.0.0.5", 6000).getBytes(StandardCharsets.ISO_8859_1);
        stranger.send(new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", endpoint.port())));
        // Everything that comes back: the 403 first, then (if the stack kept a transaction) retransmissions or provisional answers.
        // A transaction's first retransmission would come after 500 ms (T1); 1.5 s of quiet covers two of them.
        List<byte[]> answers = receiveAll(stranger, Duration.ofSeconds(5), Duration.ofMillis(1500));
        assertThat(answers).as("exactly one answer").hasSize(1);
        String r = text(answers.get(0));
        assertThat(r).startsWith("SIP/2.0 403 ");
        assertThat(answers.get(0).length).as("the 403 (%d bytes) is no larger than the INVITE (%d bytes):%n%s", answers.get(0).length,
                request.length, r).isLessThanOrEqualTo(request.length);
        assertThat(toTag(r)).as("a final response carries a To tag").isNotBlank();
        assertThat(endpoint.activeCalls()).isZero();
        assertThat(endpoint.refusedRequests()).isEqualTo(1);
    }

    @Test
    void aRefusalThatWouldBeLargerThanTheRequestIsNotSent() throws Exception {
        // Compact header names and no body: a response in the long forms, with our To tag, would be larger than this.
        endpoint = start(null, SipEndpoint.Trust.networks("127.0.0.1"));
        DatagramSocket stranger = socket("127.0.0.2");
        String me = "127.0.0.2:" + stranger.getLocalPort();
        String tiny = "INVITE sip:1@127.0.0.1 SIP/2.0\r\nv: SIP/2.0/UDP " + me + ";branch=z9hG4bKa\r\nf: <sip:a@b>;tag=1\r\nt: <sip:1@c>\r\n"
                + "i: x\r\nCSeq: 1 INVITE\r\n\r\n";
        byte[] request = tiny.getBytes(StandardCharsets.ISO_8859_1);
        stranger.send(new DatagramPacket(request, request.length, new InetSocketAddress("127.0.0.1", endpoint.port())));
        // Nothing comes back; the refusal is still counted. (The window only bounds the wait: a 403 would come at once.)
        List<byte[]> answers = receiveAll(stranger, Duration.ofSeconds(2), Duration.ofMillis(1500));
        assertThat(answers).as("answers to %d bytes: %s", request.length, answers.stream().map(a -> a.length + " bytes: " + text(a)).toList()).isEmpty();
        assertThat(endpoint.refusedRequests()).isEqualTo(1);
        assertThat(endpoint.activeCalls()).isZero();
    }

    @Test
    void otherRequestsFromUntrustedSourcesAreRefusedTooAndTheRegistrarIsTrustedWithoutConfiguration() throws Exception {
        // The registrar: 127.0.0.3 (nobody listens there; the line does not register). No trusted networks.
        endpoint = start(new InetSocketAddress("127.0.0.3", 5060), SipEndpoint.Trust.NONE);
        DatagramSocket stranger = socket("127.0.0.2");
        DatagramSocket registrar = socket("127.0.0.3");
        String options = "OPTIONS sip:2000@127.0.0.1:%d SIP/2.0\r\nVia: SIP/2.0/UDP %s;branch=z9hG4bK%s\r\nMax-Forwards: 70\r\n"
                + "From: <sip:probe@%s>;tag=p1\r\nTo: <sip:2000@127.0.0.1>\r\nCall-ID: %s\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
        for (DatagramSocket s : List.of(stranger, registrar)) {
            String me = s.getLocalAddress().getHostAddress() + ":" + s.getLocalPort();
            String id = UUID.randomUUID().toString();
            send(s, endpoint.port(), String.format(options, endpoint.port(), me, id, me, id));
        }
        assertThat(text(receiveAll(stranger, Duration.ofSeconds(5), Duration.ofMillis(200)).get(0))).startsWith("SIP/2.0 403 ");
        assertThat(text(receiveAll(registrar, Duration.ofSeconds(5), Duration.ofMillis(200)).get(0))).startsWith("SIP/2.0 200 ");
    }

    @Test
    void mediaStartsOnlyOnAnAckWithTheTagOfOurAnswer() throws Exception {
        endpoint = start(null, SipEndpoint.Trust.networks("127.0.0.1"));
        DatagramSocket caller = socket("127.0.0.1");
        DatagramSocket media = socket("127.0.0.1");
        AtomicInteger udptl = new AtomicInteger();
        Thread counter = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!media.isClosed()) {
                try {
                    media.receive(new DatagramPacket(buf, buf.length));
                    synchronized (udptl) {
                        udptl.incrementAndGet();
                        udptl.notifyAll();
                    }
                } catch (Exception e) {
                    return;
                }
            }
        });
        counter.setDaemon(true);
        counter.start();
        String callId = "ack-" + UUID.randomUUID();
        send(caller, endpoint.port(), invite(caller, endpoint.port(), callId, "127.0.0.1", media.getLocalPort()));
        String ok = null;
        caller.setSoTimeout(5000);
        while (ok == null) {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            caller.receive(p);
            String t = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (t.startsWith("SIP/2.0 200")) ok = t;
        }
        String tag = toTag(ok);
        assertThat(tag).as("our To tag: 64 random bits").matches("[0-9a-f]{16}");

        // An ACK that does not carry our tag, as a sender that never saw the 200 would write it.
        send(caller, endpoint.port(), ack(caller, endpoint.port(), callId, "0123456789abcdef"));
        // No timed wait for "nothing": the 200 is retransmitted while no valid ACK has come (RFC 3261 13.3.1.4),
        // at 500 ms and then 1 s. Seeing two more retransmissions means the ACK above was taken and ignored for over
        // a second, while the engine's first UDPTL packet (the CED indicator) goes out within a tick of a fax starting.
        int retransmissions = 0;
        while (retransmissions < 2) {
            DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
            caller.receive(p);
            if (new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1).startsWith("SIP/2.0 200")) retransmissions++;
        }
        assertThat(udptl.get()).as("UDPTL before a valid ACK").isZero();

        // The positive control: the real ACK starts the fax, and UDPTL arrives.
        send(caller, endpoint.port(), ack(caller, endpoint.port(), callId, tag));
        synchronized (udptl) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (udptl.get() == 0 && System.nanoTime() < deadline) udptl.wait(200);
        }
        assertThat(udptl.get()).as("UDPTL after the ACK").isPositive();
    }
}
