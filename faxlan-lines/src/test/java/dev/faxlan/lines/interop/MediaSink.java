package dev.faxlan.lines.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDP socket a test names as the media address in an SDP offer ({@code c=}/{@code m=}), counting
 * every datagram that arrives: where a fax server's UDPTL would land. Bound on any address of
 * 127.0.0.0/8, so it can stand for the caller itself or for a third party the caller points at.
 */
public final class MediaSink implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread reader;
    private final List<InetSocketAddress> senders = new ArrayList<>();

    public MediaSink(String address) {
        try {
            this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.reader = new Thread(this::read, "media-sink-" + address);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    public String host() {
        return socket.getLocalAddress().getHostAddress();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Datagrams received so far. */
    public synchronized int count() {
        return senders.size();
    }

    /** Where the datagrams came from, in order. */
    public synchronized List<InetSocketAddress> senders() {
        return List.copyOf(senders);
    }

    /** Waits until at least {@code n} datagrams have arrived; false if {@code limit} passed first (hang protection only). */
    public synchronized boolean awaitCount(int n, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (senders.size() < n) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) return false;
            wait(left);
        }
        return true;
    }

    private void read() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException e) {
                return; // closed
            } catch (IOException e) {
                continue;
            }
            synchronized (this) {
                senders.add(new InetSocketAddress(p.getAddress(), p.getPort()));
                notifyAll();
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "MediaSink[" + host() + ":" + port() + ", " + count() + " datagrams]";
    }
}
