package dev.faxlan.lines.interop;

import dev.faxlan.testkit.ExternalTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A tshark packet capture on the loopback interface, limited to given UDP ports, decoded as SIP.
 *
 * <pre>{@code
 * try (TsharkCapture capture = TsharkCapture.start(kamailio.port(), sippPort)) {
 *     ... run the exchange ...
 *     List<TsharkCapture.SipRecord> sip = capture.sip();   // stops the capture, then decodes
 * }
 * }</pre>
 *
 * <p>{@link #start} returns once tshark reports "Capturing on". To be sure the last packets of an
 * exchange are in the file before it stops, the capture also listens on a marker port of its own:
 * {@link #stop} sends one datagram there and waits until tshark has seen it. Decoding runs
 * {@code tshark -r} with the ports declared as SIP ({@code -d udp.port==N,sip}), so SIP on any
 * port is dissected, SDP included. The pcapng file stays in {@code target/sip-interop/} for
 * inspection with Wireshark. Capturing needs root or the capture capabilities; without them the
 * test is skipped (failed on CI).
 */
public final class TsharkCapture implements AutoCloseable {

    private static final Path WORK = Path.of("target", "sip-interop");
    private static final Duration LIMIT = Duration.ofSeconds(15);
    // Multiple occurrences of a field are joined with this; it cannot occur in SIP or SDP text.
    private static final String AGGREGATOR = "\u001f";
    private static final String[] FIELDS = {
        "frame.number", "udp.srcport", "udp.dstport", "sip.Method", "sip.Status-Code", "sip.Call-ID",
        "sip.CSeq", "sdp.media", "sdp.media_attr"};

    private final Path tshark;
    private final Path file;
    private final List<Integer> ports;
    private final Process process;
    private final DatagramSocket marker;
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch capturing = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger markers = new java.util.concurrent.atomic.AtomicInteger();
    private boolean stopped;

    private TsharkCapture(Path tshark, Path file, List<Integer> ports, DatagramSocket marker) throws IOException {
        this.tshark = tshark;
        this.file = file;
        this.ports = ports;
        this.marker = marker;
        String filter = ports.stream().map(p -> "udp port " + p).collect(Collectors.joining(" or "))
                + " or udp port " + marker.getLocalPort();
        // -P -l -T fields: also print each packet's destination port as it arrives, to spot the marker.
        this.process = new ProcessBuilder(tshark.toString(), "-i", "lo", "-f", filter, "-w", file.toString(),
                "-P", "-l", "-T", "fields", "-e", "udp.dstport")
                .start();
        daemon("tshark-stderr", () -> pump(process.getErrorStream(), stderr, false));
        daemon("tshark-stdout", () -> pump(process.getInputStream(), stdout, true));
    }

    private static void daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    /** Starts capturing UDP to or from {@code udpPorts} on lo; returns once tshark is capturing. */
    public static TsharkCapture start(int... udpPorts) throws IOException, InterruptedException {
        if (udpPorts.length == 0) {
            throw new IllegalArgumentException("no ports to capture");
        }
        Path tshark = ExternalTool.require("tshark", "the Debian package tshark");
        Files.createDirectories(WORK);
        Path file = Files.createTempDirectory(WORK, "capture-").toAbsolutePath().resolve("capture.pcapng");
        DatagramSocket marker = new DatagramSocket(new InetSocketAddress(LoopbackPorts.loopback(), 0));
        TsharkCapture c = new TsharkCapture(tshark, file, Arrays.stream(udpPorts).boxed().toList(), marker);
        boolean started = c.capturing.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (!started || !c.process.isAlive()) {
            c.process.destroyForcibly();
            c.process.waitFor(5, TimeUnit.SECONDS);
            marker.close();
            String err = String.join("\n", c.stderr);
            if (err.contains("ermission") || err.contains("don't have permission")) {
                throw ExternalTool.unavailable("tshark cannot capture on lo: " + err);
            }
            throw new IllegalStateException("tshark did not start capturing within " + LIMIT + ":\n" + err);
        }
        // "Capturing on" can come before the filter is live: only a marker datagram seen proves it is.
        if (!c.markerSeen("start of capture")) {
            c.process.destroyForcibly();
            marker.close();
            throw new IllegalStateException("tshark did not see a datagram within " + LIMIT + ":\n" + String.join("\n", c.stderr));
        }
        return c;
    }

    /** Sends marker datagrams until tshark reports one more than it had seen; false after {@link #LIMIT}. */
    private boolean markerSeen(String text) throws IOException, InterruptedException {
        byte[] ping = text.getBytes(StandardCharsets.US_ASCII);
        long until = System.currentTimeMillis() + LIMIT.toMillis();
        synchronized (markers) {
            int before = markers.get();
            while (markers.get() == before) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) return false;
                marker.send(new DatagramPacket(ping, ping.length, marker.getLocalSocketAddress()));
                markers.wait(Math.min(left, 200));
            }
        }
        return true;
    }

    private void pump(InputStream in, List<String> into, boolean watchMarker) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                into.add(line);
                if (!watchMarker && line.contains("Capturing on")) {
                    capturing.countDown();
                }
                if (watchMarker && line.strip().equals(Integer.toString(marker.getLocalPort()))) {
                    synchronized (markers) {
                        markers.incrementAndGet();
                        markers.notifyAll();
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** The capture file (pcapng). */
    public Path file() {
        return file;
    }

    /** Stops capturing after every packet sent so far is in the file. Idempotent. */
    public void stop() throws IOException, InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (!markerSeen("end of capture")) {
                throw new IllegalStateException("tshark did not see the end-of-capture datagram within " + LIMIT
                        + ":\n" + String.join("\n", stderr));
            }
        } finally {
            marker.close();
            process.destroy(); // SIGTERM: tshark stops dumpcap and closes the file
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    /** Stops the capture if still running and returns its SIP messages in capture order. */
    public List<SipRecord> sip() throws IOException, InterruptedException {
        stop();
        List<String> command = new ArrayList<>(List.of(tshark.toString(), "-r", file.toString()));
        for (int p : ports) {
            command.addAll(List.of("-d", "udp.port==" + p + ",sip"));
        }
        command.addAll(List.of("-Y", "sip", "-T", "fields", "-E", "separator=|", "-E", "occurrence=a",
                "-E", "aggregator=" + AGGREGATOR, "-E", "quote=n", "-E", "header=n"));
        for (String f : FIELDS) {
            command.addAll(List.of("-e", f));
        }
        ExternalTool.Result r = ExternalTool.run(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("tshark -r failed (" + r.exitCode() + "): " + r.stderr());
        }
        return r.stdout().lines().filter(l -> !l.isBlank()).map(TsharkCapture::parse).toList();
    }

    static SipRecord parse(String line) {
        String[] f = line.split("\\|", -1);
        if (f.length < FIELDS.length) {
            throw new IllegalArgumentException("expected " + FIELDS.length + " fields: " + line);
        }
        return new SipRecord(Integer.parseInt(f[0]), intOr(f[1]), intOr(f[2]), f[3].isEmpty() ? null : f[3],
                intOr(f[4]), f[5], f[6], split(f[7]), split(f[8]));
    }

    private static int intOr(String s) {
        return s.isEmpty() ? -1 : Integer.parseInt(s.split(AGGREGATOR)[0]);
    }

    private static List<String> split(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(AGGREGATOR));
    }

    /**
     * One SIP message as tshark decoded it. {@code method} is null for a response and
     * {@code status} is -1 for a request. {@code media} holds SDP {@code m=} values
     * (e.g. {@code image 6000 udptl t38}), {@code mediaAttributes} the media-level {@code a=}
     * values (e.g. {@code T38FaxVersion:0}).
     */
    public record SipRecord(int frame, int srcPort, int dstPort, String method, int status, String callId,
            String cseq, List<String> media, List<String> mediaAttributes) {

        public boolean isRequest() {
            return method != null;
        }

        /** The method of a request or the status code of a response, e.g. {@code REGISTER} or {@code 401}. */
        public String label() {
            return isRequest() ? method : Integer.toString(status);
        }
    }
}
