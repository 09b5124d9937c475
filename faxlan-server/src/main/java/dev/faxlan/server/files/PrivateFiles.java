package dev.faxlan.server.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files and directories only the server's own user may read: the data directory holds password and
 * session hashes, the server's private key and users' documents. The equivalent of {@code umask 077}
 * for what the server creates, each file and directory created with its final permissions (never
 * created open and narrowed afterwards). On a file system without POSIX permissions these are plain
 * creations.
 */
public final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {}

    /** Creates {@code dir} and any missing parents as 0700. */
    public static Path createDirectories(Path dir) throws IOException {
        return POSIX ? Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY)) : Files.createDirectories(dir);
    }

    /** Opens {@code file}, creating it as 0600 if {@code options} say to create it. */
    public static FileChannel open(Path file, Set<? extends OpenOption> options) throws IOException {
        return POSIX ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(FILE)) : FileChannel.open(file, options);
    }

    /** A new, empty 0600 file in {@code dir}. */
    public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
        return POSIX ? Files.createTempFile(dir, prefix, suffix, fileAttribute()) : Files.createTempFile(dir, prefix, suffix);
    }

    private static FileAttribute<Set<PosixFilePermission>> fileAttribute() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /**
     * Removes every group and other permission under {@code root} (and from {@code root}): for what
     * an older version or third-party code (H2's database files) created under a looser umask.
     *
     * @return each path that was changed, with its permissions before, as {@code "path rwxr-xr-x"}
     */
    public static List<String> tighten(Path root) throws IOException {
        List<String> fixed = new ArrayList<>();
        if (!POSIX || !Files.exists(root)) return fixed;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(p)) continue; // chmod would follow it out of the tree
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (perms.stream().noneMatch(GROUP_OR_OTHER::contains)) continue;
                fixed.add(p + " " + PosixFilePermissions.toString(perms));
                perms.removeAll(GROUP_OR_OTHER);
                Files.setPosixFilePermissions(p, perms);
            }
        }
        return fixed;
    }
}
