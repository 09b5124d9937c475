package dev.faxlan.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import dev.faxlan.testkit.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compiles the C helpers that put spandsp on the other end of our tests: {@code
 * src/test/c/NAME/NAME.c} into {@code target/NAME}, again only when the source or a header the peers
 * share ({@code src/test/c/common/}) is newer, so once per build in practice. When gcc or the spandsp and libtiff headers or libraries are missing the
 * calling test is skipped with a printed reason, or failed when {@code CI=true}.
 */
public final class SpandspBuild {
    private static final Path SOURCES = Path.of("src", "test", "c");
    private static final Path TARGET = Path.of("target");
    private static final Map<String, Path> BUILT = new HashMap<>();

    private SpandspBuild() {
    }

    /** Path of the compiled helper {@code name}, compiling it first when needed. */
    public static synchronized Path binary(String name) throws IOException, InterruptedException {
        return binary(SOURCES, name);
    }

    /**
     * The same for a helper whose sources live in another module's test tree ({@code sources} is that
     * tree's {@code src/test/c}, e.g. {@code ../faxlan-engine/src/test/c}); it is still built into this
     * module's {@code target/}.
     */
    public static synchronized Path binary(Path sources, String name) throws IOException, InterruptedException {
        Path known = BUILT.get(name);
        if (known != null) {
            return known;
        }
        Path source = sources.resolve(name).resolve(name + ".c").toAbsolutePath();
        if (!Files.isRegularFile(source)) {
            fail("C source " + source + " not found; run the tests from the module directory that holds it");
        }
        Path bin = TARGET.resolve(name).toAbsolutePath();
        FileTime srcTime = newest(source, sources.resolve("common").toAbsolutePath());
        if (Files.isExecutable(bin) && Files.getLastModifiedTime(bin).compareTo(srcTime) >= 0) {
            BUILT.put(name, bin);
            return bin;
        }
        Path gcc = ExternalTool.require("gcc", "Debian package gcc");
        Files.createDirectories(bin.getParent());
        Path tmp = Files.createTempFile(bin.getParent(), name, ".tmp");
        List<String> cmd = List.of(gcc.toString(), "-O2", "-Wall", "-o", tmp.toString(), source.toString(),
                "-lspandsp", "-ltiff", "-lm");
        long t0 = System.nanoTime();
        ExternalTool.Result r = ExternalTool.run(cmd);
        if (r.exitCode() != 0) {
            Files.deleteIfExists(tmp);
            String all = r.all();
            if (all.contains("spandsp.h") || all.contains("tiffio.h") || all.contains("cannot find -lspandsp")
                    || all.contains("cannot find -ltiff")) {
                throw ExternalTool.unavailable("spandsp or libtiff development files missing (install Debian "
                        + "packages libspandsp-dev and libtiff-dev): " + all.lines().findFirst().orElse(""));
            }
            fail("compiling " + name + " failed: " + String.join(" ", cmd) + "\n" + all);
        }
        if (!r.all().isBlank()) {
            System.out.println(name + " compiler output:\n" + r.all());
        }
        Files.move(tmp, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf(Locale.ROOT, "compiled %s in %.1f s%n", bin, (System.nanoTime() - t0) / 1e9);
        BUILT.put(name, bin);
        return bin;
    }

    /** The later of {@code source}'s time and that of any file in {@code shared}, when it exists. */
    private static FileTime newest(Path source, Path shared) throws IOException {
        FileTime newest = Files.getLastModifiedTime(source);
        if (Files.isDirectory(shared)) {
            try (var files = Files.list(shared)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    FileTime t = Files.getLastModifiedTime(f);
                    if (t.compareTo(newest) > 0) {
                        newest = t;
                    }
                }
            }
        }
        return newest;
    }
}
