package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.lines.CallResult;
import dev.faxlan.lines.MediaPolicy;
import dev.faxlan.lines.sip.CallTuning;
import dev.faxlan.lines.sip.SipAccount;
import dev.faxlan.lines.sip.SipEndpoint;
import dev.faxlan.lines.sip.TestFaxPages;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ignore-early-media} on an outbound G.711 call, against SIPp as a callee that answers with 183
 * Session Progress and SDP, while early media (RTP from the address that SDP names) flow to us, and
 * a 200 naming other media once the early media have ended. With the default, {@code true}, nothing is sent to the early
 * media and the fax starts on the 200's media; with {@code false} the fax starts on the early media at
 * once and follows the 200 to its media. The early media come from a socket of this test, at the
 * address of the 183's SDP, told our RTP port by SIPp once it has the INVITE.
 */
class EarlyMediaIT {
    private static final Pattern TRACE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})\\s+(\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?)");
    private final CallScheduler scheduler = new CallScheduler("test-calls", () -> System.nanoTime() / 1_000_000, 1.0);
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
    private SipEndpoint endpoint;

    @AfterEach
    void stop() {
        pacer.shutdownNow();
        if (endpoint != null) endpoint.close();
        scheduler.close();
    }

    /** A UDP socket that counts what arrives (and when the first came) and can send RTP from itself. */
    private static final class RtpPeer implements AutoCloseable {
        final DatagramSocket socket;
        final AtomicLong received = new AtomicLong();
        final AtomicLong firstAt = new AtomicLong();
        private int seq;

        RtpPeer() throws SocketException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(() -> {
                byte[] buf = new byte[2048];
                while (!socket.isClosed()) {
                    try {
                        socket.receive(new DatagramPacket(buf, buf.length));
                        firstAt.compareAndSet(0, System.currentTimeMillis());
                        received.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "rtp-peer");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        /** One 20 ms packet of PCMA silence (payload type 8) to {@code to}. */
        void sendSilence(InetSocketAddress to) {
            byte[] p = new byte[12 + 160];
            p[0] = (byte) 0x80;
            p[1] = 8;
            int s = seq++;
            p[2] = (byte) (s >> 8);
            p[3] = (byte) s;
            long ts = 160L * s;
            p[4] = (byte) (ts >> 24);
            p[5] = (byte) (ts >> 16);
            p[6] = (byte) (ts >> 8);
            p[7] = (byte) ts;
            p[8] = 0x12;
            p[11] = 0x34;
            Arrays.fill(p, 12, p.length, (byte) 0xD5);
            try {
                socket.send(new DatagramPacket(p, p.length, to));
            } catch (IOException e) {
                // UDP: a lost packet of early media is loss, nothing more
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    private record Run(CallResult result, Sipp.Result sipp, RtpPeer early, RtpPeer answer, long okSentAt) {
        String why() {
            return result + "\nearly media socket got " + early.received + ", answer's got " + answer.received + "\n" + sipp.describe();
        }
    }

    private Run call(boolean ignoreEarlyMedia) throws Exception {
        CallTuning tuning = CallTuning.DEFAULTS.withIgnoreEarlyMedia(ignoreEarlyMedia);
        endpoint = SipEndpoint.start(new SipEndpoint.Settings("faxlan", LoopbackPorts.HOST, 0, "udp", null, Duration.ofSeconds(30), "faxlan-test",
                SipEndpoint.Trust.networks(LoopbackPorts.HOST), null, MediaPolicy.G711, tuning),
                new SipAccount("2000", "2000", "", "sipp.test", false, 60), (from, to) -> new SipEndpoint.Decision.Reject(403, "no"), f -> {}, scheduler);
        try (RtpPeer early = new RtpPeer(); RtpPeer answer = new RtpPeer()) {
            Path portFile = Files.createTempFile(Path.of("target"), "early-media-", ".port").toAbsolutePath();
            Files.delete(portFile);
            Sipp.Running callee = Sipp.scenario("uas-early-media-audio.xml").set("early_port", Integer.toString(early.port()))
                    .set("answer_port", Integer.toString(answer.port())).set("port_file", portFile.toString()).timeout(Duration.ofSeconds(60)).listen();
            var call = endpoint.send("5550199", LoopbackPorts.HOST + ":" + callee.localPort(), OutgoingPages.of(TestFaxPages.pages(1, 1, 100)),
                    FaxOptions.defaults("+15550100"), e -> {}, MediaPolicy.G711);
            // The early media flow as soon as SIPp has told us where the caller's RTP goes: 100 packets (2 s of
            // audio), and with early media taken, until our fax's audio has reached them. Then SIPp hears they ended.
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(portFile) && Files.readString(portFile).strip().contains(" "));
            String[] said = Files.readString(portFile, StandardCharsets.US_ASCII).strip().split("\\s+");
            InetSocketAddress caller = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(said[0]));
            java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(100);
            pacer.scheduleAtFixedRate(() -> {
                if (sent.getCount() > 0 || !ignoreEarlyMedia && early.received.get() == 0) {
                    early.sendSilence(caller);
                    sent.countDown();
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            assertThat(sent.await(60, TimeUnit.SECONDS)).isTrue();
            if (!ignoreEarlyMedia) await().atMost(Duration.ofSeconds(60)).until(() -> early.received.get() > 0);
            pacer.shutdownNow();
            pacer.awaitTermination(10, TimeUnit.SECONDS);
            notifyEnded(callee.localPort(), said[1]);
            CallResult r = call.get(120, TimeUnit.SECONDS);
            Sipp.Result s = callee.await();
            return new Run(r, s, early, answer, okSentAt(s));
        }
    }

    /** Tells SIPp the early media have ended: a NOTIFY with the call's Call-ID, which its scenario waits for. */
    private static void notifyEnded(int sippPort, String callId) throws IOException {
        String m = "NOTIFY sip:sipp@127.0.0.1:" + sippPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-early-media-ended\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:peer@127.0.0.1>;tag=peer\r\nTo: <sip:sipp@127.0.0.1>\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: 1 NOTIFY\r\nEvent: early-media-ended\r\nContent-Length: 0\r\n\r\n";
        byte[] b = m.getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), sippPort)));
        }
    }

    /** When SIPp sent its 200 to the INVITE, wall clock in ms. */
    private static long okSentAt(Sipp.Result r) {
        String[] lines = r.trace().split("\n", -1);
        for (int i = 0; i + 2 < lines.length; i++) {
            Matcher m = TRACE_TIME.matcher(lines[i]);
            if (!lines[i].startsWith("----------") || !m.find() || !lines[i + 1].contains("message sent")) continue;
            int j = i + 2;
            while (j < lines.length && lines[j].isBlank()) j++;
            if (j < lines.length && lines[j].strip().startsWith("SIP/2.0 200")) {
                return LocalDateTime.parse(m.group(1) + "T" + m.group(2)).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            }
        }
        throw new AssertionError("SIPp sent no 200\n" + r.describe());
    }

    @Test
    void byDefaultEarlyMediaAreIgnoredAndTheFaxStartsOnTheAnswersMedia() throws Exception {
        Run run = call(true);
        assertThat(run.sipp().succeeded()).as(run.why()).isTrue();
        assertThat(run.sipp().sentStatuses()).as(run.why()).contains(183, 200);
        assertThat(run.early().received.get()).as("RTP sent to the early media; %s", run.why()).isZero();
        assertThat(run.answer().received.get()).as("RTP sent to the 200's media; %s", run.why()).isPositive();
        assertThat(run.answer().firstAt.get()).as(run.why()).isGreaterThanOrEqualTo(run.okSentAt());
    }

    @Test
    void withIgnoreEarlyMediaFalseTheFaxStartsOnTheEarlyMediaAndFollowsTheAnswer() throws Exception {
        Run run = call(false);
        assertThat(run.sipp().succeeded()).as(run.why()).isTrue();
        assertThat(run.early().received.get()).as("RTP sent to the early media; %s", run.why()).isPositive();
        assertThat(run.early().firstAt.get()).as("the fax's audio reached the early media before the 200 was sent; %s", run.why())
                .isLessThan(run.okSentAt());
        assertThat(run.answer().received.get()).as("RTP sent to the 200's media; %s", run.why()).isPositive();
    }
}
