package dev.faxlan.sdk;

import dev.faxlan.protocol.Fingerprint;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The nodes of the cluster a client is connected to, and which one it moves to when its node stops
 * answering.
 *
 * <p>The trust rule (docs/decisions.md): a node is one of the cluster when a node the client already
 * trusts lists it in {@code info}, over the TLS connection whose certificate matched the pin; the
 * client then pins the listed fingerprint for that node, so the node it moves to must present exactly
 * that certificate. A node whose address the user saved with another fingerprint is refused, as any
 * server whose key changed is.
 */
final class NodeList {
    private final Map<String, byte[]> saved;
    private final RandomGenerator random;
    private final Map<String, Long> failedAt = new HashMap<>();
    private List<ClusterNode> nodes;

    /**
     * @param known nodes the client knows before it connects (the user's saved cluster)
     * @param saved fingerprints the user saved, by address ({@link ClusterNode#addressText()}): a listed node that disagrees is refused
     */
    NodeList(List<ClusterNode> known, Map<String, byte[]> saved, RandomGenerator random) {
        this.nodes = List.copyOf(known);
        this.saved = Map.copyOf(saved);
        this.random = random;
    }

    synchronized List<ClusterNode> nodes() {
        return nodes;
    }

    /** Whether there is a node to continue on other than the one with identity {@code current}. */
    synchronized boolean hasOthers(byte[] current) {
        for (ClusterNode n : nodes) {
            if (!n.hasIdentity(current)) return true;
        }
        return false;
    }

    /**
     * Takes the nodes a trusted node listed as the cluster's, less those whose address the user saved
     * with another fingerprint; returns the nodes kept.
     */
    synchronized List<ClusterNode> learn(List<ClusterNode> listed) {
        List<ClusterNode> kept = new ArrayList<>(listed.size());
        for (ClusterNode n : listed) {
            byte[] pinned = saved.get(n.addressText());
            if (pinned == null || MessageDigest.isEqual(pinned, n.fingerprint())) kept.add(n);
        }
        nodes = List.copyOf(kept);
        return nodes;
    }

    /**
     * The node to continue on after the node with identity {@code failed} stopped answering at {@code now}:
     * another node of the cluster, one that failed longest ago (or never), at random among equals so that
     * the clients of a dead node spread over the others; null when there is no other node.
     */
    synchronized ClusterNode next(byte[] failed, long now) {
        if (failed != null) failedAt.put(Fingerprint.format(failed), now);
        List<ClusterNode> best = new ArrayList<>();
        long bestFailed = Long.MAX_VALUE;
        for (ClusterNode n : nodes) {
            if (n.hasIdentity(failed)) continue;
            long f = failedAt.getOrDefault(Fingerprint.format(n.fingerprint()), Long.MIN_VALUE);
            if (f < bestFailed) {
                best.clear();
                bestFailed = f;
            }
            if (f == bestFailed) best.add(n);
        }
        return best.isEmpty() ? null : best.get(random.nextInt(best.size()));
    }
}
