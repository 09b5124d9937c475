package dev.faxlan.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.Fingerprint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedServersTest {
    @TempDir
    Path dir;

    @Test
    void missingFileMeansNoServers() throws IOException {
        SavedServers s = new SavedServers(dir.resolve("nothing-here").resolve("servers"));
        assertThat(s.list()).isEmpty();
        assertThat(s.find("fax", 4644)).isEmpty();
        assertThat(s.remove("fax", 4644)).isFalse();
    }

    @Test
    void putFindRemoveRoundTrip() throws IOException {
        Path file = dir.resolve("config").resolve("faxlan").resolve("servers");
        SavedServers s = new SavedServers(file);
        s.put(new SavedServers.Entry("fax.example.com", 4644, fp(1), "Main office"));
        s.put(new SavedServers.Entry("::1", 5000, fp(2), "loopback v6"));
        s.put(new SavedServers.Entry("192.0.2.7", 4644, fp(3), ""));
        assertThat(file).exists();

        // A fresh instance reads what the first one wrote.
        SavedServers again = new SavedServers(file);
        assertThat(again.list()).hasSize(3);
        SavedServers.Entry main = again.find("fax.example.com", 4644).orElseThrow();
        assertThat(main.fingerprint()).isEqualTo(fp(1));
        assertThat(main.name()).isEqualTo("Main_office");
        SavedServers.Entry v6 = again.find("::1", 5000).orElseThrow();
        assertThat(v6.fingerprint()).isEqualTo(fp(2));
        assertThat(v6.address()).isEqualTo("[::1]:5000");
        assertThat(again.find("192.0.2.7", 4644).orElseThrow().name()).isEmpty();
        assertThat(again.find("fax.example.com", 4645)).isEmpty();

        assertThat(again.remove("fax.example.com", 4644)).isTrue();
        assertThat(again.remove("fax.example.com", 4644)).isFalse();
        assertThat(new SavedServers(file).list()).extracting(SavedServers.Entry::host).containsExactly("::1", "192.0.2.7");
    }

    @Test
    void putReplacesTheEntryForTheSameHostAndPort() throws IOException {
        SavedServers s = new SavedServers(dir.resolve("servers"));
        s.put(new SavedServers.Entry("Fax.Example.com", 4644, fp(1), "old"));
        s.put(new SavedServers.Entry("fax.example.com", 4644, fp(9), "new"));
        assertThat(s.list()).hasSize(1);
        SavedServers.Entry e = s.find("FAX.EXAMPLE.COM", 4644).orElseThrow();
        assertThat(e.fingerprint()).isEqualTo(fp(9));
        assertThat(e.name()).isEqualTo("new");
    }

    @Test
    void fileIsReadableTextAndNoTemporaryFileIsLeft() throws IOException {
        Path file = dir.resolve("servers");
        SavedServers s = new SavedServers(file);
        s.put(new SavedServers.Entry("fax", 4644, fp(4), "desk"));
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .contains("fax:4644 " + Fingerprint.format(fp(4)) + " desk");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void handEditedLinesThatDoNotParseAreSkipped() throws IOException {
        Path file = dir.resolve("servers");
        Files.writeString(file, String.join("\n",
                "# comment",
                "",
                "   ",
                "only-one-field",
                "fax:99999 " + Fingerprint.format(fp(1)) + " bad port",
                "fax:4644 SHA256:not-base64! bad fingerprint",
                "fax:4644 " + Fingerprint.format(new byte[31]) + " short fingerprint",
                "  good:4644   " + Fingerprint.format(fp(5)) + "   name with spaces  ",
                ""), StandardCharsets.UTF_8);
        SavedServers s = new SavedServers(file);
        assertThat(s.list()).singleElement().satisfies(e -> {
            assertThat(e.host()).isEqualTo("good");
            assertThat(e.fingerprint()).isEqualTo(fp(5));
            assertThat(e.name()).isEqualTo("name with spaces");
        });
    }

    @Test
    void theNodesOfAClusterAreSavedUnderItsLabel() throws IOException {
        Path file = dir.resolve("servers");
        SavedServers s = new SavedServers(file);
        s.put(new SavedServers.Entry("desk", 4644, fp(6), "desk"));
        s.put(new SavedServers.Entry("10.0.0.1", 4644, fp(7), "node-a", "10.0.0.1:4644"));
        s.put(new SavedServers.Entry("10.0.0.2", 4644, fp(8), "", "10.0.0.1:4644"));
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
                .contains("10.0.0.1:4644 " + Fingerprint.format(fp(7)) + " node-a cluster=10.0.0.1:4644");
        SavedServers again = new SavedServers(file);
        assertThat(again.cluster("10.0.0.1:4644")).extracting(SavedServers.Entry::host).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(again.find("10.0.0.2", 4644).orElseThrow().name()).as("a node saved without a name").isEmpty();
        assertThat(again.find("desk", 4644).orElseThrow().cluster()).isEmpty();
        assertThat(again.cluster("")).isEmpty();
        assertThat(again.identities()).containsOnlyKeys("desk:4644", "10.0.0.1:4644", "10.0.0.2:4644");
    }

    @Test
    void anAddedServerSavesItsClusterUnderItsAddressButNeverReplacesASavedIdentity() throws IOException {
        SavedServers s = new SavedServers(dir.resolve("servers"));
        s.put(new SavedServers.Entry("192.0.2.3", 4644, fp(9), "reinstalled"));
        SavedServers.Entry a = new SavedServers.Entry("192.0.2.1", 4644, fp(1), "a");
        s.put(a);
        assertThat(s.saveCluster(a, List.of(new ClusterNode("a", "198.51.100.1", 4644, fp(1))), true).saved()).as("alone: itself only").isEmpty();
        assertThat(s.find("198.51.100.1", 4644)).as("itself under another address is not a node").isEmpty();
        assertThat(s.find("192.0.2.1", 4644).orElseThrow().cluster()).isEmpty();

        SavedServers.SavedCluster c = s.saveCluster(a, List.of(new ClusterNode("a", "198.51.100.1", 4644, fp(1)),
                new ClusterNode("b", "192.0.2.2", 4644, fp(2)), new ClusterNode("c", "192.0.2.3", 4644, fp(3))), true);
        assertThat(c.label()).isEqualTo("192.0.2.1:4644");
        assertThat(c.saved()).extracting(ClusterNode::name).containsExactly("b");
        assertThat(c.refused()).extracting(ClusterNode::name).containsExactly("c");
        assertThat(s.cluster("192.0.2.1:4644")).extracting(SavedServers.Entry::name).containsExactly("a", "b");
        assertThat(s.find("192.0.2.3", 4644).orElseThrow().fingerprint()).as("the saved identity stays").isEqualTo(fp(9));
    }

    @Test
    void nodesHeardOfLaterAreAddedToTheSavedClusterAndTheSavedOnesLeftWhereTheyStand() throws IOException {
        SavedServers s = new SavedServers(dir.resolve("servers"));
        s.put(new SavedServers.Entry("192.0.2.1", 4644, fp(1), "a", "office"));
        s.put(new SavedServers.Entry("192.0.2.2", 4644, fp(2), "b-as-saved", "office"));
        s.put(new SavedServers.Entry("192.0.2.9", 4644, fp(8), "other"));
        SavedServers.Entry a = s.find("192.0.2.1", 4644).orElseThrow();
        List<ClusterNode> nodes = List.of(new ClusterNode("a", "192.0.2.1", 4644, fp(1)), new ClusterNode("b", "192.0.2.2", 4644, fp(2)),
                new ClusterNode("d", "192.0.2.4", 4644, fp(4)));

        assertThat(s.saveCluster(a, nodes, false).saved()).extracting(ClusterNode::name).containsExactly("d");
        assertThat(s.list()).extracting(SavedServers.Entry::name).as("the first saved node stays first").containsExactly("a", "b-as-saved", "other", "d");
        assertThat(s.cluster("office")).extracting(SavedServers.Entry::name).containsExactly("a", "b-as-saved", "d");
        assertThat(s.saveCluster(a, nodes, false).saved()).as("nothing new").isEmpty();
    }

    private static byte[] fp(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (seed * 31 + i);
        return b;
    }
}
