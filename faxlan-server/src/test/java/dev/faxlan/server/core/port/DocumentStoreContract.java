package dev.faxlan.server.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** What every {@link DocumentStore} must do, written once; each implementation's test supplies an empty store. */
public interface DocumentStoreContract {
    /** An empty store, the same instance for the whole of one test. */
    DocumentStore store();

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    @Test
    default void anAdoptedScratchFileIsTheDocumentOfItsHash() throws Exception {
        byte[] content = "a page of text".getBytes(StandardCharsets.UTF_8);
        String sha = sha256(content);
        assertThat(store().hasDocument(sha)).isFalse();
        Path tmp = store().newTempFile();
        Files.write(tmp, content);
        Path doc = store().adopt(tmp, sha);
        assertThat(store().hasDocument(sha)).isTrue();
        assertThat(store().document(sha)).isEqualTo(doc);
        assertThat(Files.readAllBytes(doc)).isEqualTo(content);
        assertThat(tmp).doesNotExist();
    }

    @Test
    default void aScratchFileWhoseContentDoesNotMatchTheHashIsRefusedAndKept() throws Exception {
        Path tmp = store().newTempFile();
        Files.write(tmp, "one thing".getBytes(StandardCharsets.UTF_8));
        String other = sha256("another".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store().adopt(tmp, other)).isInstanceOf(IOException.class).hasMessageContaining("not " + other);
        assertThat(store().hasDocument(other)).isFalse();
        assertThat(tmp).exists();
    }

    @Test
    default void aNameThatIsNotAHashIsRefused() {
        assertThatThrownBy(() -> store().document("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../../etc/passwd");
        assertThatThrownBy(() -> store().document("A".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void scratchFilesAreDistinctAndClearedAtStartWhileDocumentsStay() throws Exception {
        byte[] content = "kept".getBytes(StandardCharsets.UTF_8);
        String sha = sha256(content);
        Path keep = store().newTempFile();
        Files.write(keep, content);
        store().adopt(keep, sha);
        Path left = store().newTempFile();
        Path other = store().newTempFile();
        assertThat(left).isNotEqualTo(other);
        Files.write(left, new byte[100]);
        Files.write(other, new byte[20]);
        assertThat(store().clearTemp()).isEqualTo(120);
        assertThat(left).doesNotExist();
        assertThat(other).doesNotExist();
        assertThat(store().hasDocument(sha)).isTrue();
        assertThat(store().clearTemp()).isZero();
    }
}
