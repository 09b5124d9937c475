package dev.faxlan.lines.interop;

import dev.faxlan.lines.InboundFaxSink;
import dev.faxlan.lines.Lines;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.testkit.PortRetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Ports on 127.0.0.1 for the external SIP tools, which are all told their port up front: a port
 * from here is only good inside {@link PortRetry#onAddressInUse}, since another program may take
 * it before the tool binds it.
 */
public final class LoopbackPorts {

    public static final String HOST = "127.0.0.1";

    private LoopbackPorts() {
    }

    public static InetAddress loopback() {
        return address(HOST);
    }

    /** A UDP port that was free a moment ago (another process may still take it first). */
    public static int freeUdp() {
        return freeUdp(HOST);
    }

    /** A UDP port on {@code address} (e.g. 127.0.0.2) that was free a moment ago. */
    public static int freeUdp(String address) {
        return PortRetry.freeUdp(address(address));
    }

    /** A port free for both UDP and TCP a moment ago, for servers that listen on both (SIP does). */
    public static int freeUdpAndTcp() {
        return PortRetry.freeUdpAndTcp(loopback());
    }

    /**
     * Waits until {@code process} itself has bound UDP {@code port}, so a client started next does
     * not send into nothing (or into another program that took the port). Throws
     * {@link PortRetry.PortTaken} if the process ended saying the port was in use, and fails if it
     * ended otherwise or {@code limit} passes (hang protection).
     */
    public static void awaitUdpBound(Process process, int port, Duration limit, Supplier<String> output)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!PortRetry.udpBoundBy(process.pid(), loopback(), port)) {
            if (!process.isAlive()) {
                String out = output.get();
                if (PortRetry.inUse(out)) {
                    throw new PortRetry.PortTaken("UDP port " + port + " was taken by another program\n" + out);
                }
                throw new IllegalStateException("process ended (exit " + process.exitValue() + ") before binding UDP port " + port + "\n" + out);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("UDP port " + port + " not bound within " + limit + "\n" + output.get());
            }
            Thread.sleep(20);
        }
    }

    /**
     * Starts faxlan's lines with {@code sip.port} set to a free port on {@code config}, again on
     * another if that one was taken before the lines bound it ({@code sip.port} must be a number).
     */
    public static Lines startLines(Properties config, InboundFaxSink sink, String userAgent) throws IOException {
        return PortRetry.onAddressInUse("faxlan lines", attempt -> {
            config.setProperty("sip.port", Integer.toString(freeUdp(config.getProperty("sip.bind", HOST))));
            return Lines.start(LinesConfig.parse(config), sink, userAgent);
        });
    }

    private static InetAddress address(String name) {
        try {
            return InetAddress.getByName(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
