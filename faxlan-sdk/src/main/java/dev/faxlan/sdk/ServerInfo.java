package dev.faxlan.sdk;

import java.util.List;

/**
 * What a server says about itself. {@code fingerprint} is the SHA-256 of its certificate; {@code nodes}
 * the live nodes of its cluster (empty for a server that is not part of one, or lists none).
 */
public record ServerInfo(String name, String version, int protocol, long timeMillis, byte[] fingerprint, List<ClusterNode> nodes) {
    public ServerInfo {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    public ServerInfo(String name, String version, int protocol, long timeMillis, byte[] fingerprint) {
        this(name, version, protocol, timeMillis, fingerprint, List.of());
    }
}
