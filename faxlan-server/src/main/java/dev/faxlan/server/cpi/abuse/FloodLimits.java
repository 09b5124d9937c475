package dev.faxlan.server.cpi.abuse;

import java.time.Duration;

/**
 * What the CPI port grants senders whose address is not validated yet (docs/protocol.md §9): discovery
 * replies, QUIC Retry packets and new connections, per source ({@link SourceKey}) and in total, and how
 * many connections may be in their handshake at once and for how long.
 *
 * @param discoveryPerSourcePerSecond discovery replies to one source per second (the server-wide cap is
 *     {@code DiscoveryHandler.REPLIES_PER_SECOND})
 * @param discoveryPerSourceBurst discovery replies one source may get at once
 * @param retriesPerSourcePerSecond Retry or Version Negotiation packets to one source per second
 * @param retriesPerSourceBurst such packets one source may get at once
 * @param newConnectionsPerSourcePerSecond connections one source may open per second (after its Retry token checked out)
 * @param newConnectionsPerSourceBurst connections one source may open at once
 * @param maxHalfOpen connections in their handshake at once, server-wide
 * @param handshakeDeadline time a connection has to complete its handshake
 * @param trackedSources sources each per-source table remembers (least recently seen forgotten first)
 */
public record FloodLimits(double discoveryPerSourcePerSecond, double discoveryPerSourceBurst, double retriesPerSourcePerSecond,
        double retriesPerSourceBurst, double newConnectionsPerSourcePerSecond, double newConnectionsPerSourceBurst, int maxHalfOpen,
        Duration handshakeDeadline, int trackedSources) {

    /**
     * A client's discovery sends a few probes (broadcast, subnet broadcast, multicast); a CLI command opens one connection.
     * The bursts of Retries and new connections match the 64 connections one address may hold.
     */
    public static final FloodLimits DEFAULTS = new FloodLimits(5, 10, 20, 64, 20, 64, 256, Duration.ofSeconds(10), 4096);

    public FloodLimits {
        if (maxHalfOpen < 1 || trackedSources < 1) throw new IllegalArgumentException("maxHalfOpen and trackedSources must be at least 1");
        if (handshakeDeadline.isNegative() || handshakeDeadline.isZero()) throw new IllegalArgumentException("the handshake deadline must be positive");
    }

    public FloodLimits withMaxHalfOpen(int n) {
        return new FloodLimits(discoveryPerSourcePerSecond, discoveryPerSourceBurst, retriesPerSourcePerSecond, retriesPerSourceBurst,
                newConnectionsPerSourcePerSecond, newConnectionsPerSourceBurst, n, handshakeDeadline, trackedSources);
    }

    /**
     * These limits with the bursts of Retries and new connections per source set to {@code connectionsPerAddress}, the
     * connections one address may hold: a NAT or relay allowed that many connections may also open them at once.
     */
    public FloodLimits withPerSourceBurst(int connectionsPerAddress) {
        return new FloodLimits(discoveryPerSourcePerSecond, discoveryPerSourceBurst, retriesPerSourcePerSecond, connectionsPerAddress,
                newConnectionsPerSourcePerSecond, connectionsPerAddress, maxHalfOpen, handshakeDeadline, trackedSources);
    }

    public FloodLimits withHandshakeDeadline(Duration d) {
        return new FloodLimits(discoveryPerSourcePerSecond, discoveryPerSourceBurst, retriesPerSourcePerSecond, retriesPerSourceBurst,
                newConnectionsPerSourcePerSecond, newConnectionsPerSourceBurst, maxHalfOpen, d, trackedSources);
    }

    public FloodLimits withNewConnectionsPerSource(double perSecond, double burst) {
        return new FloodLimits(discoveryPerSourcePerSecond, discoveryPerSourceBurst, retriesPerSourcePerSecond, retriesPerSourceBurst,
                perSecond, burst, maxHalfOpen, handshakeDeadline, trackedSources);
    }
}
