package dev.faxlan.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UDP relay in front of a server that passes the server's first {@code budget} bytes to its clients
 * and drops the rest, so a transfer stalls part-way at a point the test does not have to race for.
 * Clients send to {@link #address()}; each client gets its own socket towards the server, as a NAT
 * would give it. Binds port 0: the ports are the sockets' own, never picked ahead.
 */
public final class DatagramRelay implements AutoCloseable {
    private final InetSocketAddress server;
    private final AtomicLong budget;
    private final DatagramSocket front;
    private final Map<SocketAddress, DatagramSocket> towardsServer = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public DatagramRelay(InetSocketAddress server, long budget) throws SocketException {
        this.server = server;
        this.budget = new AtomicLong(budget);
        this.front = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        thread("relay to " + server, this::fromClients);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) front.getLocalSocketAddress();
    }

    /** From now on everything the server sends is dropped, as if its answers were lost on the way. */
    public void dropServerBytes() {
        budget.set(-1);
    }

    /** Server bytes that may still pass; once below zero, everything the server sends is dropped. */
    long budgetLeft() {
        return budget.get();
    }

    private void fromClients() {
        byte[] buf = new byte[65_536];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                front.receive(p);
                SocketAddress client = p.getSocketAddress();
                DatagramSocket back = towardsServer.computeIfAbsent(client, this::openTowardsServer);
                back.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), server));
            } catch (IOException | RuntimeException e) {
                if (!closed) throw new IllegalStateException("relay to " + server + " failed", e);
            }
        }
    }

    private DatagramSocket openTowardsServer(SocketAddress client) {
        try {
            DatagramSocket back = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            thread("relay from " + server + " to " + client, () -> fromServer(back, client));
            return back;
        } catch (SocketException e) {
            throw new IllegalStateException("cannot open a socket towards " + server, e);
        }
    }

    private void fromServer(DatagramSocket back, SocketAddress client) {
        byte[] buf = new byte[65_536];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                back.receive(p);
                if (budget.addAndGet(-p.getLength()) < 0) continue;
                front.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), client));
            } catch (IOException e) {
                if (!closed) throw new IllegalStateException("relay from " + server + " to " + client + " failed", e);
            }
        }
    }

    private static void thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        front.close();
        towardsServer.values().forEach(DatagramSocket::close);
    }
}
