package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.engine.audio.AudioCall;
import dev.faxlan.engine.audio.AudioTerminal;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.rtp.RtpPacket;
import dev.faxlan.modem.g711.G711;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Malformed RTP at a call's media port, over real UDP on 127.0.0.1 while a fax runs in G.711 between
 * two of our RTP streams: random bytes, RTP versions and payload types we did not agree, RTCP, single
 * packets far off in sequence and timestamp, all from the latched peer's own port; and well-formed
 * RTP of the right type from a stranger on the same host once the stream is latched. The fax goes
 * through pixel-exact, nothing escapes, and each kind of datagram is counted where it was dropped.
 */
class MalformedRtpIT {
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

    @Test
    void aFaxSurvivesGarbageFromItsPeerAndIgnoresAStrangerAfterLatching() throws Exception {
        List<BilevelPage> pages = TestFaxPages.pages(21, 1, 200);
        CompletableFuture<FaxResult> sent = new CompletableFuture<>();
        CompletableFuture<FaxResult> received = new CompletableFuture<>();
        List<BilevelPage> arrived = new CopyOnWriteArrayList<>();
        MediaPorts ports = new MediaPorts(MediaPorts.LOWEST, 65535);
        long t0 = System.nanoTime();
        java.util.function.LongSupplier clock = () -> (System.nanoTime() - t0) / 1_000_000;
        try (MediaSocket a = new MediaSocket(LOCAL, ports, "rtp-test-a"); MediaSocket b = new MediaSocket(LOCAL, ports, "rtp-test-b");
                DatagramSocket stranger = new DatagramSocket(0, LOCAL)) {
            a.peer(new InetSocketAddress(LOCAL, b.port()));
            b.peer(new InetSocketAddress(LOCAL, a.port()));
            AudioTerminal tx = AudioTerminal.send(dev.faxlan.engine.fax.OutgoingPages.of(pages), FaxOptions.defaults("1111").withEcm(true), e -> {
                if (e instanceof FaxEvent.Completed c) sent.complete(c.result());
            });
            AudioTerminal rx = AudioTerminal.receive(Lines.receiveOptions("2222"), e -> {
                if (e instanceof FaxEvent.Page p && p.received() != null) arrived.add(p.received().page());
                if (e instanceof FaxEvent.Completed c) received.complete(c.result());
            });
            RtpAudio sender = new RtpAudio("malformed-tx", a, new AudioCall(tx, G711.ALAW), RtpPacket.PCMA, G711.ALAW, true, clock);
            RtpAudio receiver = new RtpAudio("malformed-rx", b, new AudioCall(rx, G711.ALAW), RtpPacket.PCMA, G711.ALAW, true, clock);
            receiver.start();
            sender.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.jitterStats().stored() > 10);

            Random r = new Random(19);
            for (int i = 0; i < 40; i++) {
                byte[] junk = new byte[r.nextInt(300)];
                r.nextBytes(junk);
                junk[0] = (byte) (junk.length > 0 && r.nextBoolean() ? 0x40 : junk.length > 0 ? junk[0] : 0); // RTP version 1, or anything
                a.send(junk);
                a.send(new RtpPacket(RtpPacket.PCMU, false, r.nextInt(0x10000), r.nextInt(), 0x5A5A, new byte[160]).encode()); // not the agreed type
                a.send(new RtpPacket(101, true, r.nextInt(0x10000), r.nextInt(), 0x5A5A, new byte[4]).encode()); // telephone-event
                // far off in sequence and timestamp, one at a time: never a run that could move the stream
                byte[] loud = new byte[160];
                java.util.Arrays.fill(loud, (byte) 0x2A);
                a.send(new RtpPacket(RtpPacket.PCMA, false, r.nextInt(0x10000), 0x4000_0000 + r.nextInt(0x1000_0000), 0x5A5A, loud).encode());
                if (i % 10 == 0) a.send(dev.faxlan.lines.rtp.Rtcp.senderReport(0x5A5A, System.currentTimeMillis(), 0, 1, 1, null));
                // a stranger on the same host: the right type, near timestamps, loud
                byte[] s = new RtpPacket(RtpPacket.PCMA, false, i, i * 160, 0x7777, loud).encode();
                stranger.send(new DatagramPacket(s, s.length, new InetSocketAddress(LOCAL, b.port())));
                Thread.onSpinWait();
            }

            assertThat(sent.get(300, TimeUnit.SECONDS)).isEqualTo(FaxResult.OK);
            assertThat(received.get(60, TimeUnit.SECONDS)).isEqualTo(FaxResult.OK);
            assertThat(arrived).hasSize(1);
            assertThat(arrived.get(0).firstDifferentRow(pages.get(0))).isEqualTo(-1);
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.done() && sender.done());
            assertThat(receiver.malformed()).isPositive();
            assertThat(receiver.otherTypes()).isGreaterThanOrEqualTo(80);
            assertThat(receiver.jitterStats().dropped()).isPositive();
            assertThat(receiver.jitterStats().resyncs()).isZero();
            assertThat(b.strangers()).isGreaterThanOrEqualTo(40);
        }
    }
}
