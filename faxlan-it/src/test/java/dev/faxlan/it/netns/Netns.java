package dev.faxlan.it.netns;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Linux network namespaces for tests: namespaces with unique short names, veth pairs created directly
 * inside them (nothing ever appears in the root namespace), bridges, addresses, routes, forwarding,
 * nftables rulesets, tbf shaping, and processes run inside a namespace. {@link #close()} kills the
 * processes started here and deletes every namespace (and with it every interface); a JVM shutdown hook
 * does the same if the test JVM dies first.
 *
 * <p>Addresses used with this class must be private test subnets that exist only inside these
 * namespaces; nothing here touches the host's own interfaces or routes.
 */
public final class Netns implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static String ip;
    private static String nft;
    private static String tc;

    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Thread hook = new Thread(this::cleanup, "netns-cleanup");
    private boolean closed;

    /** The result of a finished command. */
    public record Result(int exit, String out, String err) {
        public Result check(String what) {
            if (exit != 0) throw new IllegalStateException(what + " exited " + exit + "\nstdout: " + out + "\nstderr: " + err);
            return this;
        }
    }

    /**
     * Skips the calling test (with the reason printed) unless we are root and have ip, nft and tc and
     * can create a namespace; under {@code CI=true} fails instead of skipping.
     */
    public static void requireEnvironment() {
        ip = which("ip");
        nft = which("nft");
        tc = which("tc");
        String reason = null;
        if (!"Linux".equals(System.getProperty("os.name"))) reason = "network namespaces need Linux";
        else if (!isRoot()) reason = "network namespace tests need root";
        else if (ip == null) reason = "ip (iproute2) is not installed";
        else if (nft == null) reason = "nft (nftables) is not installed";
        else if (tc == null) reason = "tc (iproute2) is not installed";
        else {
            String probe = "fxp" + hex(3);
            Result r = run(List.of(ip, "netns", "add", probe), null, Duration.ofSeconds(10), Map.of());
            if (r.exit() != 0) reason = "cannot create a network namespace: " + r.err().strip();
            else run(List.of(ip, "netns", "del", probe), null, Duration.ofSeconds(10), Map.of());
        }
        if (reason == null) return;
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: namespace tests must run)");
        System.out.println("SKIPPED (netns): " + reason);
        Assumptions.abort(reason);
    }

    public Netns() {
        this.prefix = "fx" + hex(2);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Creates a namespace (name: a short random prefix + {@code role}) with its loopback up. */
    public synchronized String add(String role) {
        String name = prefix + role;
        run(ip, "netns", "add", name);
        namespaces.add(name);
        run(ip, "-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** A veth pair with one end in each namespace, both up. */
    public void veth(String nsA, String ifA, String nsB, String ifB) {
        run(ip, "-n", nsA, "link", "add", ifA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        run(ip, "-n", nsA, "link", "set", ifA, "up");
        run(ip, "-n", nsB, "link", "set", ifB, "up");
    }

    /** A bridge in {@code ns} with the given interfaces (already in {@code ns}) as its ports. */
    public void bridge(String ns, String bridge, String... ports) {
        run(ip, "-n", ns, "link", "add", bridge, "type", "bridge");
        for (String p : ports) run(ip, "-n", ns, "link", "set", p, "master", bridge);
        run(ip, "-n", ns, "link", "set", bridge, "up");
    }

    public void addr(String ns, String dev, String cidr) {
        // brd +: the subnet's broadcast address, as DHCP or any network manager would set it.
        run(ip, "-n", ns, "addr", "add", cidr, "brd", "+", "dev", dev);
    }

    public void defaultRoute(String ns, String via) {
        run(ip, "-n", ns, "route", "add", "default", "via", via);
    }

    public void forwarding(String ns) {
        exec(ns, Duration.ofSeconds(10), Map.of(), "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward").check("ip_forward");
    }

    /** Loads an nftables ruleset (the text of an {@code nft -f} file) in {@code ns}. */
    public void nft(String ns, String ruleset) {
        run(List.of(ip, "netns", "exec", ns, nft, "-f", "-"), ruleset, Duration.ofSeconds(20), Map.of()).check("nft -f - in " + ns);
    }

    /** Flushes the whole nftables ruleset of {@code ns}. */
    public void nftFlush(String ns) {
        run(ip, "netns", "exec", ns, nft, "flush", "ruleset");
    }

    /** Shapes egress of {@code dev} with a token bucket: {@code tbf rate RATE burst 256kb latency 50ms}. */
    public void tbf(String ns, String dev, String rate) {
        run(ip, "netns", "exec", ns, tc, "qdisc", "add", "dev", dev, "root", "tbf", "rate", rate, "burst", "256kb", "latency", "50ms");
    }

    /** Runs a command inside {@code ns} and waits for it (killed after {@code timeout}). */
    public Result exec(String ns, Duration timeout, Map<String, String> env, String... cmd) {
        return run(inNs(ns, cmd), null, timeout, env);
    }

    /** Starts a long-running command inside {@code ns}, output to files; killed by {@link #close()}. */
    public synchronized Process spawn(String ns, Map<String, String> env, Path stdout, Path stderr, String... cmd) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(inNs(ns, cmd)).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private List<String> inNs(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of(ip, "netns", "exec", ns));
        all.addAll(Arrays.asList(cmd));
        return all;
    }

    /** The {@code java} command line that runs {@code mainClass} with this JVM's class path. */
    public static List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(Arrays.asList(args));
        return cmd;
    }

    /** {@code faxlan ARGS} as a command line. */
    public static String[] faxlan(String... args) {
        return java("dev.faxlan.launcher.Launcher", args).toArray(String[]::new);
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        cleanup();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs cleanup, which is idempotent
        }
    }

    private synchronized void cleanup() {
        for (Process p : processes) p.destroy();
        for (Process p : processes) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        for (String ns : namespaces) run(List.of(ip, "netns", "del", ns), null, Duration.ofSeconds(10), Map.of());
        namespaces.clear();
    }

    private static void run(String... cmd) {
        run(List.of(cmd), null, Duration.ofSeconds(20), Map.of()).check(String.join(" ", cmd));
    }

    static Result run(List<String> cmd, String stdin, Duration timeout, Map<String, String> env) {
        try {
            Path out = Files.createTempFile("netns", ".out");
            Path err = Files.createTempFile("netns", ".err");
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
                if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                pb.environment().putAll(env);
                Process p = pb.start();
                if (stdin != null) {
                    try (OutputStream o = p.getOutputStream()) {
                        o.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    return new Result(-1, Files.readString(out), Files.readString(err) + "\n(killed after " + timeout + ")");
                }
                return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            return new Result(-1, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "", "interrupted");
        }
    }

    private static boolean isRoot() {
        Result r = run(List.of("id", "-u"), null, Duration.ofSeconds(5), Map.of());
        return r.exit() == 0 && r.out().strip().equals("0");
    }

    private static String which(String tool) {
        List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (d.isEmpty()) continue;
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
