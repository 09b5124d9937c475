package dev.faxlan.it.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, packet analysis: client (10.231.14.2) and server (10.231.14.1) on one link. The server runs
 * with {@code --keylog}, each client command with {@code --keylog}; dumpcap captures the server's
 * interface while the client discovers the server, submits a document (login, upload, submit), lists its
 * jobs, receives an alert and asks for a job that does not exist. tshark with {@code contrib/wireshark/cpi.lua} then decodes
 * the capture, once with the client's key log and once with the server's, and the test checks it field by
 * field: the discovery probe and reply, every CPI operation by name with its request id, the answers
 * matched to them, an alert's event frame, the error code, and the document bytes after {@code upload.data}.
 */
class PacketAnalysisIT {
    static final String SERVER_IP = "10.231.14.1";
    static final String CLIENT_IP = "10.231.14.2";
    static final Path DISSECTOR = Path.of("..", "contrib", "wireshark", "cpi.lua").toAbsolutePath().normalize();
    static final String MISSING_JOB = "987654";

    @TempDir
    static Path dir;
    static Netns net;
    static ServerProcess server;
    static Path serverKeys;
    static Path clientKeys;
    static Path capture;
    static Path document;
    static Netns.Result discover;
    static final List<Netns.Result> clientRuns = new ArrayList<>();
    static String tshark;

