package dev.faxlan.lines.interop;

import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.testkit.PortRetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Kamailio as registrar and proxy on 127.0.0.1, for interop tests.
 *
 * <p>The test names the realm and the users ({@link #addUser}) and calls {@link #start}. Kamailio
 * then listens on UDP and TCP on one free port and:
 * <ul>
 * <li>answers REGISTER for a known user with 401 and a digest challenge, then saves the contact
 *     in memory (usrloc, no database) if the password is right; a wrong password or unknown user
 *     gets 403;</li>
 * <li>challenges an INVITE (any initial request) whose From user is a known user with 407, and
 *     forwards it once the caller has authenticated; requests from other users pass unchallenged,
 *     as if from a trunk;</li>
 * <li>forwards an initial request for a registered user to its contact, record-routing INVITEs so
 *     ACK and BYE come through the proxy too; an unregistered user gets 404;</li>
 * <li>answers OPTIONS addressed to itself with 200.</li>
 * </ul>
 * Passwords live only in the generated configuration. The configuration, the pid file and the
 * runtime directory go into a temporary directory; nothing is needed under /run or /etc.
 * Registered contacts are read over the ctl module's socket with kamcmd. Kamailio's log (stderr)
 * is kept for failure messages and copied to {@code target/sip-interop/} when it stops.
 */
public final class Kamailio implements AutoCloseable {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._+-]{1,64}");
    // Excludes what kamailio's configuration language would read specially inside a string.
    private static final Pattern PASSWORD = Pattern.compile("[\\x21\\x23\\x25-\\x5b\\x5d-\\x7e]{1,64}");
    private static final Pattern REALM = Pattern.compile("[A-Za-z0-9.-]{1,128}");
    private static final Duration START_LIMIT = Duration.ofSeconds(20);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);
    private static final Path KEPT_LOGS = Path.of("target", "sip-interop");

    private final String realm;
    private final Map<String, String> users = new LinkedHashMap<>();
    private Path dir;
    private Path log;
    private Process process;
    private List<ProcessHandle> processes = List.of();
    private int port;

    private Kamailio(String realm) {
        if (!REALM.matcher(realm).matches()) {
            throw new IllegalArgumentException("realm must match " + REALM + ": " + realm);
        }
        this.realm = realm;
    }

    /** A Kamailio for {@code realm}, not yet started. */
    public static Kamailio withRealm(String realm) {
        return new Kamailio(realm);
    }

    /** Adds a user who may register and call; before {@link #start} only. */
    public Kamailio addUser(String name, String password) {
        if (process != null) {
            throw new IllegalStateException("users are fixed once kamailio has started");
        }
        if (!USER.matcher(name).matches()) {
            throw new IllegalArgumentException("user name must match " + USER + ": " + name);
        }
        if (!PASSWORD.matcher(password).matches()) {
            throw new IllegalArgumentException("password must match " + PASSWORD);
        }
        users.put(name, password);
        return this;
    }

    /**
     * Starts kamailio on a free port and returns once it answers OPTIONS. Skips the test (fails
     * on CI) if kamailio or kamcmd is not installed.
     */
    public Kamailio start() throws Exception {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        Path kamailio = ExternalTool.require("kamailio", "the Debian package kamailio");
        ExternalTool.require("kamcmd", "the Debian package kamailio");
        // Temporary directory rather than target/: the ctl socket path must stay under 108 bytes.
        dir = Files.createTempDirectory("kamailio");
        Path run = Files.createDirectories(dir.resolve("run"));
        log = dir.resolve("kamailio.log");
        try {
            // The free port can be taken by another program before kamailio binds it: then another.
            return PortRetry.onAddressInUse("kamailio", attempt -> {
                port = LoopbackPorts.freeUdpAndTcp();
                Path cfg = dir.resolve("kamailio.cfg");
                Files.writeString(cfg, config(realm, port, users, ctlSocket()), StandardCharsets.UTF_8);
                process = new ProcessBuilder(List.of(kamailio.toString(),
                        "-DD", "-E", // stay in the foreground, log to stderr
                        "-f", cfg.toString(),
                        "-P", dir.resolve("kamailio.pid").toString(),
                        "-Y", run.toString(),
                        "-w", dir.toString(),
                        "-m", "32", "-M", "4")) // MB of shared and per-process memory; the defaults are larger
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                try {
                    awaitReady();
                    return this;
                } catch (IllegalStateException e) {
                    boolean portTaken = !process.isAlive() && PortRetry.inUse(log());
                    stopProcess();
                    if (portTaken) {
                        throw new PortRetry.PortTaken("kamailio could not bind port " + port + "\n" + logTail(20), e);
                    }
                    throw e;
                }
            });
        } catch (Exception e) {
            stop();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kamailio exited with " + process.exitValue()
                        + " while starting\n" + logTail(40));
            }
            if (SipProbe.options(LoopbackPorts.HOST, port, Duration.ofMillis(200)).isPresent()
                    && Files.exists(ctlSocketPath())) {
                processes = Stream.concat(Stream.of(process.toHandle()), process.toHandle().descendants()).toList();
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("kamailio did not answer OPTIONS on " + LoopbackPorts.HOST + ":" + port
                        + " within " + START_LIMIT + "\n" + logTail(40));
            }
        }
    }

    public String host() {
        return LoopbackPorts.HOST;
    }

    /** The UDP and TCP port, once started. */
    public int port() {
        requireStarted();
        return port;
    }

    public String realm() {
        return realm;
    }

    /** {@code sip:user@127.0.0.1:port}: the address of record for {@code user} at this server. */
    public String aor(String user) {
        return "sip:" + user + "@" + host() + ":" + port();
    }

    /** The contact URIs {@code user} has registered, empty if none; read from usrloc with kamcmd. */
    public List<String> contacts(String user) throws IOException, InterruptedException {
        requireStarted();
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("user name must match " + USER + ": " + user);
        }
        // "s:" keeps kamcmd from sending a numeric user name as an integer.
        ExternalTool.Result r = ExternalTool.run(List.of(
                ExternalTool.require("kamcmd", "the Debian package kamailio").toString(),
                "-s", "unix:" + ctlSocketPath(), "ul.lookup", "location", "s:" + user));
        String out = r.all();
        if (out.contains("AOR not found")) {
            return List.of();
        }
        if (r.exitCode() != 0 || out.startsWith("error")) {
            throw new IllegalStateException("kamcmd ul.lookup failed (" + r.exitCode() + "): " + out);
        }
        List<String> contacts = new ArrayList<>();
        for (String line : out.split("\n")) {
            String t = line.strip();
            if (t.startsWith("Address: ")) {
                contacts.add(t.substring("Address: ".length()));
            }
        }
        return contacts;
    }

    /** Removes every contact {@code user} has registered (kamcmd ul.rm). */
    public void forget(String user) throws IOException, InterruptedException {
        requireStarted();
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("user name must match " + USER + ": " + user);
        }
        ExternalTool.Result r = ExternalTool.run(List.of(
                ExternalTool.require("kamcmd", "the Debian package kamailio").toString(),
                "-s", "unix:" + ctlSocketPath(), "ul.rm", "location", "s:" + user));
        if (r.exitCode() != 0 || r.all().startsWith("error")) {
            throw new IllegalStateException("kamcmd ul.rm " + user + " failed (" + r.exitCode() + "): " + r.all());
        }
    }

    public boolean isRegistered(String user) throws IOException, InterruptedException {
        return !contacts(user).isEmpty();
    }

    /** Everything kamailio has logged so far. */
    public String log() {
        if (log == null || !Files.exists(log)) {
            return "";
        }
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of the log, for failure messages. */
    public String logTail(int lines) {
        String[] all = log().split("\n");
        int from = Math.max(0, all.length - lines);
        return "--- kamailio log (last " + (all.length - from) + " lines) ---\n"
                + String.join("\n", List.of(all).subList(from, all.length));
    }

    /** Stops kamailio and all its processes, keeps a copy of the log, and removes the temporary directory. */
    public void stop() throws IOException, InterruptedException {
        if (process == null) {
            return;
        }
        stopProcess();
        if (Files.exists(log)) {
            Files.createDirectories(KEPT_LOGS);
            Path kept = KEPT_LOGS.resolve("kamailio-" + port + ".log");
            Files.copy(log, kept, StandardCopyOption.REPLACE_EXISTING);
            log = kept;
        }
        deleteTree(dir);
        process = null;
    }

    private void stopProcess() throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(processes);
        all.add(process.toHandle());
        all.addAll(process.toHandle().descendants().toList());
        // SIGTERM to the main process: it stops its children itself.
        process.destroy();
        if (!process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("kamailio process " + h.pid() + " did not exit", e);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("kamailio is not running");
        }
    }

    private Path ctlSocketPath() {
        return dir.resolve("ctl.sock");
    }

    private String ctlSocket() {
        return "unix:" + ctlSocketPath();
    }

    private static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The configuration kamailio runs with; package-private for tests of its generation. */
    static String config(String realm, int port, Map<String, String> users, String ctlSocket) {
        Objects.requireNonNull(realm);
        StringBuilder cases = new StringBuilder();
        users.forEach((name, password) -> cases.append("        case \"").append(name)
                .append("\": $var(known) = 1; $var(pw) = \"").append(password).append("\"; break;\n"));
        return TEMPLATE
                .replace("@PORT@", Integer.toString(port))
                .replace("@REALM@", realm)
                .replace("@CTL@", ctlSocket)
                .replace("@USERS@", cases.toString());
    }

    private static final String TEMPLATE = """
            #!KAMAILIO
            # Generated by a faxlan interop test: registrar and proxy with digest auth, no database.
            debug=2
            log_stderror=yes
            disable_core_dump=yes
            children=2
            tcp_children=1
            auto_aliases=no
            dns=no
            rev_dns=no
            use_dns_cache=no
            listen=udp:127.0.0.1:@PORT@
            listen=tcp:127.0.0.1:@PORT@
            alias="127.0.0.1:@PORT@"

            # tm first: sl and others bind to it while loading.
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "rr.so"
            loadmodule "pv.so"
            loadmodule "maxfwd.so"
            loadmodule "textops.so"
            loadmodule "siputils.so"
            loadmodule "xlog.so"
            loadmodule "sanity.so"
            loadmodule "usrloc.so"
            loadmodule "registrar.so"
            loadmodule "auth.so"
            loadmodule "ctl.so"

            modparam("usrloc", "db_mode", 0)
            modparam("ctl", "binrpc", "@CTL@")

            request_route {
                xlog("L_INFO", "request $rm $ru from $si:$sp call-id $ci\\n");
                if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
                if (!sanity_check()) exit;
                if (has_totag()) {
                    if (loose_route()) { route(RELAY); exit; }
                    if (is_method("ACK")) { if (t_check_trans()) t_relay(); exit; }
                    sl_send_reply("404", "Not Found");
                    exit;
                }
                if (is_method("CANCEL")) { if (t_check_trans()) route(RELAY); exit; }
                if (is_method("ACK")) exit;
                t_check_trans();
                remove_hf("Route");
                if (is_method("REGISTER")) { route(REGISTRAR); exit; }
                if ($rU == $null) {
                    if (is_method("OPTIONS")) sl_send_reply("200", "OK"); else sl_send_reply("484", "Address Incomplete");
                    exit;
                }
                route(CALLER);
                if (is_method("INVITE")) record_route();
                if (!lookup("location")) {
                    xlog("L_INFO", "$rm for $rU: not registered\\n");
                    sl_send_reply("404", "Not Found");
                    exit;
                }
                route(RELAY);
            }

            route[RELAY] {
                if (!t_relay()) sl_reply_error();
                exit;
            }

            route[REGISTRAR] {
                $var(user) = $tU;
                route(PASSWORD);
                if ($var(known) == 0) { sl_send_reply("403", "Forbidden"); exit; }
                if (!is_present_hf("Authorization")) { www_challenge("@REALM@", "0"); exit; }
                if (!pv_www_authenticate("@REALM@", "$var(pw)", "0")) {
                    # -4 stale nonce, -5 no credentials for this realm: challenge again
                    if ($rc == -4 || $rc == -5) { www_challenge("@REALM@", "0"); exit; }
                    xlog("L_NOTICE", "REGISTER for $tU refused: authentication result $rc\\n");
                    sl_send_reply("403", "Forbidden");
                    exit;
                }
                if ($au != $tU) { sl_send_reply("403", "Forbidden"); exit; }
                consume_credentials();
                if (!save("location")) sl_reply_error();
                xlog("L_NOTICE", "REGISTER for $tU saved, contact $ct\\n");
            }

            route[CALLER] {
                $var(user) = $fU;
                route(PASSWORD);
                if ($var(known) == 0) return;
                if (!is_present_hf("Proxy-Authorization")) { proxy_challenge("@REALM@", "0"); exit; }
                if (!pv_proxy_authenticate("@REALM@", "$var(pw)", "0")) {
                    if ($rc == -4 || $rc == -5) { proxy_challenge("@REALM@", "0"); exit; }
                    xlog("L_NOTICE", "$rm from $fU refused: authentication result $rc\\n");
                    sl_send_reply("403", "Forbidden");
                    exit;
                }
                if ($au != $fU) { sl_send_reply("403", "Forbidden"); exit; }
                consume_credentials();
            }

            route[PASSWORD] {
                $var(known) = 0;
                $var(pw) = "";
                switch ($var(user)) {
            @USERS@        default: break;
                }
            }
            """;
}
