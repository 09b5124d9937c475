package dev.faxlan.engine.interop;

import dev.faxlan.engine.fax.CallScheduler;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.T38Terminal;
import dev.faxlan.engine.fax.T38Call;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Our engine as the other end of a spandsp peer: a {@link T38Terminal} in a {@link T38Call} on a UDP
 * socket of loopback, driven by a {@link CallScheduler} on a clock running {@code speed} times real
 * time (the spandsp peer gets the same --speed). Records every event and the send times of IFPs.
 */
final class FaxlanPeer implements AutoCloseable {
    final DatagramSocket socket;
    final CallScheduler scheduler;
    final List<FaxEvent> events = new ArrayList<>();
    final CountDownLatch completed = new CountDownLatch(1);
    private final long t0 = System.nanoTime();
    private final double speed;
    T38Terminal session;
    T38Call call;
    /** Share of our outgoing datagrams dropped at random (a lossy path without root). */
    double dropPercent;
    long dropSeed = 1;
    int sent;
    int dropped;

    FaxlanPeer(int localPort, double speed) throws IOException {
        this.speed = speed;
        this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort));
        this.scheduler = new CallScheduler("faxlan-peer", this::clock, speed);
    }

    /** The UDP port our side listens on. */
    int port() {
        return socket.getLocalPort();
    }

    long clock() {
        return (long) ((System.nanoTime() - t0) / 1_000_000.0 * speed);
    }

    /** Starts {@code make(now, events)} talking to the spandsp peer on {@code remotePort}. */
    void start(Function<Consumer<FaxEvent>, T38Terminal> make, int remotePort, int version, int redundancy) {
        Consumer<FaxEvent> sink = e -> {
            synchronized (events) {
                events.add(e);
            }
            if (e instanceof FaxEvent.Completed) completed.countDown();
        };
        session = make.apply(sink);
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), remotePort);
        java.util.Random random = new java.util.Random(dropSeed);
        call = new T38Call(session, d -> {
            sent++;
            if (random.nextDouble() * 100 < dropPercent) {
                dropped++;
                return;
            }
            try {
                socket.send(new DatagramPacket(d, d.length, to));
            } catch (IOException e) {
                // UDP: a failed send is a lost packet
            }
        }, version, redundancy, 400);
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (IOException e) {
                    return;
                }
                // Only our peer's datagrams: cells run in parallel, and a finished cell's spandsp may still
                // retransmit to the port this socket was given after that cell closed it.
                if (p.getPort() != remotePort) continue;
                scheduler.deliver(call, Arrays.copyOf(p.getData(), p.getLength()));
            }
        }, "faxlan-peer-rx");
        reader.setDaemon(true);
        reader.start();
        scheduler.add(call);
    }

    boolean await(long seconds) throws InterruptedException {
        if (!completed.await(seconds, TimeUnit.SECONDS)) return false;
        // Let the last IFPs (DCN, MCF) leave before the socket closes.
        long until = System.nanoTime() + 2_000_000_000L;
        while (!session.done() && System.nanoTime() < until) Thread.sleep(5);
        return true;
    }

    List<FaxEvent> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    @Override
    public void close() {
        scheduler.close();
        socket.close();
    }
}
