package dev.faxlan.server.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpoolTest {
    private static final byte[] CONTENT = "%PDF-1.4 a small document\n".getBytes(StandardCharsets.US_ASCII);
    private static final String SHA = sha256(CONTENT);
    @TempDir
    Path root;
    private Spool spool;

    @BeforeEach
    void open() throws IOException {
        spool = new Spool(root);
    }

    @Test
    void commitWithTheRightHashMovesThePartIntoDocs() throws IOException {
        write("u1", 0, CONTENT);
        assertThat(spool.partLength("u1")).isEqualTo(CONTENT.length);
        assertThat(spool.hasDocument(SHA)).isFalse();

        assertThat(spool.commit("u1", SHA)).isTrue();

        assertThat(spool.hasDocument(SHA)).isTrue();
        assertThat(Files.readAllBytes(spool.document(SHA))).isEqualTo(CONTENT);
        assertThat(spool.part("u1")).doesNotExist();
        assertThat(spool.partLength("u1")).isZero();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            assertThat(docs).containsExactly(spool.document(SHA));
        }
    }

    @Test
    void commitWithTheWrongHashDeletesThePart() throws IOException {
        write("u2", 0, CONTENT);
        String wrong = sha256("something else".getBytes(StandardCharsets.US_ASCII));
        assertThat(spool.commit("u2", wrong)).isFalse();
        assertThat(spool.part("u2")).doesNotExist();
        assertThat(spool.hasDocument(wrong)).isFalse();
        assertThat(spool.hasDocument(SHA)).isFalse();
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            assertThat(docs).isEmpty();
        }
    }

    @Test
    void commitOfADocumentAlreadyPresentKeepsOneCopy() throws IOException {
        write("a", 0, CONTENT);
        write("b", 0, CONTENT);
        assertThat(spool.commit("a", SHA)).isTrue();
        assertThat(spool.commit("b", SHA)).isTrue();
        assertThat(Files.readAllBytes(spool.document(SHA))).isEqualTo(CONTENT);
        assertThat(spool.part("b")).doesNotExist();
    }

    @Test
    void resumingAtAnOffsetCutsOffWhatFollowedIt() throws IOException {
        write("u3", 0, CONTENT);
        // The client says the server has 10 bytes (say, the rest was never acknowledged).
        write("u3", 10, java.util.Arrays.copyOfRange(CONTENT, 10, 15));
        assertThat(spool.partLength("u3")).isEqualTo(15);
        write("u3", 15, java.util.Arrays.copyOfRange(CONTENT, 15, CONTENT.length));
        assertThat(spool.commit("u3", SHA)).isTrue();
    }

    @Test
    void adoptMovesAFinishedTempFileIntoDocs() throws IOException {
        Path tmp = spool.newTempFile();
        assertThat(tmp.getParent()).isEqualTo(root.resolve("tmp"));
        Files.write(tmp, CONTENT);
        assertThat(spool.adopt(tmp, SHA)).isEqualTo(spool.document(SHA));
        assertThat(Files.readAllBytes(spool.document(SHA))).isEqualTo(CONTENT);
        assertThat(tmp).doesNotExist();
        // The same bytes again: still one document.
        Path again = spool.newTempFile();
        Files.write(again, CONTENT);
        spool.adopt(again, SHA);
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            assertThat(docs).containsExactly(spool.document(SHA));
        }
    }

    @Test
    void adoptRefusesAWrongHashAndFilesFromElsewhere() throws IOException {
        Path tmp = spool.newTempFile();
        Files.write(tmp, CONTENT);
        String wrong = sha256("other".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> spool.adopt(tmp, wrong)).isInstanceOf(IOException.class).hasMessageContaining("hashes to " + SHA);
        assertThat(tmp).exists();
        assertThat(spool.hasDocument(wrong)).isFalse();
        Path outside = root.resolve("outside");
        Files.write(outside, CONTENT);
        assertThatThrownBy(() -> spool.adopt(outside, SHA)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a temporary file of this spool");
        assertThat(spool.hasDocument(SHA)).isFalse();
    }

    @Test
    void discardRemovesThePart() throws IOException {
        write("u4", 0, CONTENT);
        spool.discard("u4");
        assertThat(spool.part("u4")).doesNotExist();
        spool.discard("u4");
    }

    @Test
    void sha256OfAFileIsLowerCaseHex() throws IOException {
        Path f = root.resolve("f");
        Files.write(f, CONTENT);
        assertThat(Spool.sha256(f)).isEqualTo(SHA).matches("[0-9a-f]{64}");
        Files.write(f, new byte[0]);
        assertThat(Spool.sha256(f)).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc/passwd", "a/b", "a.b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "id with space"})
    void refusesUploadIdsThatCouldEscapeTheSpool(String id) {
        assertThatThrownBy(() -> spool.part(id)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "../../../../etc/passwd", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855/"})
    void refusesDocumentNamesThatAreNotLowerCaseSha256(String name) {
        assertThat(Spool.isSha256Hex(name)).isFalse();
        assertThatThrownBy(() -> spool.document(name)).isInstanceOf(IllegalArgumentException.class);
    }

    private void write(String id, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = spool.openPart(id, offset)) {
            ch.write(ByteBuffer.wrap(bytes));
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void clearTempRemovesWhatAKilledProcessLeftAndKeepsDocumentsAndUploads() throws IOException {
        Path converted = spool.newTempFile();
        Files.write(converted, new byte[1000]);
        Path received = spool.newTempFile();
        Files.write(received, new byte[24]);
        try (var ch = spool.openPart("u1", 0)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
        }
        assertThat(spool.clearTemp()).isEqualTo(1024);
        assertThat(converted).doesNotExist();
        assertThat(received).doesNotExist();
        assertThat(spool.partLength("u1")).isEqualTo(3);
        assertThat(spool.clearTemp()).isZero();
    }

    /**
     * A node just started, whose empty scratch directory another node removed before the first heartbeat
     * said it was back, still gets its scratch files (CrashKillOnThreeNodesIT: 20 conversions in a row failed).
     */
    @Test
    void aScratchDirectoryAnotherNodeRemovedIsMadeAgain() throws Exception {
        Path shared = root.resolve("shared");
        Spool restarted = new Spool(shared, "node-a");
        Spool other = new Spool(shared, "node-b");
        other.clearScratchOfGoneNodes(java.util.Set.of("node-b"), System.currentTimeMillis());
        assertThat(shared.resolve("tmp/node-a")).doesNotExist();

        Path scratch = restarted.newTempFile();

        assertThat(scratch).exists().hasParent(shared.resolve("tmp/node-a"));
    }

    /** Scratch files of a node that never came back are deleted once old; a live node's, and fresh ones, are kept. */
    @Test
    void scratchFilesOfGoneNodesAreDeletedOnceOldAndOthersKept() throws Exception {
        Path shared = root.resolve("shared");
        Spool a = new Spool(shared, "node-a");
        new Spool(shared, "node-b");
        new Spool(shared, "node-c");
        Path mine = a.newTempFile();
        Path deadOld = java.nio.file.Files.writeString(shared.resolve("tmp/node-b/doc-1.tmp"), "left by a dead node");
        Path aliveOld = java.nio.file.Files.writeString(shared.resolve("tmp/node-c/doc-2.tmp"), "a live node's");
        java.nio.file.Files.createDirectories(shared.resolve("tmp/node-d"));
        Path fresh = java.nio.file.Files.writeString(shared.resolve("tmp/node-d/doc-4.tmp"), "written just now");
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        for (Path p : java.util.List.of(mine, deadOld, aliveOld)) java.nio.file.Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(hourAgo - 1000));

        long freed = a.clearScratchOfGoneNodes(java.util.Set.of("node-a", "node-c"), hourAgo);

        assertThat(freed).isEqualTo("left by a dead node".length());
        assertThat(shared.resolve("tmp/node-b")).doesNotExist();
        assertThat(mine).exists();
        assertThat(aliveOld).exists();
        assertThat(fresh).exists();
    }
}
