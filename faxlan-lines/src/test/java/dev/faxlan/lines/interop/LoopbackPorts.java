package dev.faxlan.lines.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Supplier;

/** Ports on 127.0.0.1 for the external SIP tools, which are all told their port up front. */
public final class LoopbackPorts {

    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    public static InetAddress loopback() {
        try {
            return InetAddress.getByName(HOST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A UDP port that was free a moment ago (another process may still take it first). */
    public static int freeUdp() {
        return freeUdp(HOST);
    }

    /** A UDP port on {@code address} (e.g. 127.0.0.2) that was free a moment ago. */
    public static int freeUdp(String address) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free for both UDP and TCP, for servers that listen on both (SIP does). */
    public static int freeUdpAndTcp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(loopback(), 0));
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback(), tcp.getLocalPort()))) {
                    return udp.getLocalPort();
                } catch (BindException taken) {
                    // UDP side in use; try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP on " + HOST);
    }

    /** Whether some socket is bound to UDP {@code port} on the loopback address (or the wildcard). */
    public static boolean udpBound(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(loopback(), port))) {
            return false;
        } catch (BindException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a process has bound UDP {@code port}, so a client started next does not send
     * into nothing. Fails if {@code alive} turns false or {@code limit} passes (hang protection).
     */
    public static void awaitUdpBound(int port, Supplier<Boolean> alive, Duration limit, Supplier<String> context)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!udpBound(port)) {
            if (!alive.get()) {
                throw new IllegalStateException("process ended before binding UDP port " + port + "\n" + context.get());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("UDP port " + port + " not bound within " + limit + "\n" + context.get());
            }
            Thread.sleep(20);
        }
    }
}
