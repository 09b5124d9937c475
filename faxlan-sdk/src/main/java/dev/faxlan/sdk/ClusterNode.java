package dev.faxlan.sdk;

import java.net.InetSocketAddress;

/**
 * A node of a cluster (several servers on one database) as a client reaches it: its name, its CPI
 * address and its certificate's fingerprint, which the client pins when it moves to this node.
 */
public record ClusterNode(String name, String host, int port, byte[] fingerprint) {
    public ClusterNode {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("a cluster node needs a host");
        if (port < 1 || port > 65_535) throw new IllegalArgumentException("port " + port + " of " + host + " is not 1 to 65535");
        if (fingerprint == null || fingerprint.length != 32) throw new IllegalArgumentException("the node at " + host + ":" + port + " needs a 32-byte fingerprint");
        fingerprint = fingerprint.clone();
        name = name == null ? "" : name;
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    /** host:port, with brackets around an IPv6 address. */
    public String addressText() {
        return SavedServers.formatAddress(host, port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterNode n && n.name.equals(name) && n.host.equals(host) && n.port == port && java.util.Arrays.equals(n.fingerprint, fingerprint);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, host, port, java.util.Arrays.hashCode(fingerprint));
    }

    @Override
    public String toString() {
        return "ClusterNode[" + name + " " + addressText() + " " + dev.faxlan.protocol.Fingerprint.format(fingerprint) + "]";
    }

    /** The nodes an {@code info} answer lists, less any a client could not reach (no port, a malformed fingerprint). */
    static java.util.List<ClusterNode> listed(java.util.List<dev.faxlan.protocol.message.SessionMessage.Node> nodes) {
        java.util.List<ClusterNode> out = new java.util.ArrayList<>(nodes.size());
        for (var n : nodes) {
            try {
                out.add(new ClusterNode(n.name(), n.host(), (int) Math.min(Integer.MAX_VALUE, Math.max(0, n.port())), n.fp()));
            } catch (IllegalArgumentException | NullPointerException e) {
                // a node the client cannot reach is not a place to continue on
            }
        }
        return out;
    }

    /** Whether this node presents the certificate {@code fp}. */
    boolean hasIdentity(byte[] fp) {
        return fp != null && java.security.MessageDigest.isEqual(fingerprint, fp);
    }
}
