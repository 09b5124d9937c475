package dev.faxlan.it;

import dev.faxlan.documents.WorkDirectories;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A class-data-sharing archive (AppCDS) of the classes the faxlan command loads, made once and used by
 * every child JVM the tests start ({@link Cli#javaCommand()}): the tests start a few hundred commands
 * and servers, and each maps its classes from the archive instead of reading and verifying them (a
 * command takes about a third less CPU). It is made from the classes a server and a client command
 * loaded ({@code -XX:DumpLoadedClassList}), by {@code -Xshare:dump}; it is made again when a JAR on the
 * class path is newer. If it cannot be made, the children run without it: only slower. Test JVMs running
 * at once share it: the first makes it while holding a file lock, the others wait on that lock and use it.
 */
final class SharedClassArchive {
    private static final Path DIR = Path.of("target", "cds").toAbsolutePath();
    private static final Path ARCHIVE = DIR.resolve("faxlan.jsa");
    private static final Path LOCK = DIR.resolve("faxlan.jsa.lock");
    private static final Pattern LISTENING = Pattern.compile("listening on udp /?127\\.0\\.0\\.1:(\\d+)");
    /** Options the archive was made with and every child runs with. */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** The JVM's CDS messages (an archive it cannot use is only a warning on stdout) off, so no test's output has them. */
    private static final List<String> QUIET = List.of("-Xlog:cds*=off", "-Xlog:class+path=off");

    private static List<String> options;

    private SharedClassArchive() {}

    /**
     * The class path for children: JARs first, directories last. CDS archives classes from JARs only and
     * refuses a non-empty directory in front of them; the directories hold only test classes and resources.
     */
    static String classPath() {
        List<String> jars = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            (entry.endsWith(".jar") ? jars : dirs).add(entry);
        }
        jars.addAll(dirs);
        return String.join(File.pathSeparator, jars);
    }

    /** The options that make a child use the archive, made first if need be; none if it could not be made. */
    static synchronized List<String> options() {
        if (options == null) {
            options = List.of();
            try {
                makeUnlessUpToDate();
                options = Stream.concat(Stream.of("-XX:SharedArchiveFile=" + ARCHIVE), QUIET.stream()).toList();
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("SharedClassArchive: child JVMs run without a class archive: " + e);
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            }
        }
        return options;
    }

    /** Makes the archive unless it is up to date, holding the lock other test JVMs take for the same. */
    private static void makeUnlessUpToDate() throws IOException, InterruptedException {
        Files.createDirectories(DIR);
        try (FileChannel lock = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = lock.lock()) {
            if (!upToDate()) make();
        }
    }

    private static boolean upToDate() throws IOException {
        if (!Files.isRegularFile(ARCHIVE)) return false;
        FileTime made = Files.getLastModifiedTime(ARCHIVE);
        for (String entry : classPath().split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.exists(p) && Files.getLastModifiedTime(p).compareTo(made) >= 0) return false;
        }
        return true;
    }

    private static void make() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Files.createDirectories(DIR);
        Files.deleteIfExists(ARCHIVE);
        Path work = Files.createTempDirectory(DIR, "training");
        try {
            train(work);
        } finally {
            WorkDirectories.delete(work); // the training server's data and the class lists
        }
        System.out.printf("SharedClassArchive: %s made in %.1f s%n", ARCHIVE, (System.nanoTime() - t0) / 1e9);
    }

    /** Runs a server and a command against it, each listing the classes it loads, and dumps the archive of both lists. */
    private static void train(Path work) throws IOException, InterruptedException {
        Path serverClasses = work.resolve("server.classes");
        Path clientClasses = work.resolve("client.classes");
        Process server = start(serverClasses, work, Map.of("FAXLAN_ADMIN_PASSWORD", "training-admin-pw-1"),
                "server", "--data", work.resolve("data").toString(), "--bind", "127.0.0.1", "--port", "0", "--name", "training");
        try {
            int port = listeningPort(server, work.resolve("server.out"));
            Process client = start(clientClasses, work, Map.of("FAXLAN_PASSWORD", "training-admin-pw-1",
                    "XDG_CONFIG_HOME", work.resolve("config").toString()), "jobs", "--server", "127.0.0.1:" + port, "--user", "admin", "--json");
            if (!client.waitFor(120, TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new IOException("the training command did not finish in 120 s");
            }
        } finally {
            server.destroy(); // SIGTERM: the class list is complete when it exits
            if (!server.waitFor(60, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
        }
        // The server's list, then what only the client loaded, each in the order loaded.
        LinkedHashSet<String> classes = new LinkedHashSet<>(Files.readAllLines(serverClasses, StandardCharsets.UTF_8));
        classes.addAll(Files.readAllLines(clientClasses, StandardCharsets.UTF_8));
        classes.removeIf(l -> l.startsWith("#"));
        Path list = work.resolve("all.classes");
        Files.write(list, classes, StandardCharsets.UTF_8);
        List<String> dump = new ArrayList<>(List.of(java(), "-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + ARCHIVE));
        dump.addAll(JVM_OPTIONS);
        dump.addAll(List.of("-cp", classPath()));
        Path log = DIR.resolve("dump.log");
        Process p = new ProcessBuilder(dump).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("-Xshare:dump did not finish in 300 s");
        }
        if (p.exitValue() != 0 || !Files.isRegularFile(ARCHIVE)) throw new IOException("-Xshare:dump exited " + p.exitValue() + ", see " + log);
    }

    private static Process start(Path classList, Path work, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:DumpLoadedClassList=" + classList));
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-Dlogback.configurationFile=logback.xml", "-cp", classPath(), "dev.faxlan.launcher.Launcher"));
        cmd.addAll(List.of(args));
        String name = args[0];
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(work.resolve(name + ".out").toFile())
                .redirectError(work.resolve(name + ".err").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("FAXLAN_"));
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Waits (condition, not time) until the training server prints its port. */
    private static int listeningPort(Process server, Path out) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(out, StandardCharsets.UTF_8));
            if (m.find()) return Integer.parseInt(m.group(1));
            if (!server.isAlive()) throw new IOException("the training server exited with " + server.exitValue());
            server.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new IOException("the training server did not listen within 120 s");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
