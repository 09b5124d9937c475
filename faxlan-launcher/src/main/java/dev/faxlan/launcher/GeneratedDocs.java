package dev.faxlan.launcher;

import dev.faxlan.cli.manpage.ManPages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * Writes the shell completion script ({@code faxlan_completion}) and the man pages ({@code man/man1})
 * of the whole command tree; the build runs it at prepare-package. picocli's own AutoComplete main
 * takes an annotated class, and the shipped tree is assembled at run time, so it is called here.
 */
public final class GeneratedDocs {
    private GeneratedDocs() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: GeneratedDocs OUTPUT-DIRECTORY");
        Path dir = Files.createDirectories(Path.of(args[0]));
        Files.writeString(dir.resolve("faxlan_completion"), AutoComplete.bash("faxlan", Launcher.commandLine()), StandardCharsets.UTF_8);
        ManPages.write(Launcher.commandLine(), Files.createDirectories(dir.resolve("man/man1")));
    }
}
