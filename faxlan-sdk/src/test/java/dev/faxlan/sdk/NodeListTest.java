package dev.faxlan.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeListTest {
    static final ClusterNode A = node("a", 4701, 1);
    static final ClusterNode B = node("b", 4702, 2);
    static final ClusterNode C = node("c", 4703, 3);

    static ClusterNode node(String name, int port, int key) {
        byte[] fp = new byte[32];
        Arrays.fill(fp, (byte) key);
        return new ClusterNode(name, "127.0.0.1", port, fp);
    }

    @Test
    void aNodeThatStopsAnsweringIsLeftForAnotherNodeOfTheCluster() {
        NodeList nodes = new NodeList(List.of(), Map.of(), new Random(1));
        nodes.learn(List.of(A, B, C));
        for (int i = 0; i < 20; i++) {
            assertThat(nodes.next(A.fingerprint(), 1_000)).isIn(B, C);
        }
    }

    @Test
    void theClientsOfADeadNodeSpreadOverTheOthers() {
        NodeList nodes = new NodeList(List.of(), Map.of(), new Random(7));
        nodes.learn(List.of(A, B, C));
        Set<ClusterNode> chosen = new HashSet<>();
        for (int i = 0; i < 50; i++) chosen.add(nodes.next(A.fingerprint(), 1_000));
        assertThat(chosen).containsExactlyInAnyOrder(B, C);
    }

    @Test
    void theNodeThatFailedLongestAgoIsTriedFirst() {
        NodeList nodes = new NodeList(List.of(), Map.of(), new Random(3));
        nodes.learn(List.of(A, B, C));
        nodes.next(B.fingerprint(), 1_000);
        // A fails later: C never failed, so it comes before B.
        assertThat(nodes.next(A.fingerprint(), 2_000)).isEqualTo(C);
        // C fails too: B failed longest ago.
        assertThat(nodes.next(C.fingerprint(), 3_000)).isEqualTo(B);
    }

    @Test
    void aServerAloneHasNowhereElseToGo() {
        NodeList alone = new NodeList(List.of(), Map.of(), new Random(1));
        assertThat(alone.next(A.fingerprint(), 1_000)).isNull();
        assertThat(alone.hasOthers(A.fingerprint())).isFalse();
        alone.learn(List.of(A));
        assertThat(alone.hasOthers(A.fingerprint())).isFalse();
        alone.learn(List.of(A, B));
        assertThat(alone.hasOthers(A.fingerprint())).isTrue();
        alone.learn(List.of(A));
        assertThat(alone.next(A.fingerprint(), 2_000)).as("a cluster of one").isNull();
    }

    @Test
    void theSameNodeReachedAtAnotherAddressIsNotAnotherNode() {
        // Reached through a relay, node A's own listing shows it at its real address: its identity, not its address, says it is the one that failed.
        NodeList nodes = new NodeList(List.of(), Map.of(), new Random(1));
        nodes.learn(List.of(A, B));
        for (int i = 0; i < 10; i++) assertThat(nodes.next(A.fingerprint(), 1_000)).isEqualTo(B);
    }

    @Test
    void nodesKnownBeforeTheFirstAnswerAreUsedUntilTheClusterListsItsOwn() {
        NodeList nodes = new NodeList(List.of(A, B), Map.of(), new Random(1));
        assertThat(nodes.next(A.fingerprint(), 1_000)).isEqualTo(B);
        nodes.learn(List.of(A, C));
        assertThat(nodes.nodes()).containsExactly(A, C);
        assertThat(nodes.next(A.fingerprint(), 2_000)).as("B left the cluster").isEqualTo(C);
    }

    @Test
    void aListedNodeWhoseSavedIdentityDiffersIsRefused() {
        ClusterNode impostor = node("b", B.port(), 9);
        NodeList nodes = new NodeList(List.of(), Map.of(B.addressText(), B.fingerprint()), new Random(1));
        assertThat(nodes.learn(List.of(A, impostor, C))).containsExactly(A, C);
        for (int i = 0; i < 10; i++) assertThat(nodes.next(A.fingerprint(), 1_000)).isEqualTo(C);
        assertThat(nodes.learn(List.of(A, B))).as("listed with the saved identity").containsExactly(A, B);
    }

    @Test
    void aMalformedListingIsLeftOut() {
        var listed = List.of(new dev.faxlan.protocol.message.SessionMessage.Node("x", "127.0.0.1", 70_000, new byte[32]),
                new dev.faxlan.protocol.message.SessionMessage.Node("y", "127.0.0.1", 4700, new byte[5]),
                new dev.faxlan.protocol.message.SessionMessage.Node("z", "127.0.0.1", 4700, new byte[32]));
        assertThat(ClusterNode.listed(listed)).extracting(ClusterNode::name).containsExactly("z");
    }
}
