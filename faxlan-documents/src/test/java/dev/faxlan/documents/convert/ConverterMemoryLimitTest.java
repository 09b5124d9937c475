package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.testkit.ExternalTool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A converter that wants more memory than it may have fails with a clear error instead of taking the machine's memory. */
class ConverterMemoryLimitTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    @TempDir
    Path dir;

    /** A JVM that reserves a 5 GiB heap at start: a stand-in for a PostScript file that makes Ghostscript allocate without end. */
    private static List<String> greedyProgram() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms5g", "-Xmx5g", "-XX:+UseSerialGC", "-version");
    }

    /** dd with one 200 MiB buffer: needs a little over 200 MiB of address space. */
    private static List<String> twoHundredMiB() {
        return List.of(ExternalTool.require("dd", "coreutils").toString(), "if=/dev/zero", "of=/dev/null", "bs=200M", "count=1");
    }

    @Test
    void aConverterBeyondTheDefaultLimitFails() {
        assertThat(ExternalTools.fromPath().memoryLimit()).isEqualTo(ExternalTools.DEFAULT_MEMORY_LIMIT);
        DocumentException e = catchThrowableOfType(DocumentException.class,
                () -> ExternalTools.fromPath().run(greedyProgram(), dir, TIMEOUT, "greedy converter"));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.TOOL_FAILED);
        assertThat(e.getMessage()).contains("greedy converter ran out of memory").contains("4096 MiB").doesNotContain("\n");
    }

    @Test
    void theLimitIsAtTheEdgeOfWhatTheConverterNeeds() throws Exception {
        ExternalTools tools = ExternalTools.fromPath();
        tools.withMemoryLimit(256L << 20).run(twoHundredMiB(), dir, TIMEOUT, "dd");

        DocumentException e = catchThrowableOfType(DocumentException.class,
                () -> tools.withMemoryLimit(128L << 20).run(twoHundredMiB(), dir, TIMEOUT, "dd"));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.TOOL_FAILED);
        assertThat(e.getMessage()).startsWith("dd ran out of memory: converters may use 128 MiB").doesNotContain("\n");
    }

    @Test
    void withoutALimitTheSameConverterRuns() throws Exception {
        ExternalTools.fromPath().withMemoryLimit(0).run(twoHundredMiB(), dir, TIMEOUT, "dd");
    }
}
