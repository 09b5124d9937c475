package dev.faxlan.lines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.lines.sip.TestFaxPages;
import dev.faxlan.testkit.PortRetry;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue #11, finding 6: whoever can challenge an outbound INVITE must not get a digest of the trunk
 * password for a realm of its choosing. The trunk's proxy here is a bare UDP socket that answers the
 * INVITE with a 401 for a foreign realm, and records any INVITE that comes back with credentials.
 */
class TrunkDigestRealmTest {

    private static Properties trunk(int sipPort, int proxyPort) {
        Properties p = new Properties();
        p.setProperty("sip.bind", "127.0.0.1");
        p.setProperty("sip.port", Integer.toString(sipPort));
        p.setProperty("line.loopback.enabled", "false");
        p.setProperty("line.trunk.registrar", "127.0.0.1:" + proxyPort);
        p.setProperty("line.trunk.register", "false");
        p.setProperty("line.trunk.user", "2000");
        p.setProperty("line.trunk.password", "s3cret-trunk-password");
        p.setProperty("line.trunk.realm", "faxlan.test");
        p.setProperty("line.trunk.number", "+15550200");
        return p;
    }

    @Test
    void aChallengeForAnotherRealmIsNotAnsweredAndEndsTheCall() throws Exception {
        try (DatagramSocket proxy = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            // SIP lines take no port 0: one free a moment ago, and another if some program takes it first.
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            try (Lines lines = PortRetry.onAddressInUse("faxlan lines", attempt ->
                    Lines.start(LinesConfig.parse(trunk(PortRetry.freeUdp(loopback), proxy.getLocalPort())), fax -> {}, "faxlan-test"))) {
                Line line = lines.line("trunk").orElseThrow();
                CompletableFuture<CallResult> call = line.send("+15550199", TestFaxPages.pages(1, 1, 100), Lines.receiveOptions(""));
                proxy.setSoTimeout(10_000);
                Received invite = receive(proxy);
                assertThat(invite.text()).startsWith("INVITE ");
                send(proxy, invite, challenge(invite.text(), "evil.example"));

                // Until the call ends, collect what comes back: the ACK for the 401, and (the attack working) an INVITE with credentials.
                List<String> answered = new ArrayList<>();
                proxy.setSoTimeout(200);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // hang protection only
                while (!call.isDone() && System.nanoTime() < deadline) {
                    Received m;
                    try {
                        m = receive(proxy);
                    } catch (SocketTimeoutException e) {
                        continue;
                    }
                    if (m.text().startsWith("INVITE ") && header(m.text(), "Authorization") != null) {
                        answered.add(header(m.text(), "Authorization"));
                        send(proxy, m, response(m.text(), "403 Forbidden", ""));
                    }
                }
                assertThat(answered).as("digest responses computed with the trunk password for realm evil.example").isEmpty();
                CallResult r = call.get(5, TimeUnit.SECONDS);
                assertThat(r.outcome()).as("%s", r).isEqualTo(CallOutcome.REJECTED);
                assertThat(r.sipStatus()).isEqualTo(401);
                assertThat(r.detail()).contains("evil.example").contains("faxlan.test");
            }
        }
    }

    record Received(String text, InetSocketAddress from) {}

    private static Received receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65536], 65536);
        s.receive(p);
        return new Received(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8), (InetSocketAddress) p.getSocketAddress());
    }

    private static void send(DatagramSocket s, Received to, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.send(new DatagramPacket(b, b.length, to.from()));
    }

    static String challenge(String request, String realm) {
        return response(request, "401 Unauthorized",
                "WWW-Authenticate: Digest realm=\"" + realm + "\", nonce=\"4f1c2b6e0d9a\", qop=\"auth\", algorithm=MD5\r\n");
    }

    /** A response to {@code request}: its Via, From, To (with a tag), Call-ID and CSeq, plus {@code extra} headers. */
    static String response(String request, String status, String extra) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append("\r\n");
        for (String l : request.split("\r\n")) {
            if (l.isEmpty()) break;
            String name = l.substring(0, Math.max(0, l.indexOf(':'))).strip().toLowerCase();
            switch (name) {
                case "via", "from", "call-id", "cseq" -> b.append(l).append("\r\n");
                case "to" -> b.append(l).append(l.contains(";tag=") ? "" : ";tag=proxy1").append("\r\n");
                default -> { }
            }
        }
        return b.append(extra).append("Content-Length: 0\r\n\r\n").toString();
    }

    static String header(String message, String name) {
        for (String l : message.split("\r\n")) {
            if (l.isEmpty()) return null;
            if (l.regionMatches(true, 0, name + ":", 0, name.length() + 1)) return l.substring(name.length() + 1).strip();
        }
        return null;
    }
}
