package dev.faxlan.sdk;

import dev.faxlan.protocol.cbor.CborException;
import dev.faxlan.protocol.discovery.Discovery;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server enumeration: a padded discovery probe sent by UDP broadcast (IPv4) and link-local multicast
 * (IPv6, ff02::1 on each interface), answers collected until the timeout. As the seed warns, this finds
 * only servers on the same network segment; others are added by address.
 */
public final class ServerFinder {
    private ServerFinder() {}

    /** A server that answered: where from, and what it said. */
    public record Found(InetSocketAddress address, Discovery.Reply reply) {}

    /** Every IPv4 broadcast address of the interfaces that are up, plus 255.255.255.255 and ff02::1 per interface. */
    public static List<InetSocketAddress> defaultTargets(int port) throws IOException {
        Set<InetSocketAddress> out = new LinkedHashSet<>();
        out.add(new InetSocketAddress("255.255.255.255", port));
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) continue;
            for (InterfaceAddress a : nif.getInterfaceAddresses()) {
                if (a.getBroadcast() != null) out.add(new InetSocketAddress(a.getBroadcast(), port));
            }
            if (nif.supportsMulticast() && !nif.isLoopback()) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet6Address v6 && v6.isLinkLocalAddress()) {
                        out.add(new InetSocketAddress(Inet6Address.getByAddress(null, InetAddress.getByName("ff02::1").getAddress(), nif), port));
                        break;
                    }
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * A link-local IPv6 address as the socket reports it carries its zone as an interface index
     * ({@code fe80::1%2}); with the interface's name instead ({@code fe80::1%eth0}) it reads better and stays
     * valid when the indexes change.
     */
    static InetAddress zonedByName(InetAddress a) {
        if (!(a instanceof Inet6Address v6) || v6.getScopeId() == 0 || v6.getScopedInterface() != null) return a;
        try {
            NetworkInterface nif = NetworkInterface.getByIndex(v6.getScopeId());
            return nif == null ? a : Inet6Address.getByAddress(null, v6.getAddress(), nif);
        } catch (IOException e) {
            return a;
        }
    }

    /** Sends one probe to each target and collects distinct answers until {@code timeout} has passed. */
    public static List<Found> discover(List<InetSocketAddress> targets, Duration timeout) throws IOException {
        long nonce = new SecureRandom().nextLong();
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(nonce));
        Map<String, Found> found = new LinkedHashMap<>();
        boolean anyV6 = targets.stream().anyMatch(t -> t.getAddress() instanceof Inet6Address);
        try (DatagramSocket socket = anyV6 ? new DatagramSocket(new InetSocketAddress("::", 0)) : new DatagramSocket()) {
            socket.setBroadcast(true);
            for (InetSocketAddress t : targets) {
                try {
                    socket.send(new DatagramPacket(probe, probe.length, t));
                } catch (IOException e) {
                    // an interface without a route for this target: the others may still answer
                }
            }
            long end = System.nanoTime() + timeout.toNanos();
            byte[] buf = new byte[2048];
            while (true) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) break;
                socket.setSoTimeout((int) Math.max(1, left));
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                try {
                    Discovery.Reply r = Discovery.decodeReply(p.getData(), p.getLength());
                    if (r.nonce() != nonce) continue;
                    InetSocketAddress from = new InetSocketAddress(zonedByName(p.getAddress()), r.port());
                    found.putIfAbsent(from.getAddress().getHostAddress() + ":" + r.port() + "/" + dev.faxlan.protocol.Fingerprint.format(r.fingerprint()),
                            new Found(from, r));
                } catch (CborException e) {
                    // not a valid reply: ignore, as the server ignores bad probes
                }
            }
        }
        return new ArrayList<>(found.values());
    }
}
