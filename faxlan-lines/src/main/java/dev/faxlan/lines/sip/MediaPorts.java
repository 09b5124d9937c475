package dev.faxlan.lines.sip;

import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The UDP port range a server's call media (UDPTL, and the RTP of an audio answer) binds in,
 * {@code sip.media-ports}: a firewall or SBC can then open exactly this range. Each socket takes the next
 * free port after the last one handed out, wrapping round, so ports in use (by this server's other calls
 * or anyone else) are skipped and a port is not reused soon after a call ended.
 */
public final class MediaPorts {
    public static final int DEFAULT_FIRST = 20000;
    public static final int DEFAULT_LAST = 20999;
    /** Below this, ports are privileged or well known. */
    public static final int LOWEST = 1024;
    public static final String DEFAULT_TEXT = DEFAULT_FIRST + "-" + DEFAULT_LAST;

    private final int first;
    private final int last;
    private final AtomicInteger next;

    /** @throws IllegalArgumentException unless {@code LOWEST <= first <= last <= 65535} */
    public MediaPorts(int first, int last) {
        if (first < LOWEST || last > 65535 || first > last) {
            throw new IllegalArgumentException("a media port range is FIRST-LAST within " + LOWEST + "-65535, e.g. " + DEFAULT_TEXT);
        }
        this.first = first;
        this.last = last;
        // A random start, so that servers on one host (and restarts) do not all probe the same ports first.
        this.next = new AtomicInteger(ThreadLocalRandom.current().nextInt(size()));
    }

    public static MediaPorts defaults() {
        return new MediaPorts(DEFAULT_FIRST, DEFAULT_LAST);
    }

    /**
     * Parses {@code FIRST-LAST}.
     *
     * @throws IllegalArgumentException saying what a range looks like
     */
    public static MediaPorts parse(String text) {
        String[] parts = text.strip().split("-", -1);
        if (parts.length == 2) {
            try {
                return new MediaPorts(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("a media port range is FIRST-LAST within " + LOWEST + "-65535, e.g. " + DEFAULT_TEXT);
    }

    public int first() {
        return first;
    }

    public int last() {
        return last;
    }

    public int size() {
        return last - first + 1;
    }

    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /**
     * A UDP socket on {@code bind} at the next free port of the range.
     *
     * @throws SocketException when every port of the range is in use, saying so with the range and its size
     */
    DatagramSocket bind(InetAddress bind) throws SocketException {
        for (int tried = 0; tried < size(); tried++) {
            int port = first + Math.floorMod(next.getAndIncrement(), size());
            try {
                return new DatagramSocket(new InetSocketAddress(bind, port));
            } catch (BindException inUse) {
                // someone has it: the next one
            }
        }
        throw new SocketException("no free UDP port for call media in sip.media-ports=" + this + ": all " + size()
                + " ports are in use; widen the range (and the firewall's) or take fewer calls at once");
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
