package dev.faxlan.documents;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The temporary directories a conversion or a mail gateway works in: removed whole once the work is done. */
public final class WorkDirectories {
    private WorkDirectories() {}

    /**
     * Removes {@code dir} and everything in it, deepest first. Answers what could not be removed
     * (empty when all is gone, or when {@code dir} did not exist), so the caller decides whether that
     * is worth a warning: leftovers in a temporary directory do no harm beyond their space.
     */
    public static List<Path> delete(Path dir) {
        if (!Files.exists(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted(Comparator.reverseOrder()).filter(p -> !p.toFile().delete()).toList();
        } catch (IOException e) {
            return List.of(dir);
        }
    }
}
