package dev.faxlan.transport.keylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsKeyLogTest {
    @TempDir
    Path dir;

    @Test
    void aNewFileIsOwnerOnlyAndGetsOneLinePerSecret() throws IOException {
        Path file = dir.resolve("keys.txt");
        try (TlsKeyLog log = TlsKeyLog.open(file)) {
            log.logKey(null, "CLIENT_TRAFFIC_SECRET_0 0011 aabb");
            log.logKey(null, "SERVER_TRAFFIC_SECRET_0 0011 ccdd");
            assertThat(log.failed()).isFalse();
            assertThat(log.warning()).contains(file.toAbsolutePath().toString()).contains("debugging only");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(file)).containsExactly("CLIENT_TRAFFIC_SECRET_0 0011 aabb", "SERVER_TRAFFIC_SECRET_0 0011 ccdd");
    }

    /** A server and its clients may share one key log: nothing written before is lost. */
    @Test
    void anExistingOwnerOnlyFileIsAppendedTo() throws IOException {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "EXPORTER_SECRET 01 02\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        try (TlsKeyLog log = TlsKeyLog.open(file)) {
            log.logKey(null, "EXPORTER_SECRET 03 04");
        }
        assertThat(Files.readAllLines(file)).isEqualTo(List.of("EXPORTER_SECRET 01 02", "EXPORTER_SECRET 03 04"));
    }

    @Test
    void aFileOthersMayReadIsRefusedAndLeftAlone() throws IOException {
        Path file = dir.resolve("keys.txt");
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> TlsKeyLog.open(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("open to others (rw-r--r--)").hasMessageContaining("chmod 600");
        assertThat(Files.size(file)).isZero();
    }

    /** A link planted where the key log is expected must not redirect the secrets elsewhere. */
    @Test
    void aSymbolicLinkIsRefused() throws IOException {
        Path target = dir.resolve("elsewhere");
        Path link = Files.createSymbolicLink(dir.resolve("keys.txt"), target);
        assertThatThrownBy(() -> TlsKeyLog.open(link)).isInstanceOf(IOException.class).hasMessageContaining("cannot write the key log");
        assertThat(target).doesNotExist();
    }

    @Test
    void aMissingDirectoryIsNamed() {
        assertThatThrownBy(() -> TlsKeyLog.open(dir.resolve("no/such/keys.txt"))).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot write the key log " + dir.resolve("no/such/keys.txt"));
    }

    @Test
    void aLineAfterCloseIsCountedAsAFailureNotThrown() throws IOException {
        TlsKeyLog log = TlsKeyLog.open(dir.resolve("keys.txt"));
        log.close();
        log.logKey(null, "EXPORTER_SECRET 01 02");
        assertThat(log.failed()).isTrue();
    }
}
