package dev.faxlan.documents;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Temporary files that become an output file by a rename. */
public final class PartFiles {
    private PartFiles() {}

    /**
     * A new empty file beside {@code out}, created with the permissions the umask gives any new file
     * (unlike {@link Files#createTempFile}, always 0600): the file it is renamed to keeps them, so every
     * format the tools write gets the same permissions.
     */
    public static Path beside(Path out, String suffix) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(".faxlan-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix);
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) throw e;
            }
        }
    }
}
