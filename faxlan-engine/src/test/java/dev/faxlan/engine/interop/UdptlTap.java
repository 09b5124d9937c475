package dev.faxlan.engine.interop;

import dev.faxlan.engine.t38.IfpCodec;
import dev.faxlan.engine.t38.T38FormatException;
import dev.faxlan.engine.t38.UdptlCodec;
import dev.faxlan.engine.t38.UdptlPacket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A UDP relay between two peers on loopback that decodes every datagram it forwards with
 * faxlan's {@link UdptlCodec} and {@link IfpCodec}, and checks each secondary IFP against the
 * primary it repeats. Datagrams are forwarded unchanged whether or not they decode.
 *
 * <p>Peer A sends to {@link #portForA()} and peer B to {@link #portForB()}; the tap forwards
 * to A's and B's own ports from the socket the other peer's traffic arrives on, so each peer
 * sees its datagrams come from the port it sends to.
 */
public final class UdptlTap implements AutoCloseable {

    /** What one direction carried. */
    public record Stats(int datagrams, int repeats, int ifps, int secondariesChecked, List<String> problems) {}

    private final DatagramSocket forA;
    private final DatagramSocket forB;
    private final Direction aToB;
    private final Direction bToA;
    private final int version;

    public UdptlTap(int version) throws SocketException {
        this.version = version;
        InetAddress lo = InetAddress.getLoopbackAddress();
        forA = new DatagramSocket(new InetSocketAddress(lo, 0));
        forB = new DatagramSocket(new InetSocketAddress(lo, 0));
        forA.setSoTimeout(100);
        forB.setSoTimeout(100);
        aToB = new Direction("A->B");
        bToA = new Direction("B->A");
    }

    public int portForA() {
        return forA.getLocalPort();
    }

    public int portForB() {
        return forB.getLocalPort();
    }

    /** Starts forwarding to peer A at {@code aPort} and peer B at {@code bPort}. */
    public void start(int aPort, int bPort) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        aToB.start(forA, forB, new InetSocketAddress(lo, bPort));
        bToA.start(forB, forA, new InetSocketAddress(lo, aPort));
    }

    public Stats aToB() {
        return aToB.stats();
    }

    public Stats bToA() {
        return bToA.stats();
    }

    @Override
    public void close() throws InterruptedException {
        aToB.stop();
        bToA.stop();
        forA.close();
        forB.close();
    }

    private final class Direction implements Runnable {
        private final String name;
        private final Map<Integer, byte[]> primaries = new HashMap<>();
        private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean running;
        private Thread thread;
        private DatagramSocket in;
        private DatagramSocket out;
        private InetSocketAddress to;
        private byte[] last;
        private int datagrams;
        private int repeats;
        private int ifps;
        private int secondariesChecked;

        Direction(String name) {
            this.name = name;
        }

        void start(DatagramSocket in, DatagramSocket out, InetSocketAddress to) {
            this.in = in;
            this.out = out;
            this.to = to;
            running = true;
            thread = new Thread(this, "udptl-tap " + name);
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join(2000);
            }
        }

        synchronized Stats stats() {
            return new Stats(datagrams, repeats, ifps, secondariesChecked, List.copyOf(problems));
        }

        @Override
        public void run() {
            byte[] buf = new byte[65536];
            while (running) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    in.receive(p);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    if (running) {
                        problems.add(name + ": receive failed: " + e);
                    }
                    return;
                }
                byte[] d = Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
                inspect(d);
                try {
                    out.send(new DatagramPacket(d, d.length, to));
                } catch (IOException e) {
                    problems.add(name + ": forward failed: " + e);
                }
            }
        }

        private synchronized void inspect(byte[] d) {
            datagrams++;
            if (Arrays.equals(d, last)) {
                repeats++;
                return;
            }
            last = d;
            UdptlPacket packet;
            try {
                packet = UdptlCodec.decode(d);
            } catch (T38FormatException e) {
                problems.add(name + ": UDPTL " + hex(d) + ": " + e.getMessage());
                return;
            }
            int seq = packet.seq();
            decodeIfp(seq, "primary", packet.primary());
            primaries.put(seq, packet.primary());
            ifps++;
            if (packet.recovery() instanceof UdptlPacket.Redundancy r) {
                for (int i = 0; i < r.secondaries().size(); i++) {
                    int s = (seq - 1 - i) & 0xFFFF;
                    byte[] secondary = r.secondaries().get(i);
                    decodeIfp(seq, "secondary " + i, secondary);
                    byte[] seen = primaries.get(s);
                    if (seen != null) {
                        secondariesChecked++;
                        if (!Arrays.equals(seen, secondary)) {
                            problems.add(name + ": seq " + seq + " secondary " + i + " " + hex(secondary)
                                    + " differs from primary of seq " + s + " " + hex(seen));
                        }
                    }
                }
            }
        }

        private void decodeIfp(int seq, String what, byte[] ifp) {
            try {
                IfpCodec.decode(ifp, version);
            } catch (T38FormatException e) {
                problems.add(name + ": seq " + seq + " " + what + " IFP " + hex(ifp) + ": " + e.getMessage());
            }
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 24); i++) {
            s.append(String.format("%02x", b[i] & 0xFF));
        }
        return b.length > 24 ? s + "…(" + b.length + ")" : s.toString();
    }
}
