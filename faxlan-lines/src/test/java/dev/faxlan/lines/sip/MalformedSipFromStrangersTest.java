package dev.faxlan.lines.sip;

import static dev.faxlan.lines.sip.SipTrustTest.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #11's open finding: JAIN-SIP answered requests it could not parse to whatever source the
 * datagram claimed, with a 400 that carries the request back as its body. Hand-written datagrams
 * from 127.0.0.2 (untrusted) and 127.0.0.1 (trusted) to a user agent on 127.0.0.1.
 */
class MalformedSipFromStrangersTest {
    /** How long "nothing came back" is watched for; an answer, when there is one, comes within milliseconds. */
    private static final Duration WATCH = Duration.ofSeconds(2);

    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private SipEndpoint endpoint;

    @BeforeEach
    void start() throws Exception {
        endpoint = SipEndpoint.start(new SipEndpoint.Settings("trunk", "127.0.0.1", 0, "udp", null, Duration.ofSeconds(5), "faxlan-test",
                SipEndpoint.Trust.networks("127.0.0.1")), new SipAccount("2000", "2000", "", "127.0.0.1", false, 300),
                (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("+15550200")), fax -> {}, scheduler);
    }

    @AfterEach
    void stop() {
        endpoint.close();
        sockets.forEach(DatagramSocket::close);
        scheduler.close();
    }

    private DatagramSocket socket(String address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        sockets.add(s);
        return s;
    }

    /** A well-formed OPTIONS from {@code from}, changed by {@code edit}. */
    private String options(DatagramSocket from, java.util.function.UnaryOperator<String> edit) {
        String me = from.getLocalAddress().getHostAddress() + ":" + from.getLocalPort();
        String id = java.util.UUID.randomUUID().toString();
        return edit.apply("OPTIONS sip:2000@127.0.0.1:" + endpoint.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + me + ";branch=z9hG4bK" + id + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@" + me + ">;tag=f" + id + "\r\n"
                + "To: <sip:2000@127.0.0.1>\r\n"
                + "Call-ID: " + id + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    /** A datagram to send and the socket it goes from. */
    record Sent(DatagramSocket from, byte[] bytes) {}

    /**
     * Requests JAIN-SIP cannot parse, or answers itself before any listener sees them, by what is
     * wrong with them; each from its own socket on {@code address}.
     */
    private Map<String, Sent> malformed(String address) throws Exception {
        Map<String, java.util.function.UnaryOperator<String>> edits = new LinkedHashMap<>();
        edits.put("bad request line", m -> m.replaceFirst("OPTIONS sip:2000@\\S+ SIP/2.0", "OPTIONS <<not a uri>> SIP/2.0"));
        edits.put("bad Via", m -> m.replaceFirst("Via: SIP/2.0/UDP ", "Via: SIP/2.0/UDP @@@ "));
        edits.put("missing headers", m -> m.replaceFirst("From: [^\r]*\r\n", "").replaceFirst("CSeq: [^\r]*\r\n", ""));
        edits.put("SIP version 9.9 (505)", m -> m.replaceFirst(" SIP/2.0\r\n", " SIP/9.9\r\n"));
        edits.put("CSeq method not the request's", m -> m.replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE"));
        edits.put("CSeq not a number", m -> m.replace("CSeq: 1 OPTIONS", "CSeq: x OPTIONS"));
        Map<String, Sent> cases = new LinkedHashMap<>();
        for (Map.Entry<String, java.util.function.UnaryOperator<String>> e : edits.entrySet()) {
            DatagramSocket s = socket(address);
            cases.put(e.getKey(), new Sent(s, options(s, e.getValue()).getBytes(StandardCharsets.ISO_8859_1)));
        }
        byte[] garbage = new byte[600];
        new java.util.Random(11).nextBytes(garbage);
        garbage[0] = 'I'; // not "SIP/", so the stack takes it for a request
        cases.put("binary garbage", new Sent(socket(address), garbage));
        return cases;
    }

    /** Sends every case, then collects what comes back to each socket within one shared {@link #WATCH}. */
    private Map<String, List<byte[]>> send(Map<String, Sent> cases) throws Exception {
        for (Sent c : cases.values()) {
            c.from().send(new DatagramPacket(c.bytes(), c.bytes().length, new InetSocketAddress("127.0.0.1", endpoint.port())));
        }
        long deadline = System.nanoTime() + WATCH.toNanos();
        Map<String, List<byte[]>> answers = new LinkedHashMap<>();
        for (Map.Entry<String, Sent> c : cases.entrySet()) {
            DatagramSocket s = c.getValue().from();
            List<byte[]> got = new ArrayList<>();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) break;
                s.setSoTimeout((int) left);
                DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                got.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
            }
            answers.put(c.getKey(), got);
        }
        return answers;
    }

    @Test
    void anUntrustedSourceGetsNoAnswerToARequestTheStackCannotParse() throws Exception {
        Map<String, List<byte[]>> answers = send(malformed("127.0.0.2"));
        List<String> answered = new ArrayList<>();
        answers.forEach((name, got) -> got.forEach(a -> answered.add(name + " -> " + text(a).lines().findFirst().orElse(""))));
        assertThat(answered).as("answers to an untrusted source within %s", WATCH).isEmpty();
    }

    @Test
    void aTrustedPeerStillLearnsWhatWasWrong() throws Exception {
        // The positive control: a request line the stack cannot parse, from a trusted address, is answered, so the silence
        // above is the trust check's. (JAIN-SIP drops a bad Via or missing headers itself, and reads SIP/9.9 as 2.0.)
        Sent bad = malformed("127.0.0.1").get("bad request line");
        bad.from().send(new DatagramPacket(bad.bytes(), bad.bytes().length, new InetSocketAddress("127.0.0.1", endpoint.port())));
        bad.from().setSoTimeout(10_000); // only bounds the wait: the answer ends it
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        bad.from().receive(p);
        assertThat(text(java.util.Arrays.copyOf(p.getData(), p.getLength()))).startsWith("SIP/2.0 400 ");
    }

    @Test
    void everyMalformedMessageFromAnUntrustedSourceIsAnsweredAtMostWithARefusalNoLargerThanItself() throws Exception {
        // The whole malformed-message corpus (MalformedSipTest's) from an untrusted address: what still parses reaches
        // the trust check and may get its one 403, never larger than the request; nothing else comes back (no 400, 481, 505).
        Map<String, Sent> cases = new LinkedHashMap<>();
        for (MalformedSipTest.Case c : MalformedSipTest.cases()) {
            // The corpus's Via names 127.0.0.1:5999; answers that follow the Via must come to this socket instead.
            DatagramSocket s = socket("127.0.0.2");
            String me = "127.0.0.2:" + s.getLocalPort();
            cases.put(c.name(), new Sent(s, text(c.bytes()).replace("127.0.0.1:5999", me).getBytes(StandardCharsets.ISO_8859_1)));
        }
        Map<String, List<byte[]>> answers = send(cases);
        List<String> wrong = new ArrayList<>();
        answers.forEach((name, got) -> {
            int sent = cases.get(name).bytes().length;
            for (byte[] a : got) {
                if (!text(a).startsWith("SIP/2.0 403 ") || a.length > sent) {
                    wrong.add(name + " (" + sent + " bytes) -> " + a.length + " bytes: " + text(a).lines().findFirst().orElse(""));
                }
            }
        });
        assertThat(wrong).as("answers other than a 403 no larger than the request").isEmpty();
    }
}
