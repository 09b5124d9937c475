package dev.faxlan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private directory beside a command's output, in which the command writes until a file is
 * complete and then moves it out by a rename. The directory goes when the command ends, and also when
 * a signal (Ctrl-C, SIGTERM) ends the process part-way: the JVM runs shutdown hooks then, and a
 * download or conversion cut short leaves nothing beside the output. SIGKILL runs no code; what it
 * leaves is a hidden {@code .faxlan-work-*} directory, never a half-written file under the output's name.
 */
final class WorkDirectory implements AutoCloseable {
    /** Attempts at removing the tree: the command may still be writing into it while a signal's hook runs. */
    private static final int REMOVE_ATTEMPTS = 5;

    private final Path path;
    private final Thread onSignal;

    private WorkDirectory(Path path) {
        this.path = path;
        this.onSignal = new Thread(this::remove, "faxlan: remove unfinished files");
        Runtime.getRuntime().addShutdownHook(onSignal);
    }

    /** A new directory in the directory {@code out} is to be written in (so that moving out is a rename). */
    static WorkDirectory beside(Path out) throws IOException {
        return new WorkDirectory(Files.createTempDirectory(out.toAbsolutePath().getParent(), ".faxlan-work-"));
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    /** Moves the finished {@code file} (in this directory) to {@code target}, replacing it: {@code target} appears only complete. */
    Path moveOut(Path file, Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it removes the directory
        }
        remove();
    }

    private void remove() {
        for (int attempt = 0; attempt < REMOVE_ATTEMPTS && Files.exists(path); attempt++) {
            try (Stream<Path> tree = Files.walk(path)) {
                List<Path> deepestFirst = tree.sorted(Comparator.reverseOrder()).toList();
                for (Path p : deepestFirst) Files.deleteIfExists(p);
            } catch (NoSuchFileException gone) {
                // removed under our feet: look again
            } catch (IOException e) {
                // a file created since the walk (DirectoryNotEmptyException): walk again
                if (attempt == REMOVE_ATTEMPTS - 1) System.err.println("faxlan: cannot remove " + path + ": " + e.getMessage());
            }
        }
    }
}
