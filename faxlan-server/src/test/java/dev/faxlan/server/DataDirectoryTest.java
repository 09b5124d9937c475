package dev.faxlan.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.faxlan.server.spool.Spool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory holds password and session hashes, the server's key and users' documents: only the server's user may read it. */
class DataDirectoryTest {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    @TempDir
    Path dir;

    private ServerConfig config(Path data) {
        return ServerConfig.defaults().withDataDir(data).withBind(new InetSocketAddress("127.0.0.1", 0)).withAdminPassword("admin-password-1");
    }

    @Test
    void everythingTheServerCreatesIsPrivateToItsUser() throws Exception {
        Path data = dir.resolve("data");
        try (FaxlanServer server = FaxlanServer.start(config(data))) {
            // An upload in progress and a finished document, as clients leave them.
            Spool spool = server.service().spool();
            try (FileChannel ch = spool.openPart("upload1", 0)) {
                ch.write(ByteBuffer.wrap("%PDF-1.4 partial".getBytes()));
            }
            Path tmp = spool.newTempFile();
            Files.writeString(tmp, "a received fax");
            spool.adopt(tmp, Spool.sha256(tmp));
            assertThat(looseEntries(data)).isEmpty();
        }
        assertThat(looseEntries(data)).isEmpty();
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
    }

    @Test
    void anExistingLooseDataDirectoryIsTightenedAtStart() throws Exception {
        Path data = dir.resolve("old");
        try (FaxlanServer server = FaxlanServer.start(config(data))) {
            assertThat(server.port()).isPositive();
        }
        // As an older version left it: directories 0755, files 0644.
        try (Stream<Path> s = Files.walk(data)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        assertThat(looseEntries(data)).isNotEmpty();

        try (FaxlanServer server = FaxlanServer.start(config(data))) {
            assertThat(looseEntries(data)).isEmpty();
        }
    }

    @Test
    void aShortAdministratorPasswordRefusesToStart() {
        Path data = dir.resolve("short");
        Throwable t = catchThrowable(() -> FaxlanServer.start(config(data).withAdminPassword("short")).close());
        assertThat(t).isNotNull();
        assertThat(t.getMessage()).contains("FAXLAN_ADMIN_PASSWORD").contains("8").doesNotContain("short").doesNotContain("\n");
        assertThat(data).doesNotExist();
    }

    @Test
    void anAdministratorPasswordOfSevenCharactersRefusesToStartWhateverItsEncoding() {
        Path data = dir.resolve("astral");
        // Seven characters outside the Basic Multilingual Plane are fourteen Java chars.
        Throwable t = catchThrowable(() -> FaxlanServer.start(config(data).withAdminPassword("\uD83D\uDE00".repeat(7))).close());
        assertThat(t).isNotNull();
        assertThat(t.getMessage()).contains("FAXLAN_ADMIN_PASSWORD has 7 characters").contains("8 to 1024");
        assertThat(data).doesNotExist();
    }

    /** Every file or directory under {@code root} (and root itself) that a group or other user may use. */
    private static List<String> looseEntries(Path root) throws IOException {
        List<String> loose = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                perms.retainAll(GROUP_OR_OTHER);
                if (!perms.isEmpty()) loose.add(root.relativize(p) + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            }
        }
        return loose;
    }
}
