package dev.faxlan.cli.relay;

import dev.faxlan.protocol.cbor.CborException;
import dev.faxlan.protocol.discovery.Discovery;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * Discovery on the relay's side (docs/protocol.md §2): the relay asks the server behind it who it is
 * by unicast probe, and answers clients' probes with that identity and the relay's own port, so a
 * client that found the server this way connects through the relay and pins the server's
 * fingerprint. The same rules as the server's: only padded probes, a reply never larger than its
 * probe, at most {@value #REPLIES_PER_SECOND} replies a second. Time is passed in (nanoseconds).
 * Not thread-safe: one event loop owns it.
 */
final class DiscoveryAgent {
    static final int REPLIES_PER_SECOND = 100;
    private static final long SECOND = 1_000_000_000L;

    private final int relayPort;
    private final long staleNanos;
    private final SecureRandom random = new SecureRandom();
    private long pendingNonce;
    private Discovery.Reply identity;
    private long learnedAt;
    private long windowStart;
    private int repliesInWindow;
    private long refusedProbes;

    /** {@code staleNanos}: an identity not confirmed for this long is forgotten, and probes go unanswered. */
    DiscoveryAgent(int relayPort, long staleNanos) {
        this.relayPort = relayPort;
        this.staleNanos = staleNanos;
    }

    /** A probe for the server, with a fresh nonce that {@link #learn} will expect. */
    byte[] nextProbe() {
        pendingNonce = random.nextLong();
        return Discovery.encodeProbe(new Discovery.Probe(pendingNonce));
    }

    /**
     * Takes the server's reply to the latest probe. Returns the identity when it is new or changed (to
     * be reported), else empty; a datagram that is no reply to our probe changes nothing.
     */
    Optional<Discovery.Reply> learn(byte[] data, int length, long nowNanos) {
        Discovery.Reply r;
        try {
            r = Discovery.decodeReply(data, length);
        } catch (CborException e) {
            return Optional.empty();
        }
        if (r.nonce() != pendingNonce) return Optional.empty();
        boolean changed = identity == null || !identity.name().equals(r.name()) || !identity.version().equals(r.version())
                || !MessageDigest.isEqual(identity.fingerprint(), r.fingerprint());
        identity = r;
        learnedAt = nowNanos;
        return changed ? Optional.of(r) : Optional.empty();
    }

    /** The server's identity, if it answered within the staleness limit. */
    Optional<Discovery.Reply> identity(long nowNanos) {
        if (identity == null || nowNanos - learnedAt > staleNanos) return Optional.empty();
        return Optional.of(identity);
    }

    /**
     * The reply to a client's datagram, or empty when it gets none: not a valid padded probe, no
     * current identity, over the rate limit, or a reply that would be larger than the probe.
     */
    Optional<byte[]> answer(byte[] data, int length, long nowNanos) {
        Optional<Discovery.Probe> probe = Discovery.decodeProbe(data, length);
        Optional<Discovery.Reply> id = identity(nowNanos);
        if (probe.isEmpty() || id.isEmpty()) return Optional.empty();
        if (nowNanos - windowStart >= SECOND) {
            windowStart = nowNanos;
            repliesInWindow = 0;
        }
        if (repliesInWindow >= REPLIES_PER_SECOND) {
            refusedProbes++;
            return Optional.empty();
        }
        Discovery.Reply server = id.get();
        byte[] reply = Discovery.encodeReply(new Discovery.Reply(probe.get().nonce(), server.name(), relayPort, server.version(), server.fingerprint()));
        if (reply.length > length) return Optional.empty();
        repliesInWindow++;
        return Optional.of(reply);
    }

    /** Probes left unanswered because of the rate limit, since the start. */
    long refusedProbes() {
        return refusedProbes;
    }
}
