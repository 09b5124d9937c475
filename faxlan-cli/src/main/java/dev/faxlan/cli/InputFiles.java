package dev.faxlan.cli;

import dev.faxlan.sdk.FaxlanException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on the files a command is given, with messages that say what is wrong with them. */
final class InputFiles {
    private InputFiles() {}

    /** A file named on the command line that is missing, a directory or unreadable is a usage error (exit 2). */
    static void checkReadable(Path f) {
        if (Files.isDirectory(f)) throw new FaxlanException(f + " is a directory, not a document", 2);
        if (!Files.exists(f)) throw new FaxlanException("no such file: " + f, 2);
        if (!Files.isRegularFile(f)) throw new FaxlanException(f + " is not a regular file", 2);
        if (!Files.isReadable(f)) throw new FaxlanException("cannot read " + f + ": permission denied", 2);
    }
}
