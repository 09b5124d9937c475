package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The SIP parser is JAIN-SIP's, not ours, so instead of a fuzz target: every case in
 * {@code malformed-sip.txt} is sent to a live user agent, which must still answer a well-formed
 * OPTIONS afterwards.
 */
class MalformedSipTest {
    private static final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private static SipEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        endpoint = SipEndpoint.start(new SipEndpoint.Settings("target", "127.0.0.1", 0, "udp", null, Duration.ofSeconds(5), "faxlan-test",
                SipEndpoint.Trust.networks("127.0.0.1")),
                new SipAccount("0000", "0000", "", "127.0.0.1", false, 300), (from, to) -> new SipEndpoint.Decision.Accept(FaxOptions.defaults("0000")),
                fax -> {}, scheduler);
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        scheduler.close();
    }

    record Case(String name, byte[] bytes) {}

    static List<Case> cases() throws IOException {
        String text;
        try (InputStream in = MalformedSipTest.class.getResourceAsStream("malformed-sip.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        List<Case> out = new ArrayList<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#") && name == null) continue;
            if (line.startsWith("=== ")) {
                if (name != null) out.add(toCase(name, body, out.size()));
                name = line.substring(4);
                body.setLength(0);
            } else {
                body.append(line).append("\r\n");
            }
        }
        if (name != null) out.add(toCase(name, body, out.size()));
        return out;
    }

    private static Case toCase(String name, StringBuilder body, int n) {
        String msg = body.substring(0, Math.max(0, body.length() - 2)).replace("{n}", Integer.toString(n));
        return new Case(name, msg.getBytes(StandardCharsets.ISO_8859_1));
    }

    @TestFactory
    List<DynamicTest> theUserAgentSurvivesEachMalformedMessage() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThan(30);
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    s.send(new DatagramPacket(c.bytes(), c.bytes().length, new InetSocketAddress("127.0.0.1", endpoint.port())));
                    assertThat(optionsAnswered(s)).as("OPTIONS answered with 200 after '%s'", c.name()).isTrue();
                }
            }));
        }
        return tests;
    }

    /** Sends OPTIONS until a 200 for it comes back (other datagrams, answers to the malformed case, are skipped). */
    private static boolean optionsAnswered(DatagramSocket s) throws IOException {
        s.setSoTimeout(500);
        int port = s.getLocalPort();
        for (int attempt = 0; attempt < 10; attempt++) {
            String callId = "probe-" + System.nanoTime();
            String options = "OPTIONS sip:0000@127.0.0.1:" + endpoint.port() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bK-" + callId + "\r\n"
                    + "From: <sip:probe@127.0.0.1>;tag=" + callId + "\r\nTo: <sip:0000@127.0.0.1>\r\nCall-ID: " + callId + "\r\n"
                    + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] b = options.getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", endpoint.port())));
            long until = System.currentTimeMillis() + 1000;
            while (System.currentTimeMillis() < until) {
                DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
                try {
                    s.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String r = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
                if (r.startsWith("SIP/2.0 200") && r.contains(callId)) return true;
            }
        }
        return false;
    }
}