    @BeforeAll
    static void setUp() throws Exception {
        Netns.requireEnvironment();
        tshark = requireTool("tshark");
        String dumpcap = requireTool("dumpcap");
        net = new Netns();
        String c = net.add("c");
        String s = net.add("s");
        net.veth(c, "eth0", s, "eth0");
        net.addr(c, "eth0", CLIENT_IP + "/24");
        net.addr(s, "eth0", SERVER_IP + "/24");
        serverKeys = dir.resolve("server-keys.txt");
        clientKeys = dir.resolve("client-keys.txt");
        server = ServerProcess.start(net, s, dir, "packet-analysis", "--keylog", serverKeys.toString());

        capture = dir.resolve("cpi.pcapng");
        Path dumpErr = dir.resolve("dumpcap.err");
        Process dump = net.spawn(s, Map.of(), dir.resolve("dumpcap.out"), dumpErr, dumpcap, "-i", "eth0", "-f", "udp port 4644", "-w", capture.toString());
        await("dumpcap to start capturing", Duration.ofSeconds(60), () -> Files.readString(dumpErr).contains("Capturing on"), dump);

        Map<String, String> env = ServerProcess.clientEnv(dir.resolve("client-xdg"), "admin", ServerProcess.ADMIN_PASSWORD);
        env.put("FAXLAN_SERVER", SERVER_IP + ":" + ServerProcess.PORT);
        discover = net.exec(c, Duration.ofSeconds(60), env, Netns.faxlan("servers", "--discover", "--json", "--timeout", "2")).check("servers --discover");
        document = dir.resolve("letter.txt");
        Files.writeString(document, "A letter for the packet analysis test.\n");
        clientRuns.add(net.exec(c, Duration.ofSeconds(90), env, Netns.faxlan("submit", "--keylog", clientKeys.toString(), "--to", "+15551230000",
                "--at", ServerProcess.LATER, document.toString())).check("submit"));
        clientRuns.add(net.exec(c, Duration.ofSeconds(90), env, Netns.faxlan("jobs", "--keylog", clientKeys.toString(), "--json")).check("jobs"));
        // The submitted job's first event, pushed by the server on a stream of its own.
        clientRuns.add(net.exec(c, Duration.ofSeconds(90), env, Netns.faxlan("alert", "--keylog", clientKeys.toString(), "--json", "--from", "0",
                "--count", "1", "--subscriber", "packet-analysis")).check("alert"));
        Netns.Result missing = net.exec(c, Duration.ofSeconds(90), env, Netns.faxlan("job", "--keylog", clientKeys.toString(), MISSING_JOB));
        assertThat(missing.exit()).as("faxlan job %s: %s", MISSING_JOB, missing.err()).isEqualTo(5);
        clientRuns.add(missing);

        // dumpcap writes what it has read at its own pace; stopping it at once could lose the last packets.
        await("the capture to hold every answer, the error included", Duration.ofSeconds(90), () -> {
            List<Map<String, String>> frames = decode(clientKeys, true);
            return frames.stream().anyMatch(f -> "error".equals(f.get("cpi.kind"))) && frames.stream().filter(f -> "request".equals(f.get("cpi.kind")))
                    .allMatch(req -> answers(frames, req).size() == 1);
        }, dump);
        dump.destroy(); // SIGTERM: dumpcap finishes the file
        assertThat(dump.waitFor(30, TimeUnit.SECONDS)).as("dumpcap ends on SIGTERM").isTrue();
        // Kept for a look in Wireshark: the capture and the (test-only) key logs.
        Path keep = Files.createDirectories(Path.of("target", "packet-analysis"));
        for (Path p : List.of(capture, clientKeys, serverKeys)) Files.copy(p, keep.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void tearDown() {
        if (net != null) net.close();
    }

    @Test
    void keyLogsAreOwnerOnlyAndAnnouncedOnce() throws Exception {
        for (Path keys : List.of(serverKeys, clientKeys)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).as("permissions of %s", keys).isEqualTo("rw-------");
            // Five secrets per connection and side, in NSS key log format.
            List<String> lines = Files.readAllLines(keys);
            assertThat(lines).isNotEmpty().allMatch(l -> l.matches("[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,96}"), "NSS key log lines");
            assertThat(lines.size() % 5).isZero();
        }
        String serverErr = Files.readString(server.stderr);
        assertThat(serverErr.lines().filter(l -> l.contains("writing the TLS secrets")))
                .containsExactly(serverErr.lines().filter(l -> l.contains("writing the TLS secrets of every CPI connection to " + serverKeys)).findFirst().orElse("(none)"));
        for (Netns.Result r : clientRuns) {
            assertThat(r.err().lines().filter(l -> l.contains("writing the TLS secrets of every CPI connection to " + clientKeys + " ")))
                    .as("the warning of a client command, stderr: %s", r.err()).hasSize(1);
        }
        // The secrets never reach a log: no secret of the key log appears on stdout or stderr.
        String secret = Files.readAllLines(serverKeys).get(0).split(" ")[2];
        assertThat(serverErr + Files.readString(server.stdout)).doesNotContain(secret);
        for (Netns.Result r : clientRuns) assertThat(r.out() + r.err()).doesNotContain(secret);
    }

    @Test
    void discoveryProbeAndReplyAreDecodedWithoutKeys() throws Exception {
        assertThat(discover.out()).contains(server.fingerprint);
        List<Map<String, String>> frames = decode(null);
        List<Map<String, String>> probes = frames.stream().filter(f -> "1".equals(number(f.get("cpi.discovery.type")))).toList();
        List<Map<String, String>> replies = frames.stream().filter(f -> "2".equals(number(f.get("cpi.discovery.type")))).toList();
        assertThat(probes).as("discovery probes").isNotEmpty().allSatisfy(p -> {
            assertThat(number(p.get("cpi.discovery.version"))).isEqualTo("1");
            assertThat(Integer.parseInt(p.get("cpi.discovery.padding"))).isGreaterThanOrEqualTo(502); // 512 bytes in all
        });
        // One reply per probe that reached the server (broadcast to two addresses, and IPv6 multicast).
        assertThat(replies).as("discovery replies").isNotEmpty().allSatisfy(reply -> {
            assertThat(reply.get("cpi.discovery.name")).isEqualTo(server.name);
            assertThat(reply.get("cpi.discovery.port")).isEqualTo(String.valueOf(ServerProcess.PORT));
            assertThat(reply.get("cpi.discovery.fingerprint")).isEqualTo(server.fingerprint);
            assertThat(reply.get("cpi.discovery.server_version")).isNotBlank();
            assertThat(probes).as("a probe with the reply's nonce").anySatisfy(p -> assertThat(p.get("cpi.discovery.nonce")).isEqualTo(reply.get("cpi.discovery.nonce")));
        });
        // Without a key log nothing inside QUIC is readable.
        assertThat(frames).noneMatch(f -> f.containsKey("cpi.kind"));
    }

    @Test
    void theClientsKeyLogDecodesEveryOperationByName() throws Exception {
        checkOperations(decode(clientKeys));
    }

    @Test
    void theServersKeyLogDecodesTheSameOperations() throws Exception {
        checkOperations(decode(serverKeys));
    }

    private static void checkOperations(List<Map<String, String>> frames) throws Exception {
        List<Map<String, String>> requests = frames.stream().filter(f -> "request".equals(f.get("cpi.kind"))).toList();
        assertThat(requests.stream().map(f -> f.get("cpi.op")).toList())
                .as("operations in capture order")
                .containsSubsequence("login", "upload.begin", "upload.data", "submit")
                .containsSubsequence("submit", "login", "job.list")
                .containsSubsequence("job.list", "login", "alert.subscribe", "login", "job.get");
        // Every request is answered on its stream, with its id, and the answer names the operation.
        for (Map<String, String> req : requests) {
            assertThat(req.get("cpi.id")).as("request id of %s", req).matches("[0-9]+");
            assertThat(req.get("cpi.v")).isEqualTo("1");
            List<Map<String, String>> answers = answers(frames, req);
            assertThat(answers).as("answers to %s", req).hasSize(1);
            assertThat(answers.get(0).get("cpi.id")).isEqualTo(req.get("cpi.id"));
            assertThat(answers.get(0).get("cpi.response_to")).isEqualTo(req.get("cpi.op"));
        }
        Map<String, String> event = frames.stream().filter(f -> "event".equals(f.get("cpi.kind"))).findFirst().orElseThrow();
        assertThat(event.get("cpi.event.seq")).isEqualTo("1");
        assertThat(event.get("cpi.event.type")).isEqualTo("job");
        assertThat(Long.parseLong(event.get("cpi.stream")) % 4).as("a server-opened bidirectional stream").isEqualTo(1);
        Map<String, String> submit = requests.stream().filter(f -> "submit".equals(f.get("cpi.op"))).findFirst().orElseThrow();
        assertThat(submit.get("cpi.member")).contains("\"+15551230000\"");
        Map<String, String> error = frames.stream().filter(f -> "error".equals(f.get("cpi.kind"))).collect(single());
        assertThat(error.get("cpi.response_to")).isEqualTo("job.get");
        assertThat(error.get("cpi.error.code")).isEqualTo("NOT_FOUND");
        assertThat(error.get("cpi.error.num")).isEqualTo("20");
        assertThat(error.get("cpi.error.msg")).contains(MISSING_JOB);
        assertThat(error.get("cpi.ok")).isIn("0", "False", "false");
        // The document's bytes follow the upload.data frame raw, and are shown as such, not as frames.
        long documentBytes = frames.stream().filter(f -> f.containsKey("cpi.data_length")).mapToLong(f -> Long.parseLong(f.get("cpi.data_length"))).sum();
        assertThat(documentBytes).isEqualTo(Files.size(document));
        // Passwords are hidden unless asked for.
        String login = requests.stream().filter(f -> "login".equals(f.get("cpi.op"))).findFirst().orElseThrow().get("cpi.member");
        assertThat(login).contains("password: (hidden").doesNotContain(ServerProcess.ADMIN_PASSWORD);
    }

    /** The answers on the request's stream of its connection. */
    private static List<Map<String, String>> answers(List<Map<String, String>> frames, Map<String, String> request) {
        return frames.stream()
                .filter(f -> f.get("cpi.response_to") != null && f.get("cpi.stream").equals(request.get("cpi.stream"))
                        && f.get("cpi.connection").equals(request.get("cpi.connection")))
                .toList();
    }

    private static java.util.stream.Collector<Map<String, String>, ?, Map<String, String>> single() {
        return Collectors.collectingAndThen(Collectors.toList(), l -> {
            assertThat(l).hasSize(1);
            return l.get(0);
        });
    }

    /** "0x01" or "1" as "1". */
    private static String number(String v) {
        return v == null ? null : String.valueOf(Integer.decode(v));
    }

    /**
     * Decodes the capture with the dissector (and the key log, unless null) and returns one map per CPI
     * frame or discovery datagram: each {@code cpi.*} field's value, a repeated field's values joined
     * with newlines, and {@code cpi.connection} the QUIC connection's number.
     */
    static List<Map<String, String>> decode(Path keys) throws Exception {
        return decode(keys, false);
    }

    /** As {@link #decode(Path)}; {@code whileCapturing}: the file is still being written, so a cut-off end is no error (and no frames). */
    static List<Map<String, String>> decode(Path keys, boolean whileCapturing) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tshark, "-n", "-r", capture.toString(), "-X", "lua_script:" + DISSECTOR,
                "-o", "quic.reassemble_crypto_out_of_order:FALSE", "-Y", "cpi", "-T", "json", "-J", "cpi quic", "--no-duplicate-keys"));
        if (keys != null) cmd.addAll(List.of("-o", "tls.keylog_file:" + keys));
        Netns.Result r = Netns.run(cmd, null, Duration.ofSeconds(120), Map.of());
        if (whileCapturing && (r.exit() != 0 || r.out().isBlank())) return List.of();
        r.check("tshark");
        assertThat(r.err()).as("tshark's errors").doesNotContain("Lua");
        List<Map<String, String>> frames = new ArrayList<>();
        for (Object packet : MiniJson.array(r.out().strip())) {
            Map<?, ?> layers = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) packet).get("_source")).get("layers");
            String connection = firstValue(layers.get("quic"), "quic.connection.number");
            Object cpi = layers.get("cpi");
            for (Object one : cpi instanceof List<?> l ? l : List.of(cpi)) {
                Map<String, String> fields = new LinkedHashMap<>();
                flatten(one, fields);
                fields.put("cpi.connection", String.valueOf(connection));
                frames.add(fields);
            }
        }
        // A QUIC packet sent again (its acknowledgement was late or lost) carries the same stream bytes,
        // and Wireshark shows its CPI frame again: the same frame on the same stream counts once. (The
        // test's document fits one packet, so its byte count is not merged away.)
        return List.copyOf(new java.util.LinkedHashSet<>(frames));
    }

    private static void flatten(Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (e.getValue() instanceof String s) into.merge(key, s, (a, b) -> a + "\n" + b);
                else if (e.getValue() instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String) {
                    for (Object s : l) into.merge(key, String.valueOf(s), (a, b) -> a + "\n" + b);
                } else {
                    flatten(e.getValue(), into);
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) flatten(o, into);
        }
    }

    private static String firstValue(Object node, String key) {
        if (node instanceof Map<?, ?> m) {
            if (m.get(key) instanceof String s) return s;
            for (Object v : m.values()) {
                String found = firstValue(v, key);
                if (found != null) return found;
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) {
                String found = firstValue(o, key);
                if (found != null) return found;
            }
        }
        return null;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void await(String what, Duration timeout, Check check, Process process) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (!process.isAlive()) Assertions.fail(what + ": the process ended with " + process.exitValue());
            if (System.nanoTime() > deadline) Assertions.fail("timed out waiting for " + what);
            Thread.sleep(500);
        }
    }

    /** The tool's path; skips (fails under CI=true) when it is not installed, like {@link Netns#requireEnvironment()}. */
    static String requireTool(String tool) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return Path.of(d, tool).toString();
        }
        String reason = tool + " (Wireshark) is not installed";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the packet analysis test must run)");
        System.out.println("SKIPPED (packet analysis): " + reason);
        Assumptions.abort(reason);
        return null;
    }
}
