package dev.faxlan.lines.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The UDP socket of one call's media (UDPTL, or RTP). Accepts datagrams only from the host the peer's
 * SDP named, so a stray sender elsewhere cannot inject IFPs; when that host sends from another port
 * than it advertised (a NAT), replies follow the port it really uses, as symmetric-RTP gateways
 * expect. With {@link #latchFirstSource()} (RTP) the first source from that host is kept for the
 * call: a second sender there (another process on the same host or behind the same NAT) is ignored.
 */
final class MediaSocket implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread reader;
    private volatile InetSocketAddress peer;
    private volatile Consumer<byte[]> sink = d -> {};
    private volatile boolean latchOnce;
    private volatile boolean latched;
    /** The source latched while the call was in audio; after a switch to T.38 its late RTP is not the peer. */
    private volatile InetSocketAddress latchedSource;
    private volatile InetSocketAddress formerAudio;
    private volatile long strangers;
    /** The source media came from before a {@link #repoint}: early media left behind, never followed again. */
    private volatile InetSocketAddress leftBehind;

    /** @param ports the range the socket binds in ({@code sip.media-ports}) */
    MediaSocket(InetAddress bind, MediaPorts ports, String name) throws SocketException {
        this.socket = ports.bind(bind);
        this.reader = new Thread(this::read, name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Where media goes and comes from: the peer's SDP connection address and port. */
    void peer(InetSocketAddress p) {
        this.peer = p;
    }

    /**
     * The peer's media moved (an answer naming other media than the early media before it): media go
     * there now, and the first source from its host is latched anew.
     */
    void repoint(InetSocketAddress p) {
        InetSocketAddress old = peer;
        if (old != null && !old.equals(p)) leftBehind = old;
        this.peer = p;
        this.latched = false;
    }

    /** From the next datagram on, the first source from the peer's host is the only one accepted. */
    void latchFirstSource() {
        latchOnce = true;
    }

    /**
     * The call leaves its audio for T.38 (whose peer is then set anew): the latch is dropped, and the RTP
     * source that was latched is no longer heard, unless the new peer uses that very port (gateways that
     * keep one port for both). Its packets still in flight, or an audio side that does not stop at once,
     * would otherwise draw the replies to its port (the NAT rule above).
     */
    void leaveAudio(InetSocketAddress newPeer) {
        formerAudio = newPeer.equals(latchedSource) ? null : latchedSource;
        latchOnce = false;
        latched = false;
        latchedSource = null;
    }

    /** Datagrams dropped because they came from elsewhere than the peer (or, once latched, its latched port). */
    long strangers() {
        return strangers;
    }

    void sink(Consumer<byte[]> s) {
        this.sink = s;
    }

    void send(byte[] datagram) {
        InetSocketAddress p = peer;
        if (p == null || socket.isClosed()) return;
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, p));
        } catch (IOException e) {
            // UDP: an ICMP error or a full buffer is loss, which UDPTL redundancy and T.30 already handle.
        }
    }

    private void read() {
        byte[] buf = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!socket.isClosed()) {
            try {
                packet.setLength(buf.length);
                socket.receive(packet);
                InetSocketAddress p = peer;
                InetSocketAddress gone = leftBehind;
                if (p == null || !p.getAddress().equals(packet.getAddress()) || latched && p.getPort() != packet.getPort()
                        || gone != null && gone.getPort() == packet.getPort() && gone.getAddress().equals(packet.getAddress())) {
                    strangers++;
                    continue;
                }
                InetSocketAddress former = formerAudio;
                if (former != null && former.getPort() == packet.getPort() && former.getAddress().equals(packet.getAddress())) {
                    strangers++;
                    continue;
                }
                if (p.getPort() != packet.getPort()) peer = new InetSocketAddress(packet.getAddress(), packet.getPort());
                if (latchOnce && !latched) {
                    latchedSource = new InetSocketAddress(packet.getAddress(), packet.getPort());
                    latched = true;
                }
                sink.accept(Arrays.copyOf(buf, packet.getLength()));
            } catch (IOException e) {
                if (socket.isClosed()) return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
