package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faxlan convert} ended by SIGTERM part-way through a long document leaves no file beside its output. */
class ConvertInterruptedIT {
    @TempDir
    static Path dir;
    static Path document;

    @BeforeAll
    static void longDocument() throws IOException {
        // About 6,000 pages of short lines: seconds of work, long enough to be interrupted while writing, and
        // under the converter's 8 MiB text limit (a bigger file is refused at once, before it can be interrupted).
        document = dir.resolve("long.txt");
        try (BufferedWriter w = Files.newBufferedWriter(document, StandardCharsets.UTF_8)) {
            for (int i = 0; i < 400_000; i++) w.write("line " + i + "\n");
        }
        assertThat(Files.size(document)).isLessThan(8L << 20);
    }

    @Test
    void sigtermDuringAConversionLeavesNoPartFile() throws Exception {
        Path outDir = Files.createDirectories(dir.resolve("out"));
        Path out = outDir.resolve("long.tif");
        List<String> cmd = new ArrayList<>(Cli.javaCommand());
        cmd.addAll(List.of("convert", document.toString(), "--out", out.toString()));
        Path stderr = dir.resolve("convert.err");
        Process convert = new ProcessBuilder(cmd).redirectOutput(dir.resolve("convert.out").toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20)).until(() -> {
                if (!convert.isAlive()) throw new AssertionError("convert ended with " + convert.exitValue() + " before it could be interrupted: " + Files.readString(stderr));
                return !partFiles(outDir).isEmpty();
            });
            System.out.println("[convert-interrupted] interrupting with " + partFiles(outDir) + " beside the output");
            assertThat(new ProcessBuilder("kill", "-s", "TERM", String.valueOf(convert.pid())).start().waitFor()).isZero();
            assertThat(convert.waitFor(60, TimeUnit.SECONDS)).as("convert ends after SIGTERM").isTrue();
        } finally {
            convert.destroyForcibly();
        }
        assertThat(convert.exitValue()).as(Files.readString(stderr)).isNotZero();
        assertThat(out).doesNotExist();
        assertThat(partFiles(outDir)).as("files left beside the output").isEmpty();
    }

    private static List<Path> partFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
