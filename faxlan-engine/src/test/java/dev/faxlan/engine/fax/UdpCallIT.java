package dev.faxlan.engine.fax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two faxlan sessions over real UDP sockets on loopback, driven by one scheduler on a 10x clock. */
class UdpCallIT {
    static final double SPEED = 10;

    @Test
    void faxOverUdpLoopback() throws Exception {
        long t0 = System.nanoTime();
        long clockStart = 0;
        java.util.function.LongSupplier clock = () -> clockStart + (long) ((System.nanoTime() - t0) / 1_000_000.0 * SPEED);
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramSocket b = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                CallScheduler scheduler = new CallScheduler("fax-it", clock, SPEED)) {
            List<BilevelPage> pages = List.of(FaxSessionTest.page(196, 1), FaxSessionTest.page(196, 2));
            List<FaxEvent> rxEvents = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(2);
            T38Terminal sender = T38Terminal.send(pages, FaxOptions.defaults("111"), e -> {
                if (e instanceof FaxEvent.Completed) done.countDown();
            }, clock.getAsLong());
            T38Terminal receiver = T38Terminal.receive(FaxOptions.defaults("222"), e -> {
                synchronized (rxEvents) {
                    rxEvents.add(e);
                }
                if (e instanceof FaxEvent.Completed) done.countDown();
            }, clock.getAsLong());
            T38Call callA = new T38Call(sender, d -> send(a, d, b.getLocalPort()), 2, 3, 400);
            T38Call callB = new T38Call(receiver, d -> send(b, d, a.getLocalPort()), 2, 3, 400);
            pump(a, scheduler, callA);
            pump(b, scheduler, callB);
            scheduler.add(callA);
            scheduler.add(callB);
            assertThat(done.await(120, TimeUnit.SECONDS)).as("both ends completed").isTrue();
            assertThat(sender.result()).isEqualTo(FaxResult.OK);
            assertThat(receiver.result()).isEqualTo(FaxResult.OK);
            synchronized (rxEvents) {
                List<BilevelPage> got = rxEvents.stream().filter(e -> e instanceof FaxEvent.Page).map(e -> ((FaxEvent.Page) e).received().page()).toList();
                assertThat(got).hasSize(2);
                assertThat(got.get(0).firstDifferentRow(pages.get(0))).isEqualTo(-1);
                assertThat(got.get(1).firstDifferentRow(pages.get(1))).isEqualTo(-1);
            }
            System.out.printf("UDP call: %.1f s real, scheduler lateness max %d clock ms%n", (System.nanoTime() - t0) / 1e9, scheduler.lateMaxMs());
        }
    }

    static void send(DatagramSocket s, byte[] d, int port) {
        try {
            s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), port));
        } catch (java.io.IOException e) {
            // UDP: a failed send is a lost packet
        }
    }

    static void pump(DatagramSocket s, CallScheduler scheduler, T38Call call) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!s.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                } catch (SocketException closed) {
                    return;
                } catch (java.io.IOException e) {
                    return;
                }
                scheduler.deliver(call, java.util.Arrays.copyOf(p.getData(), p.getLength()));
            }
        }, "udp-rx");
        t.setDaemon(true);
        t.start();
    }
}
