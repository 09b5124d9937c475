package dev.faxlan.it.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code faxlan server} running in a namespace, and faxlan client commands run against it. */
final class ServerProcess {
    static final String ADMIN_PASSWORD = "netns-admin-pw-1";
    /** When the tests' jobs are due: never during a test, so they stay queued. */
    static final String LATER = "2099-01-01T00:00:00Z";
    static final int PORT = 4644;
    private static final Pattern IDENTITY = Pattern.compile("identity (SHA256:\\S+)");

    final Netns net;
    final String ns;
    final String name;
    final Path data;
    final Path stdout;
    final Path stderr;
    final Process process;
    final String fingerprint;

    private ServerProcess(Netns net, String ns, String name, Path data, Path stdout, Path stderr, Process process, String fingerprint) {
        this.net = net;
        this.ns = ns;
        this.name = name;
        this.data = data;
        this.stdout = stdout;
        this.stderr = stderr;
        this.process = process;
        this.fingerprint = fingerprint;
    }

    /** Starts the server on UDP 4644 in {@code ns} (with {@code extraArgs} after the usual ones) and waits until it prints its identity. */
    static ServerProcess start(Netns net, String ns, Path dir, String name, String... extraArgs) throws IOException, InterruptedException {
        Path data = dir.resolve(name + "-data");
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        // A trunk that takes the +1 555 numbers the tests submit to (submit refuses numbers no line takes);
        // the tests schedule their jobs for later, so it is never dialled.
        Path config = dir.resolve(name + ".properties");
        Files.writeString(config, """
                numbers.country-code=1
                sip.bind=127.0.0.1
                line.test.registrar=127.0.0.1:9
                line.test.register=false
                line.test.user=15550000
                line.test.number=+15550000
                line.test.route=+1555
                """);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "dev.faxlan.launcher.Launcher", "server", "--config", config.toString(), "--data", data.toString(), "--port", String.valueOf(PORT), "--name", name));
        cmd.addAll(List.of(extraArgs));
        Process p = net.spawn(ns, Map.of("FAXLAN_ADMIN_PASSWORD", ADMIN_PASSWORD), out, err, cmd.toArray(String[]::new));
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = IDENTITY.matcher(Files.readString(out));
            if (m.find()) return new ServerProcess(net, ns, name, data, out, err, p, m.group(1));
            if (!p.isAlive()) break;
            Thread.sleep(200);
        }
        throw new IllegalStateException("faxlan server in " + ns + " did not start (alive: " + p.isAlive() + ")\nstdout: "
                + Files.readString(out) + "\nstderr: " + Files.readString(err));
    }

    /** Environment of a client command: its own config directory and the given credentials. */
    static Map<String, String> clientEnv(Path xdg, String user, String password) {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", xdg.toString());
        if (user != null) env.put("FAXLAN_USER", user);
        if (password != null) env.put("FAXLAN_PASSWORD", password);
        return env;
    }

    /** Runs {@code faxlan ARGS} against 127.0.0.1:4644 (FAXLAN_SERVER) as admin inside the server's namespace. */
    Netns.Result admin(Path xdg, Duration timeout, Map<String, String> extraEnv, String... args) {
        Map<String, String> env = clientEnv(xdg, "admin", ADMIN_PASSWORD);
        env.put("FAXLAN_SERVER", "127.0.0.1:" + PORT);
        env.putAll(extraEnv);
        return net.exec(ns, timeout, env, Netns.faxlan(args));
    }

    /** Creates a user account (as admin, from inside the server's namespace). */
    void addUser(Path xdg, String user, String password) {
        admin(xdg, Duration.ofSeconds(90), Map.of("FAXLAN_NEW_PASSWORD", password), "user", "add", user).check("faxlan user add " + user);
    }
}
