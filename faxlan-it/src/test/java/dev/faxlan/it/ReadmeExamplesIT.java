package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import dev.faxlan.testkit.PortRetry;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every example in README.md, run in README order as a user would type them, against a test server: each
 * {@code bin/faxlan} line of a {@code sh} block (continuation lines joined, comments dropped, {@code export}
 * setting the environment of the lines after it), and each {@code properties} block as a server config file.
 * State one example makes (users, contacts, covers, mailboxes, rules, jobs) is there for the next. Each example
 * exits 0, or the code its comment names ("exits 5").
 */
class ReadmeExamplesIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String ADMIN_PW = "readme-admin-pw-1";
    static final String NEW_ADMIN_PW = "readme-admin-pw-2";
    /** What a user types when a command asks for a new password (the command reads it from FAXLAN_NEW_PASSWORD without a terminal). */
    static final String TYPED_NEW_PW = "readme-user-pw-1";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The server's host names and addresses in the README; each stands for the test server. */
    static final List<String> DOCUMENTED_HOSTS = List.of("fax.example.com", "192.0.2.10");

    /** Examples not run as written, each with the reason. Keep this short and honest. */
    static final Map<String, String> NOT_RUN = Map.of(
            // DemoIT runs it: a real fax over the loopback line, about a minute.
            "bin/faxlan demo", "covered by DemoIT",
            // Without a terminal it exits 2 by design; the README's next line is the same change without a terminal.
            "bin/faxlan user passwd", "asks for the current password on a terminal");

    @TempDir
    static Path dir;
    static Path work;
    static FaxlanServer server;
    /** The test server's SIP trunk "calls" here: nothing ever answers, so jobs for outside numbers stay in the queue. */
    static DatagramSocket blackHole;
    static final Map<String, String> env = new HashMap<>();
    static List<String> lastJobIds = List.of();
    static String faxId;
    /** The last properties block read: the config file a later {@code --config FILE} example means. */
    static String lastProperties;

    record Step(int line, String text, List<String> words, String properties) {
        String name() {
            return "README.md:" + line + "  " + text.strip();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        blackHole = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Properties lines = new Properties();
        // A number plan (issue 12, fault 5), so "5550100" and "+1-555-0100" are numbers a line can dial.
        lines.setProperty("numbers.country-code", "1");
        lines.setProperty("numbers.area-code", "212");
        lines.setProperty("line.trunk1.registrar", "127.0.0.1:" + blackHole.getLocalPort());
        lines.setProperty("line.trunk1.register", "false");
        lines.setProperty("line.trunk1.user", "12125550999");
        lines.setProperty("line.trunk1.number", "+12125550999");
        lines.setProperty("sip.bind", "127.0.0.1");
        // SIP lines take no port 0: a port free a moment ago, and another if some program takes it first.
        server = PortRetry.onAddressInUse("readme server", attempt -> {
            lines.setProperty("sip.port", String.valueOf(PortRetry.freeUdp(InetAddress.getLoopbackAddress())));
            return FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                    .withName("readme").withAdminPassword(ADMIN_PW).withLines(FastLoopback.lines(lines)));
        });
        work = Files.createDirectory(dir.resolve("work"));
        createExampleFiles();
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("HOME", dir.resolve("home").toString());
        // Stand in for the password prompts of a terminal.
        env.put("FAXLAN_PASSWORD", ADMIN_PW);
        env.put("FAXLAN_NEW_PASSWORD", TYPED_NEW_PW);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (blackHole != null) blackHole.close();
    }

    static String serverAddress() {
        return "127.0.0.1:" + server.port();
    }

    // ---- the example files the README names

    static void createExampleFiles() throws Exception {
        for (String name : List.of("letter.pdf", "annex.pdf", "contract.pdf", "offer.pdf")) pdf(work.resolve(name), name);
        image(work.resolve("drawing.png"), "png");
        image(work.resolve("photo.jpg"), "jpg");
        Files.writeString(work.resolve("memo.txt"), "Memo\n\nThe meeting moves to Thursday.\n");
        Files.writeString(work.resolve("cur.txt"), ADMIN_PW + "\n");
        Files.writeString(work.resolve("new.txt"), NEW_ADMIN_PW + "\n");
        Files.createDirectory(work.resolve("faxes")); // "an existing directory"
    }

    static void pdf(Path file, String title) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 24);
                cs.newLineAtOffset(72, 700);
                cs.showText(title);
                cs.endText();
                cs.addRect(72, 400, 300, 40);
                cs.fill();
            }
            doc.save(file.toFile());
        }
    }

    static void image(Path file, String format) throws Exception {
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 400, 300);
        g.setColor(Color.BLACK);
        g.fillRect(40, 40, 320, 30);
        g.drawOval(100, 100, 200, 150);
        g.dispose();
        assertThat(ImageIO.write(img, format, file.toFile())).isTrue();
    }

    // ---- reading the README

    static List<Step> steps() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        List<Step> steps = new ArrayList<>();
        String block = null;
        StringBuilder props = null;
        int propsLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (block == null) {
                if (l.startsWith("```sh")) block = "sh";
                else if (l.startsWith("```properties")) {
                    block = "properties";
                    props = new StringBuilder();
                    propsLine = i + 2;
                } else if (l.startsWith("```")) block = "other";
                continue;
            }
            if (l.startsWith("```")) {
                if (block.equals("properties")) steps.add(new Step(propsLine, "properties block", List.of(), props.toString()));
                block = null;
                continue;
            }
            if (block.equals("properties")) props.append(l).append('\n');
            if (!block.equals("sh")) continue;
            int first = i + 1;
            StringBuilder joined = new StringBuilder(l);
            while (joined.toString().endsWith("\\") && i + 1 < lines.size()) {
                joined.setLength(joined.length() - 1);
                joined.append(' ').append(lines.get(++i).strip());
            }
            List<String> words = words(joined.toString());
            if (!words.isEmpty()) steps.add(new Step(first, joined.toString(), words, null));
        }
        assertThat(block).as("README.md ends inside a code block").isNull();
        return steps;
    }

    /** A line split into words as sh does: quotes, backslashes, a comment from a word starting with {@code #}, {@code >}. */
    static List<String> words(String line) {
        return words(line, new StringBuilder());
    }

    /** As {@link #words(String)}, and the comment's text into {@code comment}. */
    static List<String> words(String line, StringBuilder comment) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (w != null) out.add(w.toString());
                w = null;
            } else if (c == '#' && w == null) {
                comment.append(line.substring(i + 1).strip());
                break;
            } else if (c == '>' && w == null) {
                out.add(">");
            } else {
                if (w == null) w = new StringBuilder();
                if (c == '\'') {
                    int end = line.indexOf('\'', i + 1);
                    assertThat(end).as("unbalanced ' in: %s", line).isPositive();
                    w.append(line, i + 1, end);
                    i = end;
                } else if (c == '"') {
                    int j = i + 1;
                    for (; j < line.length() && line.charAt(j) != '"'; j++) {
                        if (line.charAt(j) == '\\' && j + 1 < line.length() && "\"\\$`".indexOf(line.charAt(j + 1)) >= 0) j++;
                        w.append(line.charAt(j));
                    }
                    assertThat(j).as("unbalanced \" in: %s", line).isLessThan(line.length());
                    i = j;
                } else if (c == '\\' && i + 1 < line.length()) {
                    w.append(line.charAt(++i));
                } else {
                    w.append(c);
                }
            }
        }
        if (w != null) out.add(w.toString());
        return out;
    }

    // ---- running them

    @TestFactory
    Stream<DynamicTest> everyReadmeExampleRuns() throws Exception {
        List<Step> steps = steps();
        List<DynamicTest> tests = new ArrayList<>();
        for (Step s : steps) {
            if (s.properties() != null) {
                tests.add(DynamicTest.dynamicTest(s.name(), () -> runProperties(s)));
            } else if (s.words().get(0).equals("export")) {
                tests.add(DynamicTest.dynamicTest(s.name(), () -> export(s)));
            } else if (s.words().get(0).equals("bin/faxlan") || s.words().get(0).equals("bin/submitfax")) {
                tests.add(DynamicTest.dynamicTest(s.name(), () -> runCommand(s)));
            }
            // Anything else (mvn, source, man, ...) is not a faxlan example.
        }
        assertThat(tests.stream().filter(t -> t.getDisplayName().contains("bin/faxlan "))).hasSizeGreaterThan(40);
        return tests.stream();
    }

    static String mapHost(String word) {
        return DOCUMENTED_HOSTS.contains(word) ? serverAddress() : word;
    }

    static void export(Step s) {
        for (String assignment : s.words().subList(1, s.words().size())) {
            int eq = assignment.indexOf('=');
            assertThat(eq).as(assignment).isPositive();
            env.put(assignment.substring(0, eq), mapHost(assignment.substring(eq + 1)));
        }
        assertThat(env).containsKey("FAXLAN_SERVER");
    }

    /** The exit code an example's comment says it has ("exits 5", "exit 2"), else 0. */
    static int expectedExit(Step s) {
        StringBuilder comment = new StringBuilder();
        words(s.text(), comment);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bexits? (?:code )?(\\d)\\b").matcher(comment);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    static void runCommand(Step s) throws Exception {
        String reason = NOT_RUN.get(String.join(" ", s.words()));
        Assumptions.assumeTrue(reason == null, reason);
        List<String> words = new ArrayList<>(s.words());
        Path launcher = ROOT.resolve(words.remove(0));
        String stdoutTo = null;
        int redirect = words.indexOf(">");
        if (redirect >= 0) {
            stdoutTo = words.get(redirect + 1);
            words.subList(redirect, redirect + 2).clear();
        }
        String command = launcher.getFileName().toString().equals("submitfax") ? "submit" : words.get(0);
        if (command.equals("server")) {
            runServer(launcher, serverArguments(words), words);
            return;
        }
        if (command.equals("alert") && !words.contains("--count")) {
            runAlertUntilStopped(launcher, words);
            return;
        }
        if (command.equals("relay")) {
            runRelayUntilStopped(launcher, words);
            return;
        }
        List<String> args = new ArrayList<>();
        for (String w : words) {
            // firewall only prints rules for the address it is given; it never talks to a server
            if (!command.equals("firewall")) w = mapHost(w);
            if (w.equals("ID")) w = placeholder(command);
            args.add(w);
        }
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(args);
        Cli.Result r = Cli.exec(cmd, env, 180, work);
        int expected = expectedExit(s);
        assertThat(r.exitCode()).as("%s%n%s", s.text(), r).isEqualTo(expected);
        assertThat(r.err()).as(r.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        if (expected != 0) {
            assertThat(r.err().strip()).as("a refusal says why, on stderr").startsWith("faxlan: ");
            return;
        }
        if (stdoutTo != null) {
            assertThat(r.out()).as("what %s writes to %s", s.text(), stdoutTo).isNotBlank();
            Files.writeString(work.resolve(stdoutTo), r.out());
        }
        int out = args.indexOf("--out");
        if (out >= 0) assertWritten(args.get(out + 1));
        if (command.equals("submit")) {
            lastJobIds = args.contains("--json")
                    ? JSON.readTree(r.out()).findValuesAsText("id")
                    : r.out().lines().map(l -> l.strip().split("\\s+")[0]).toList();
            assertThat(lastJobIds).as(r.toString()).isNotEmpty().allMatch(id -> id.matches("\\d+"));
        }
        if (args.contains("--json")) assertThat(JSON.readTree(r.out())).as(r.toString()).isNotNull();
        if (command.equals("user") && args.get(1).equals("passwd") && args.contains("--current-password-file")) {
            // Your own password changed: use the new one from now on, as a user would.
            env.put("FAXLAN_PASSWORD", Files.readString(work.resolve(args.get(args.indexOf("--new-password-file") + 1))).strip());
        }
    }

    /** The file (or, for PNG, the first page's file, or the directory) an {@code --out} example wrote. */
    static void assertWritten(String out) throws Exception {
        Path p = work.resolve(out);
        if (out.endsWith("/")) {
            try (Stream<Path> files = Files.list(p)) {
                assertThat(files.toList()).as(out).isNotEmpty();
            }
            return;
        }
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path firstPage = p.resolveSibling(name.substring(0, dot) + "-1" + name.substring(dot));
        assertThat(Files.exists(p) || Files.exists(firstPage)).as("%s written", out).isTrue();
        assertThat(Files.size(Files.exists(p) ? p : firstPage)).isPositive();
    }

    /**
     * {@code ID} in an example: a job id the last {@code submit} printed, a rule id from {@code router list}, a key id from
     * {@code apikey list}, or a fax id from the inbox.
     */
    static String placeholder(String command) throws Exception {
        if (command.equals("job") || command.equals("cancel")) {
            assertThat(lastJobIds).as("a submit before `%s ID`", command).isNotEmpty();
            return lastJobIds.get(lastJobIds.size() - 1);
        }
        if (command.equals("router")) {
            // A rule's id, as `router list` shows it: the last rule listed.
            Cli.Result r = Cli.exec(List.of(ROOT.resolve("bin/faxlan").toString(), "router", "list", "--json"), env, 60, work);
            JsonNode rules = JSON.readTree(r.out());
            assertThat(rules.size()).as(r.toString()).isPositive();
            return rules.get(rules.size() - 1).get("id").asText();
        }
        if (command.equals("apikey")) {
            // A key's id, as `apikey list` shows it: the newest key.
            Cli.Result r = Cli.exec(List.of(ROOT.resolve("bin/faxlan").toString(), "apikey", "list", "--json"), env, 60, work);
            JsonNode keys = JSON.readTree(r.out());
            assertThat(keys.size()).as(r.toString()).isPositive();
            return keys.get(keys.size() - 1).get("id").asText();
        }
        assertThat(command).isEqualTo("fetch");
        if (faxId != null) return faxId;
        // The faxes sent to 0000 above arrive on the same server; the newest is listed first.
        JsonNode[] inbox = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Cli.Result r = Cli.exec(List.of(ROOT.resolve("bin/faxlan").toString(), "inbox", "--json"), env, 60, work);
            inbox[0] = r.exitCode() == 0 ? JSON.readTree(r.out()) : null;
            return inbox[0] != null && inbox[0].size() > 0;
        });
        faxId = inbox[0].get(0).get("id").asText();
        return faxId;
    }

    /** {@code bin/faxlan server ...} on a port of its own choosing and on loopback, with the README's paths under the work directory. */
    static List<String> serverArguments(List<String> words) throws Exception {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            args.add(w);
            if (i + 1 >= words.size()) continue;
            String v = words.get(i + 1);
            switch (w) {
                case "--port" -> v = "0";
                case "--bind" -> v = DOCUMENTED_HOSTS.contains(v) ? "127.0.0.1" : v;
                case "--data" -> v = v.startsWith("/") ? work.resolve(v.substring(1)).toString() : v;
                case "--config" -> {
                    Path config = work.resolve(v);
                    if (!Files.exists(config)) {
                        assertThat(lastProperties).as("a properties block before --config %s", v).isNotNull();
                        Files.writeString(config, lastProperties);
                    }
                }
                default -> {
                    continue;
                }
            }
            args.add(v);
            i++;
        }
        if (!args.contains("--port")) args.addAll(List.of("--port", "0"));
        if (!args.contains("--bind")) args.addAll(List.of("--bind", "127.0.0.1"));
        return args;
    }

    /** A server runs until stopped: start it, check what it prints once it is up, stop it. */
    static void runServer(Path launcher, List<String> args, List<String> asWritten) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(args);
        // A new data directory gets an administrator whose password is printed once (no FAXLAN_ADMIN_PASSWORD here).
        boolean fresh = !Files.exists(args.contains("--data") ? work.resolve(args.get(args.indexOf("--data") + 1)) : work.resolve("faxlan-data"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("FAXLAN_"));
        pb.environment().put("XDG_CONFIG_HOME", env.get("XDG_CONFIG_HOME"));
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) out.add(l);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> !p.isAlive() || out.stream().anyMatch(l -> l.strip().startsWith("data "))
                            && (!fresh || out.stream().anyMatch(l -> l.contains("administrator account 'admin' created"))));
            assertThat(p.isAlive()).as("%s%n%s", asWritten, String.join("\n", out)).isTrue();
            String name = asWritten.contains("--name") ? asWritten.get(asWritten.indexOf("--name") + 1) : null;
            assertThat(out).as(String.join("\n", out))
                    .anyMatch(l -> l.matches("faxlan server \"" + (name != null ? java.util.regex.Pattern.quote(name) : "[^\"]+") + "\" listening on udp .*127\\.0\\.0\\.1:\\d+"))
                    .anyMatch(l -> l.strip().startsWith("identity "))
                    .anyMatch(l -> l.strip().startsWith("data "));
            if (fresh) assertThat(out).anyMatch(l -> l.matches("\\s*administrator account 'admin' created with password: \\S{8,}"));
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            reader.join(10_000);
        }
    }

    /**
     * {@code relay} runs until stopped: on loopback (a port of its own choosing) in front of the test
     * server, it reports where it listens and the test server's identity, and is still running.
     */
    static void runRelayUntilStopped(Path launcher, List<String> words) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            cmd.add(w);
            if (w.equals("--listen")) cmd.add("127.0.0.1:0");
            else if (w.equals("--server")) cmd.add(serverAddress());
            else continue;
            i++;
        }
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) out.add(l);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        String identity = "identity " + dev.faxlan.protocol.Fingerprint.format(server.fingerprint());
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90))
                    .until(() -> !p.isAlive() || out.stream().anyMatch(l -> l.endsWith(identity)));
            assertThat(p.isAlive()).as("%s%n%s", words, String.join("\n", out)).isTrue();
            assertThat(out).as(String.join("\n", out))
                    .anyMatch(l -> l.matches("faxlan relay listening on udp 127\\.0\\.0\\.1:\\d+, forwarding to " + java.util.regex.Pattern.quote(serverAddress()) + " .*"))
                    .anyMatch(l -> l.matches("server \"readme\" \\(faxlan .*\\) " + java.util.regex.Pattern.quote(identity)));
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            reader.join(10_000);
        }
    }

    /** {@code alert} runs until stopped: it prints the alert of a job submitted while it runs, and is still running. */
    static void runAlertUntilStopped(Path launcher, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("FAXLAN_"));
        pb.environment().putAll(env);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) out.add(l);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            // The server keeps the alerts for this subscriber until it has seen them, so the job's alert comes whenever it subscribes.
            Cli.Result submit = Cli.exec(List.of(ROOT.resolve("bin/faxlan").toString(), "submit", "--to", "0000", "--at", "2099-01-01T00:00", "memo.txt"),
                    env, 120, work);
            assertThat(submit.exitCode()).as(submit.toString()).isZero();
            String id = submit.out().strip();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !p.isAlive() || out.stream().anyMatch(l -> l.contains(id)));
            assertThat(p.isAlive()).as("alert runs until stopped; printed:%n%s", String.join("\n", out)).isTrue();
            assertThat(out).anyMatch(l -> l.contains(id));
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
            reader.join(10_000);
        }
    }

    /**
     * A properties block is a config file: one without lines starts a server with {@code --config}; one with a
     * SIP trunk is read by the server's line settings parser (starting it would register with the README's provider),
     * one with {@code db.*} settings by the server's database settings parser (it would connect to the README's database).
     */
    static void runProperties(Step s) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(s.properties()));
        lastProperties = s.properties();
        assertThat(p).isNotEmpty();
        if (p.stringPropertyNames().stream().anyMatch(k -> k.startsWith("line."))) {
            // The README's trunk password file, under the work directory.
            Path password = work.resolve("trunk1.password");
            Files.writeString(password, "secret\n");
            for (String k : p.stringPropertyNames()) {
                if (p.getProperty(k).equals("/etc/faxlan/trunk1.password")) p.setProperty(k, password.toString());
            }
            LinesConfig lines = LinesConfig.parse(p, work);
            assertThat(lines).isNotNull();
            return;
        }
        if (p.stringPropertyNames().stream().anyMatch(k -> k.startsWith("db."))) {
            // Starting it would connect to the README's database host: the server's own parser reads it instead,
            // with the README's password file under the work directory.
            Path password = work.resolve("db.password");
            Files.writeString(password, "secret\n");
            for (String k : p.stringPropertyNames()) {
                if (p.getProperty(k).equals("/etc/faxlan/db.password")) p.setProperty(k, password.toString());
            }
            dev.faxlan.server.storage.DatabaseSettings db = dev.faxlan.server.storage.DatabaseSettings.from(p, java.util.Map.of(), work);
            assertThat(db.embedded()).isFalse();
            assertThat(db.url()).isEqualTo(p.getProperty("db.url"));
            assertThat(db.password()).isEqualTo("secret");
            return;
        }
        Path config = work.resolve("faxlan-" + s.line() + ".properties");
        Files.writeString(config, s.properties());
        runServer(ROOT.resolve("bin/faxlan"), List.of("server", "--config", config.toString(), "--data", work.resolve("config-" + s.line()).toString(),
                "--port", "0", "--bind", "127.0.0.1"), List.of("server", "--config", config.getFileName().toString()));
    }
}
