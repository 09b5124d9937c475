package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.protocol.Fingerprint;
import dev.faxlan.protocol.discovery.Discovery;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code contrib/wireshark/cpi.lua} on datagrams made here with faxlan's own encoders and by hand:
 * well-formed discovery datagrams and CPI frames decode field by field, and malformed ones (truncated,
 * too deep, not CPI's CBOR, wrong types) are flagged as malformed without a Lua error. CPI frames are
 * fed over UDP port 5555 through a small harness script, since here they are not inside QUIC; the
 * real path through decrypted QUIC is {@code PacketAnalysisIT}'s.
 */
class CpiDissectorIT {
    static final Path DISSECTOR = Path.of("..", "contrib", "wireshark", "cpi.lua").toAbsolutePath().normalize();
    static final byte[] FP = new byte[32];

    @TempDir
    static Path dir;
    static String tshark;
    static String text2pcap;

    @BeforeAll
    static void tools() {
        tshark = requireTool("tshark");
        text2pcap = requireTool("text2pcap");
        for (int i = 0; i < FP.length; i++) FP[i] = (byte) (i * 7);
    }

    @Test
    void discoveryDatagramsDecodeFieldByField() throws Exception {
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(0x0102030405060708L));
        byte[] reply = Discovery.encodeReply(new Discovery.Reply(0x0102030405060708L, "Front office", 4644, "1.2.3", FP));
        List<Map<String, String>> rows = decode(4644, List.of(probe, reply));
        assertThat(rows.get(0)).containsEntry("cpi.discovery.type", "1").containsEntry("cpi.discovery.nonce", "0102030405060708")
                .containsEntry("cpi.discovery.padding", String.valueOf(probe.length - 10));
        assertThat(rows.get(1)).containsEntry("cpi.discovery.type", "2").containsEntry("cpi.discovery.name", "Front office")
                .containsEntry("cpi.discovery.port", "4644").containsEntry("cpi.discovery.server_version", "1.2.3")
                .containsEntry("cpi.discovery.fingerprint", Fingerprint.format(FP));
        assertThat(rows).allSatisfy(r -> assertThat(r.get("_ws.expert.message")).isNull());
    }

    /** On another port (a relay's) only datagrams of exactly the discovery shape are taken for discovery. */
    @Test
    void discoveryOnAnotherPortIsRecognisedByItsShapeOnly() throws Exception {
        byte[] probe = Discovery.encodeProbe(new Discovery.Probe(7));
        byte[] notPadded = probe.clone();
        notPadded[100] = 1;
        byte[] reply = Discovery.encodeReply(new Discovery.Reply(7, "relay", 4650, "1.2.3", FP));
        List<Map<String, String>> rows = decode(4650, List.of(probe, notPadded, reply));
        assertThat(rows.get(0)).containsEntry("cpi.discovery.type", "1");
        assertThat(rows.get(1)).doesNotContainKey("cpi.discovery.type");
        assertThat(rows.get(2)).containsEntry("cpi.discovery.name", "relay").containsEntry("cpi.discovery.port", "4650");
    }

    @Test
    void malformedDiscoveryIsFlaggedNotFatal() throws Exception {
        List<byte[]> bad = List.of(
                bytes(0x01, 0x01, 0x02),                                                  // shorter than a header
                reply(bytes(0xA4, 0x64, 'n', 'a', 'm', 'e', 0x61, 'x')),                 // a map of 4 with one entry
                reply(nested(17)),                                                        // deeper than 16
                reply(bytes(0xBF, 0xFF)),                                                 // indefinite length
                reply(bytes(0xA2, 0x61, 'a', 0x01, 0x61, 'a', 0x02)),                     // duplicate key
                reply(bytes(0xA1, 0x01, 0x02)),                                           // a key that is not text
                reply(bytes(0xA1, 0x61, 'a', 0xF9, 0x3C, 0x00)),                          // a float
                reply(bytes(0xA1, 0x64, 'p', 'o', 'r', 't', 0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)), // 2^64-1
                reply(bytes(0xA1, 0x64, 'n', 'a', 'm', 'e', 0x7A, 0x7F, 0xFF, 0xFF, 0xFF)),   // a string beyond the datagram
                Arrays.copyOf(Discovery.encodeProbe(new Discovery.Probe(5)), 100));          // a probe servers ignore
        List<Map<String, String>> rows = decode(4644, bad);
        assertThat(rows).hasSize(bad.size()).allSatisfy(r -> assertThat(r.get("_ws.expert.message")).as("%s", r).isNotNull());
        assertThat(rows.get(2).get("_ws.expert.message")).contains("nested deeper than 16");
        assertThat(rows.get(4).get("_ws.expert.message")).contains("duplicate map key a");
        assertThat(rows.get(7).get("_ws.expert.message")).contains("port is not a UDP port number: 18446744073709551615");
        assertThat(rows.get(9)).containsEntry("cpi.discovery.type", "1").containsEntry("cpi.discovery.padding", "90");
        assertThat(rows.get(9).get("_ws.expert.message")).contains("shorter than 512 bytes");
    }

    @Test
    void cpiFramesDecodeFieldByField() throws Exception {
        byte[] request = frame(map("v", 1L, "id", 42L, "op", "job.get", "sess", new byte[32], "body", map("job", 7L)));
        byte[] error = frame(map("v", 1L, "id", 42L, "ok", false, "err", map("code", "NOT_FOUND", "num", 20L, "msg", "no job 7")));
        byte[] event = frame(map("v", 1L, "event", map("seq", 9L, "type", "job", "time", 1_700_000_000_000L, "body", map("job", 7L, "state", "done"))));
        byte[] ack = frame(map("v", 1L, "ack", 9L));
        byte[] login = frame(map("v", 1L, "id", 1L, "op", "login", "body", map("user", "alice", "password", "hunter2hunter2")));
        List<Map<String, String>> rows = decode(5555, List.of(request, error, event, ack, login));
        assertThat(rows.get(0)).containsEntry("cpi.kind", "request").containsEntry("cpi.id", "42").containsEntry("cpi.op", "job.get")
                .containsEntry("cpi.v", "1").containsEntry("cpi.member", "job: 7");
        assertThat(rows.get(1)).containsEntry("cpi.kind", "error").containsEntry("cpi.id", "42").containsEntry("cpi.error.code", "NOT_FOUND")
                .containsEntry("cpi.error.num", "20").containsEntry("cpi.error.msg", "no job 7");
        assertThat(rows.get(2)).containsEntry("cpi.kind", "event").containsEntry("cpi.event.seq", "9").containsEntry("cpi.event.type", "job")
                .containsEntry("cpi.event.time", "1700000000000").containsEntry("cpi.member", "job: 7,state: \"done\"");
        assertThat(rows.get(3)).containsEntry("cpi.kind", "ack").containsEntry("cpi.ack", "9");
        assertThat(rows.get(4).get("cpi.member")).contains("user: \"alice\"").contains("password: (hidden").doesNotContain("hunter2");
    }

    @Test
    void malformedFramesAreFlaggedNotFatal() throws Exception {
        List<byte[]> bad = List.of(
                bytes(0x00, 0x10, 0x00, 0x01, 0xA0),                                        // longer than 1 MiB
                frame(bytes(0x83, 0x01, 0x02, 0x03)),                                       // an array, not a map
                frame(bytes(0xA1, 0x62, 'i', 'd', 0x63, 'a', 'b', 'c', 0xA0)),              // junk after a text id... and a wrong type
                frame(map("v", 1L, "id", "abc", "op", "info")),                             // an id that is text
                frame(map("v", 1L, "ack", -5L)));                                           // a negative ack
        List<Map<String, String>> rows = decode(5555, bad);
        assertThat(rows).hasSize(bad.size()).allSatisfy(r -> assertThat(r.get("_ws.expert.message")).as("%s", r).isNotNull());
        assertThat(rows.get(0).get("_ws.expert.message")).contains("beyond the 1 MiB limit");
        assertThat(rows.get(1).get("_ws.expert.message")).contains("must be a CBOR map, not array");
        assertThat(rows.get(3).get("_ws.expert.message")).contains("id has an unexpected value: \"abc\"");
        assertThat(rows.get(4).get("_ws.expert.message")).contains("ack has an unexpected value: -5");
    }

    // ---------------------------------------------------------------- helpers

    static byte[] reply(byte[] cbor) {
        ByteBuffer b = ByteBuffer.allocate(10 + cbor.length).put((byte) 2).put((byte) 1).putLong(99).put(cbor);
        return b.array();
    }

    static byte[] frame(Object cbor) {
        byte[] body = cbor instanceof byte[] raw ? raw : Cbor.encode(cbor);
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static byte[] nested(int depth) {
        byte[] b = new byte[depth + 1];
        Arrays.fill(b, 0, depth, (byte) 0x81); // an array of one, depth times, around 0
        return b;
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    /**
     * Writes the datagrams (UDP from port 40000 to {@code port}) to a capture with text2pcap, decodes it with
     * the dissector (and the harness that puts CPI frames on UDP port 5555) and returns one row of fields per
     * datagram, repeated values joined with commas. Fails on any Lua error.
     */
    static List<Map<String, String>> decode(int port, List<byte[]> datagrams) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte[] d : datagrams) {
            for (int off = 0; off < d.length; off += 16) {
                hex.append(String.format("%06x ", off)).append(HexFormat.ofDelimiter(" ").formatHex(d, off, Math.min(d.length, off + 16))).append('\n');
            }
        }
        Path text = Files.writeString(dir.resolve("in-" + port + ".txt"), hex);
        Path pcap = dir.resolve("in-" + port + ".pcap");
        run(List.of(text2pcap, "-q", "-4", "10.0.0.1,10.0.0.2", "-u", "40000," + port, text.toString(), pcap.toString()));
        Path harness = Files.writeString(dir.resolve("harness.lua"), "DissectorTable.get(\"udp.port\"):add(5555, Dissector.get(\"cpi\"))\n");
        List<String> fields = List.of("cpi.discovery.type", "cpi.discovery.nonce", "cpi.discovery.padding", "cpi.discovery.name", "cpi.discovery.port",
                "cpi.discovery.server_version", "cpi.discovery.fingerprint", "cpi.kind", "cpi.v", "cpi.id", "cpi.op", "cpi.error.code", "cpi.error.num",
                "cpi.error.msg", "cpi.event.seq", "cpi.event.type", "cpi.event.time", "cpi.ack", "cpi.member", "_ws.expert.message");
        List<String> cmd = new ArrayList<>(List.of(tshark, "-n", "-r", pcap.toString(), "-X", "lua_script:" + DISSECTOR, "-X", "lua_script:" + harness,
                "-o", "cpi.show_passwords:FALSE", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : fields) cmd.addAll(List.of("-e", f));
        String out = run(cmd);
        String verbose = run(List.of(tshark, "-n", "-r", pcap.toString(), "-X", "lua_script:" + DISSECTOR, "-X", "lua_script:" + harness, "-V"));
        assertThat(verbose).as("tshark -V").doesNotContain("Lua Error");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) continue;
            String[] values = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                if (i < values.length && !values[i].isEmpty()) row.put(fields.get(i), values[i]);
            }
            rows.add(row);
        }
        assertThat(rows).as("one row per datagram").hasSize(datagrams.size());
        return rows;
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s: %s", cmd.get(0), err).isZero();
        assertThat(err).as("%s's errors", cmd.get(0)).doesNotContain("Lua");
        return new String(out);
    }

    /** The tool's path; skips (fails under CI=true) when it is not installed. */
    static String requireTool(String tool) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return Path.of(d, tool).toString();
        }
        String reason = tool + " (Wireshark) is not installed";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the dissector test must run)");
        System.out.println("SKIPPED (dissector): " + reason);
        Assumptions.abort(reason);
        return null;
    }
}
