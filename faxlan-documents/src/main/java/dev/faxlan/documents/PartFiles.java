package dev.faxlan.documents;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Temporary files that become an output file by a rename. Each is removed by {@link #release} once
 * renamed or abandoned. A command-line tool also calls {@link #removeOnSignal}: then a signal
 * (Ctrl-C, SIGTERM) that ends the process part-way removes those not yet released, so a conversion
 * cut short leaves nothing beside its output. (A server does not: its own orderly stop lets work in
 * progress finish.) SIGKILL runs no code; what it leaves is a hidden {@code .faxlan-*.part} file.
 */
public final class PartFiles {
    private static final Set<Path> open = ConcurrentHashMap.newKeySet();

    private static final AtomicBoolean hooked = new AtomicBoolean();

    private PartFiles() {}

    /** From now on, part files not yet released are removed when the process ends (by a signal, say). */
    public static void removeOnSignal() {
        if (hooked.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(PartFiles::removeAll, "faxlan: remove unfinished files"));
        }
    }

    /**
     * A new empty file beside {@code out}, created with the permissions the umask gives any new file
     * (unlike {@link Files#createTempFile}, always 0600): the file it is renamed to keeps them, so every
     * format the tools write gets the same permissions. Pair with {@link #release} in a {@code finally}.
     */
    public static Path beside(Path out, String suffix) throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve(".faxlan-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix);
            open.add(p); // before it exists: a signal between creating and registering would leave it
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                open.remove(p);
                if (attempt > 100) throw e;
            } catch (IOException e) {
                open.remove(p);
                throw e;
            }
        }
    }

    /** Removes {@code part} if it is still there (it was not renamed) and forgets it. */
    public static void release(Path part) throws IOException {
        try {
            Files.deleteIfExists(part);
        } finally {
            open.remove(part);
        }
    }

    private static void removeAll() {
        for (Path p : open) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // the process is ending; nothing better to do than leave it
            }
        }
    }
}
