package dev.faxlan.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Ports for tests that must tell a program its port in advance (SIPp, Kamailio, spandsp peers, a
 * server configured with a fixed port). A port found free can be taken by any other program before
 * ours binds it, so such a start goes through {@link #onAddressInUse}: it is tried again on fresh
 * ports when the bind fails, a bounded number of times. Where the program can bind port 0 and
 * report the port it got, tests do that instead and need none of this.
 *
 * <pre>{@code
 * Process p = PortRetry.onAddressInUse("sipp", attempt -> {
 *     int port = PortRetry.freeUdp(loopback);
 *     ... start, and throw new PortRetry.PortTaken(...) if its output says the port was taken
 * });
 * }</pre>
 */
public final class PortRetry {
    /** Tries in all: a port taken between our check and the program's bind is rare; five in a row is not bad luck. */
    public static final int ATTEMPTS = 5;

    // "Address already in use" (Java, glibc strerror), errno 98 (EADDRINUSE on Linux, as SIPp prints it),
    // "Unable to bind" (SIPp), "bind failed"/"bind: " (C programs that print the call that failed).
    private static final Pattern IN_USE = Pattern.compile(
            "address already in use|errno\\s*=?\\s*98\\b|eaddrinuse|unable to bind|bind failed|bind\\(\\) failed",
            Pattern.CASE_INSENSITIVE);

    private PortRetry() {}

    /** One try at starting something on ports it chooses; {@code attempt} counts from 1. */
    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        T start(int attempt) throws E;
    }

    /** A program could not bind the port it was given because another program holds it. */
    public static final class PortTaken extends RuntimeException {
        public PortTaken(String message) {
            super(message);
        }

        public PortTaken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs {@code attempt} until it does not fail for a port in use: a {@link PortTaken}, or any
     * exception with a {@link BindException} (or an "address in use" message) in its cause chain.
     * Other failures pass through at once. After {@link #ATTEMPTS} tries the last failure is thrown,
     * wrapped in a {@link PortTaken} that says how many tries were made.
     */
    public static <T, E extends Exception> T onAddressInUse(String what, Attempt<T, E> attempt) throws E {
        return onAddressInUse(what, ATTEMPTS, attempt);
    }

    /** {@link #onAddressInUse(String, Attempt)} with a given number of tries. */
    public static <T, E extends Exception> T onAddressInUse(String what, int attempts, Attempt<T, E> attempt) throws E {
        if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        for (int i = 1; ; i++) {
            try {
                return attempt.start(i);
            } catch (Exception e) {
                if (!inUse(e)) throw e;
                if (i == attempts) {
                    throw new PortTaken(what + ": the port was in use on each of " + attempts + " tries, each on fresh ports; last: "
                            + e.getMessage(), e);
                }
                System.err.println(what + ": port in use on try " + i + " of " + attempts + ", trying fresh ports (" + e.getMessage() + ")");
            }
        }
    }

    /** Whether {@code failure} (or a cause) says a port was in use. */
    public static boolean inUse(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PortTaken || t instanceof BindException) return true;
            if (t.getMessage() != null && inUse(t.getMessage())) return true;
        }
        return false;
    }

    /** Whether a program's output says it could not bind because the address was in use. */
    public static boolean inUse(String output) {
        return output != null && IN_USE.matcher(output).find();
    }

    /** A UDP port on {@code address} that was free a moment ago: pass it on only inside {@link #onAddressInUse}. */
    public static int freeUdp(InetAddress address) {
        return freeUdp(address, 1)[0];
    }

    /** {@code n} distinct UDP ports on {@code address} that were free a moment ago (all held until all are found). */
    public static int[] freeUdp(InetAddress address, int n) {
        List<DatagramSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, 0));
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free UDP port on " + address.getHostAddress(), e);
        } finally {
            held.forEach(DatagramSocket::close);
        }
    }

    /** A port on {@code address} free for both UDP and TCP a moment ago, for servers that listen on both (SIP does). */
    public static int freeUdpAndTcp(InetAddress address) {
        for (int tries = 0; tries < 50; tries++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.setReuseAddress(false);
                tcp.bind(new InetSocketAddress(address, 0));
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, tcp.getLocalPort()))) {
                    return udp.getLocalPort();
                } catch (BindException taken) {
                    // the UDP side is in use: another
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free TCP port on " + address.getHostAddress(), e);
            }
        }
        throw new IllegalStateException("no port free for both UDP and TCP on " + address.getHostAddress() + " in 50 tries");
    }

    /**
     * Whether the process {@code pid} itself holds a UDP socket bound to {@code port} (on Linux, from
     * /proc: the sockets in {@code /proc/PID/fd} against {@code /proc/net/udp} and {@code udp6}). A
     * plain "is the port bound" check cannot tell our program's bind from another program's that took
     * the port first. Where /proc cannot be read, any socket on the port counts.
     */
    public static boolean udpBoundBy(long pid, InetAddress address, int port) {
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        Path udp = Path.of("/proc/net/udp");
        if (!Files.isDirectory(fds) || !Files.isReadable(udp)) return udpBound(address, port);
        Set<String> inodes = socketInodes(fds);
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (Path table : List.of(udp, Path.of("/proc/net/udp6"))) {
            try (Stream<String> lines = Files.lines(table)) {
                // "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"
                if (lines.skip(1).map(String::trim).map(l -> l.split("\\s+"))
                        .anyMatch(f -> f.length > 9 && f[1].endsWith(hexPort) && inodes.contains(f[9]))) {
                    return true;
                }
            } catch (IOException e) {
                // no udp6 table: IPv6 is off
            }
        }
        return false;
    }

    /** Whether some socket is bound to UDP {@code port} on {@code address} (or the wildcard). */
    public static boolean udpBound(InetAddress address, int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port))) {
            return false;
        } catch (BindException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> socketInodes(Path fds) {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> list = Files.list(fds)) {
            for (Path fd : list.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while we listed: not a bound socket
                }
            }
        } catch (IOException processEnded) {
            // the process ended: it holds nothing
        }
        return inodes;
    }
}
