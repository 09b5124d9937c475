package dev.faxlan.bench.cpi;

import dev.faxlan.sdk.FaxlanClient;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Upload throughput of CPI against plain TCP over the same path, in the same run (bench/cpi-upload.sh).
 *
 * <ul>
 *   <li>{@code tcp-sink PORT}: accepts connections forever; reads each to EOF, answers the byte count (8 bytes).
 *   <li>{@code run --host H --cpi-port P --tcp-port Q --size-mb N --runs R --label L}: makes an N MB random file and,
 *       R times, sends it over TCP (java.net.Socket, 64 KB writes, waits for the sink's count) and uploads it with
 *       {@link FaxlanClient#upload} (SHA-256 of the file, upload.begin, the data stream, the server's hash check and
 *       spool commit: what a user waits for). The file's first bytes change per run so the server never dedups it.
 *       Credentials from FAXLAN_USER / FAXLAN_PASSWORD. Prints each run and a median line.
 * </ul>
 */
public final class UploadBench {
    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("tcp-sink")) {
            tcpSink(Integer.parseInt(args[1]));
            return;
        }
        if (args.length < 1 || !args[0].equals("run")) {
            System.err.println("usage: UploadBench tcp-sink PORT | run --host H --cpi-port P --tcp-port Q --size-mb N --runs R --label L");
            System.exit(2);
        }
        String host = "127.0.0.1";
        int cpiPort = 4644;
        int tcpPort = 5001;
        int sizeMb = 50;
        int runs = 3;
        String label = "path";
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--cpi-port" -> cpiPort = Integer.parseInt(args[++i]);
                case "--tcp-port" -> tcpPort = Integer.parseInt(args[++i]);
                case "--size-mb" -> sizeMb = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--label" -> label = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        long size = (long) sizeMb << 20;
        Path file = Files.createTempFile("uploadbench", ".bin");
        try {
            fill(file, size);
            char[] pw = System.getenv("FAXLAN_PASSWORD").toCharArray();
            try (FaxlanClient client = FaxlanClient.builder().server(host, cpiPort).user(System.getenv("FAXLAN_USER")).password(pw)
                    .timeout(Duration.ofSeconds(60)).build()) {
                client.login();
                // Warm-up (JIT on both ends, connection, session, congestion state): one full-size transfer each way, not counted.
                tcp(host, tcpPort, file);
                client.upload(file, b -> {});
                List<Double> tcp = new ArrayList<>();
                List<Double> cpi = new ArrayList<>();
                for (int r = 1; r <= runs; r++) {
                    double t = mbps(size, tcp(host, tcpPort, file));
                    stamp(file);
                    long[] marks = new long[2]; // first bytes handed to QUIC, last bytes handed to QUIC
                    long t0 = System.nanoTime();
                    client.upload(file, b -> {
                        long now = System.nanoTime();
                        if (marks[0] == 0) marks[0] = now;
                        if (b >= size) marks[1] = now;
                    });
                    long t1 = System.nanoTime();
                    double c = mbps(size, t1 - t0);
                    tcp.add(t);
                    cpi.add(c);
                    // Phases of the CPI upload: before the first byte moves (SHA-256 of the file, upload.begin), while bytes
                    // move, and after the last byte was handed to QUIC (delivery, the server's hash check and commit).
                    System.out.printf(Locale.ROOT, "%s run %d: tcp %.1f MB/s  cpi %.1f MB/s  ratio %.2f   (cpi phases: start %d ms, data %d ms, finish %d ms)%n",
                            label, r, t, c, c / t, (marks[0] - t0) / 1_000_000, (marks[1] - marks[0]) / 1_000_000, (t1 - marks[1]) / 1_000_000);
                }
                double mt = median(tcp);
                double mc = median(cpi);
                System.out.printf(Locale.ROOT, "RESULT %s: size %d MB, %d runs, median tcp %.1f MB/s, median cpi %.1f MB/s, cpi/tcp %.2f%n",
                        label, sizeMb, runs, mt, mc, mc / mt);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static void fill(Path file, long size) throws IOException {
        SecureRandom rnd = new SecureRandom();
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += buf.length) {
                rnd.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, size - done));
            }
        }
    }

    /** New random first 16 bytes: a new SHA-256, so the server must take every byte again. */
    static void stamp(Path file) throws IOException {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(b), 0);
        }
    }

    /** Sends the file over TCP and waits for the sink's count; returns elapsed nanoseconds. */
    static long tcp(String host, int port, Path file) throws IOException {
        long size = Files.size(file);
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 10_000);
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = Files.newInputStream(file)) {
                for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
            }
            out.flush();
            s.shutdownOutput();
            long got = new DataInputStream(s.getInputStream()).readLong();
            if (got != size) throw new IOException("tcp sink got " + got + " of " + size + " bytes");
        }
        return System.nanoTime() - t0;
    }

    static void tcpSink(int port) throws IOException {
        try (ServerSocket ss = new ServerSocket()) {
            ss.bind(new InetSocketAddress(port));
            System.out.println("tcp sink on " + ss.getLocalSocketAddress());
            System.out.flush();
            while (true) {
                Socket s = ss.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[64 * 1024];
                        long n = 0;
                        for (int r; (r = in.read(buf)) > 0; ) n += r;
                        DataOutputStream out = new DataOutputStream(s.getOutputStream());
                        out.writeLong(n);
                        out.flush();
                    } catch (IOException e) {
                        System.err.println("tcp sink: " + e);
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }
    }

    static double mbps(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
