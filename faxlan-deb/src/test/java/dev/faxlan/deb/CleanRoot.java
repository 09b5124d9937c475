package dev.faxlan.deb;

import dev.faxlan.testkit.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A clean Debian root file system for installing the package into: {@code mmdebstrap --variant=minbase
 * bookworm} from the mirror this machine's apt uses, with the Java runtime the package depends on
 * installed with it. Made once per build (minutes: every package is downloaded) and kept
 * as a tarball under {@code target/}; each test unpacks a fresh copy (seconds).
 */
final class CleanRoot {
    static final String SUITE = "bookworm";
    static final String JAVA = "openjdk-17-jre-headless";

    private CleanRoot() {}

    /** The cached tarball, made first if this build has none. */
    static Path tarball(Path target) throws IOException, InterruptedException {
        Path tar = target.resolve("clean-root").resolve(SUITE + "-minbase-" + JAVA + ".tar");
        if (Files.exists(tar)) return tar;
        ExternalTool.require("mmdebstrap", "Debian package mmdebstrap");
        String mirror = mirror().orElseThrow(() -> ExternalTool.unavailable("no Debian " + SUITE + " mirror in /etc/apt/sources.list(.d)"));
        Files.createDirectories(tar.getParent());
        Path partial = tar.resolveSibling(tar.getFileName() + ".partial.tar");
        long t0 = System.nanoTime();
        // mmdebstrap resolves the base system and the JRE in one apt run, downloads in parallel and writes the tarball
        // itself: about three minutes where debootstrap, fetching package by package, then apt in the chroot took many more.
        run(List.of("mmdebstrap", "--variant=minbase", "--include=" + JAVA, SUITE, partial.toString(), mirror));
        long t1 = System.nanoTime();
        Files.move(partial, tar);
        System.out.printf("CleanRoot: mmdebstrap %s with %s from %s in %d s, cached as %s (%d MB)%n", SUITE, JAVA, mirror,
                (t1 - t0) / 1_000_000_000, tar, Files.size(tar) >> 20);
        return tar;
    }

    /** Unpacks a fresh copy of the clean root into {@code dir}. */
    static Path unpack(Path tarball, Path dir) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir);
        run(List.of("tar", "-C", root.toString(), "--numeric-owner", "-xpf", tarball.toString()));
        return root;
    }

    /** The URI of the first apt source for the suite, from deb822 {@code .sources} files or one-line lists. */
    static Optional<String> mirror() throws IOException {
        List<Path> files = new ArrayList<>();
        Path list = Path.of("/etc/apt/sources.list");
        if (Files.exists(list)) files.add(list);
        Path dir = Path.of("/etc/apt/sources.list.d");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".list") || p.toString().endsWith(".sources")).sorted().forEach(files::add);
            }
        }
        Pattern oneLine = Pattern.compile("^deb\\s+(?:\\[[^]]*]\\s+)?(\\S+)\\s+" + SUITE + "\\s+.*\\bmain\\b.*$");
        for (Path f : files) {
            String text = Files.readString(f);
            if (f.toString().endsWith(".sources")) {
                for (String stanza : text.split("\\n\\s*\\n")) {
                    String uris = field(stanza, "URIs");
                    String suites = field(stanza, "Suites");
                    String types = field(stanza, "Types");
                    if (uris == null || suites == null || (types != null && !List.of(types.split("\\s+")).contains("deb"))) continue;
                    if (List.of(suites.split("\\s+")).contains(SUITE)) return Optional.of(uris.split("\\s+")[0]);
                }
            } else {
                for (String line : text.split("\n")) {
                    Matcher m = oneLine.matcher(line.strip());
                    if (m.matches()) return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }

    private static String field(String stanza, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s*(.+)$").matcher(stanza);
        return m.find() ? m.group(1).strip() : null;
    }

    /** Runs {@code command} to its end (downloads may take minutes: at most 30), failing on a non-zero exit; its output. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("clean-root", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within 30 minutes");
            }
            String output = Files.readString(out);
            if (p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ":\n" + output);
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** /proc mounted in a root for as long as programs run there (the JVM and dpkg's scripts read it). */
    record Mounted(Path where) implements AutoCloseable {
        static Mounted proc(Path root) throws IOException, InterruptedException {
            Path p = Files.createDirectories(root.resolve("proc"));
            run(List.of("mount", "-t", "proc", "proc", p.toString()));
            return new Mounted(p);
        }

        /**
         * The root bind-mounted on itself, so that it is a mount point: the JVM finds a path's file
         * store in /proc/self/mounts, which in a plain chroot lists no mount for "/".
         */
        static Mounted itself(Path root) throws IOException, InterruptedException {
            run(List.of("mount", "--bind", root.toString(), root.toString()));
            return new Mounted(root);
        }

        @Override
        public void close() throws IOException, InterruptedException {
            run(List.of("umount", "-l", where.toString()));
        }
    }
}
