package dev.faxlan.lines.interop;

import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.testkit.PortRetry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs SIPp with a scenario, as a client against a target or as a server on its own port.
 *
 * <pre>{@code
 * Sipp.Result r = Sipp.scenario("uac-register.xml")
 *         .target(kamailio.host(), kamailio.port())
 *         .service("2000").auth("2000", "secret")
 *         .run();
 * assertThat(r.exitCode()).as(r.describe()).isZero();
 * }</pre>
 *
 * <p>Scenarios come from the test resources {@code dev/faxlan/lines/interop/} or from a file.
 * SIPp binds 127.0.0.1 (or {@link Options#localIp}) on a free port unless {@link Options#localPort} says otherwise
 * (a free port can be taken by another program before SIPp binds it: {@link Options#run} and
 * {@link Options#listen} then start SIPp again on a fresh one), stops after
 * {@link Options#calls} calls, and writes its message trace, error log and final screen into a
 * directory under {@code target/sip-interop/}, which {@link Result} reads back. SIPp's own
 * {@code -timeout} (default 20 s) ends a run that hangs; the process is killed if it outlives
 * that by 10 s. SIPp exit codes: 0 every call succeeded, 1 at least one failed, 97 stopped by an
 * internal command, 99 no call was processed, 255 fatal error or (with the timeout) timed out.
 */
public final class Sipp {

    private static final String RESOURCES = "/dev/faxlan/lines/interop/";
    private static final Path WORK = Path.of("target", "sip-interop");
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);
    /** How long SIPp may take to bind its port: a JVM and a build beside it on two cores slow its start. */
    private static final Duration BIND_LIMIT = Duration.ofSeconds(30);

    private Sipp() {
    }

    /** A scenario from the test resources {@code dev/faxlan/lines/interop/NAME}. */
    public static Options scenario(String name) {
        return new Options(name, null);
    }

    /** A scenario file anywhere. */
    public static Options scenario(Path file) {
        return new Options(file.getFileName().toString(), file);
    }

    /** How to run SIPp; every setter returns {@code this}. */
    public static final class Options {
        private final String name;
        private final Path file;
        private String targetHost;
        private int targetPort;
        private int localPort;
        private String localIp = LoopbackPorts.HOST;
        private String service;
        private String authUser;
        private String authPassword;
        private final Map<String, String> variables = new LinkedHashMap<>();
        private int calls = 1;
        private int limit = 1;
        private Duration callLength;
        private Duration timeout = Duration.ofSeconds(20);
        private Duration recvTimeout;
        private String transport;
        private final List<String> extra = new ArrayList<>();

        private Options(String name, Path file) {
            this.name = Objects.requireNonNull(name);
            this.file = file;
        }

        /** Run as a client against host:port. Without a target SIPp runs as a server. */
        public Options target(String host, int port) {
            this.targetHost = host;
            this.targetPort = port;
            return this;
        }

        /** The local SIP port ({@code -p}); default a free port, see {@link Running#localPort}. */
        public Options localPort(int port) {
            this.localPort = port;
            return this;
        }

        /**
         * The local address SIPp binds and sends from ({@code -i}); default 127.0.0.1. Any address of
         * 127.0.0.0/8 works on Linux, which gives a test a second, distinct source address.
         */
        public Options localIp(String address) {
            this.localIp = Objects.requireNonNull(address);
            return this;
        }

        /** The user part of the request URI, {@code [service]} in scenarios ({@code -s}). */
        public Options service(String user) {
            this.service = user;
            return this;
        }

        /** Digest credentials for {@code [authentication]} ({@code -au}, {@code -ap}). */
        public Options auth(String user, String password) {
            this.authUser = user;
            this.authPassword = password;
            return this;
        }

        /** A scenario variable ({@code -set name value}, read as {@code [$name]}). */
        public Options set(String variable, String value) {
            variables.put(variable, value);
            return this;
        }

        /** Stop after this many calls ({@code -m}); default 1. */
        public Options calls(int calls) {
            this.calls = calls;
            return this;
        }

        /** At most this many calls at once ({@code -l}); default 1. */
        public Options limit(int limit) {
            this.limit = limit;
            return this;
        }

        /** How long {@code <pause/>} without a duration lasts ({@code -d}). */
        public Options callLength(Duration length) {
            this.callLength = length;
            return this;
        }

        /** SIPp's global timeout ({@code -timeout}, as an error); default 20 s. */
        public Options timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Abort a call whose expected message does not come within this time ({@code -recv_timeout}). */
        public Options recvTimeout(Duration timeout) {
            this.recvTimeout = timeout;
            return this;
        }

        /** {@code -t}: {@code u1} (UDP, the default) or {@code t1} (TCP, one connection). */
        public Options transport(String mode) {
            this.transport = mode;
            return this;
        }

        /** Further SIPp arguments, appended as given. */
        public Options args(String... args) {
            extra.addAll(List.of(args));
            return this;
        }

        /**
         * Starts SIPp and returns at once, one try: for servers, see {@link Running#awaitListening},
         * or {@link #listen}, which also tries again when the port was taken.
         */
        public Running start() throws IOException {
            Path sipp = ExternalTool.require("sipp", "the Debian package sip-tester");
            Files.createDirectories(WORK);
            String base = name.replaceAll("\\.xml$", "").replaceAll("[^A-Za-z0-9._-]", "_");
            Path dir = Files.createTempDirectory(WORK, "sipp-" + base + "-").toAbsolutePath();
            Path scenarioFile = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_"));
            if (file != null) {
                Files.copy(file, scenarioFile, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try (InputStream in = Sipp.class.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        throw new IllegalArgumentException("no scenario " + RESOURCES + name + " in the test resources");
                    }
                    Files.copy(in, scenarioFile, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            int port = localPort != 0 ? localPort : LoopbackPorts.freeUdp(localIp);
            List<String> command = command(sipp.toString(), scenarioFile, port, dir);
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(dir.resolve("stdout.txt").toFile())
                    .redirectError(dir.resolve("stderr.txt").toFile())
                    .start();
            return new Running(process, command, dir, port, timeout.plus(KILL_GRACE));
        }

        /**
         * Starts SIPp and waits for it to end. On its own free port, SIPp is started again on a
         * fresh one if another program took the port first; on a port the test chose, a taken port
         * is a {@link PortRetry.PortTaken} for the test to handle.
         */
        public Result run() throws Exception {
            if (localPort != 0) {
                return start().await();
            }
            return PortRetry.onAddressInUse("sipp " + name, attempt -> start().await());
        }

        /**
         * Starts SIPp as a server and returns once it has bound its port, starting it again on a
         * fresh port if another program took its free port first (see {@link #run} for a port
         * the test chose).
         */
        public Running listen() throws Exception {
            if (localPort != 0) {
                return start().awaitListening();
            }
            return PortRetry.onAddressInUse("sipp " + name, attempt -> start().awaitListening());
        }

        List<String> command(String sipp, Path scenarioFile, int port, Path dir) {
            List<String> c = new ArrayList<>();
            c.add(sipp);
            if (targetHost != null) {
                c.add(targetHost + ":" + targetPort);
            }
            // -sf before -set: SIPp only accepts -set for variables the scenario declares.
            c.addAll(List.of("-sf", scenarioFile.toString()));
            variables.forEach((k, v) -> c.addAll(List.of("-set", k, v)));
            c.addAll(List.of("-i", localIp, "-p", Integer.toString(port), "-bind_local"));
            c.addAll(List.of("-m", Integer.toString(calls), "-l", Integer.toString(limit)));
            if (service != null) {
                c.addAll(List.of("-s", service));
            }
            if (authUser != null) {
                c.addAll(List.of("-au", authUser, "-ap", authPassword));
            }
            if (callLength != null) {
                c.addAll(List.of("-d", Long.toString(callLength.toMillis())));
            }
            if (transport != null) {
                c.addAll(List.of("-t", transport));
            }
            c.addAll(List.of("-timeout", timeout.toMillis() + "ms", "-timeout_error"));
            if (recvTimeout != null) {
                c.addAll(List.of("-recv_timeout", Long.toString(recvTimeout.toMillis())));
            }
            c.addAll(List.of("-nostdin",
                    "-trace_msg", "-message_file", dir.resolve("messages.log").toString(),
                    "-trace_err", "-error_file", dir.resolve("errors.log").toString(),
                    "-trace_screen", "-screen_file", dir.resolve("screen.log").toString()));
            c.addAll(extra);
            return c;
        }
    }

    /** A SIPp process that has been started. */
    public static final class Running {
        private final Process process;
        private final List<String> command;
        private final Path dir;
        private final int localPort;
        private final Duration limit;

        private Running(Process process, List<String> command, Path dir, int localPort, Duration limit) {
            this.process = process;
            this.command = command;
            this.dir = dir;
            this.localPort = localPort;
            this.limit = limit;
        }

        public int localPort() {
            return localPort;
        }

        public boolean isAlive() {
            return process.isAlive();
        }

        /**
         * Returns once SIPp itself has bound its SIP port, so a client may be started against it;
         * throws {@link PortRetry.PortTaken} if SIPp ended because another program had the port.
         */
        public Running awaitListening() throws InterruptedException {
            try {
                LoopbackPorts.awaitUdpBound(process, localPort, BIND_LIMIT,
                        () -> String.join(" ", command) + "\n" + read(dir.resolve("stderr.txt")));
            } catch (RuntimeException e) {
                kill();
                throw e;
            }
            return this;
        }

        /**
         * Waits for SIPp to end; kills it if it outlives its own timeout by 10 s. Throws
         * {@link PortRetry.PortTaken} if SIPp could not bind its port: that run tested nothing.
         */
        public Result await() throws InterruptedException {
            boolean killed = false;
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                killed = true;
                kill();
            }
            Result r = new Result(process.exitValue(), killed, command, dir, localPort,
                    read(dir.resolve("messages.log")), read(dir.resolve("errors.log")),
                    read(dir.resolve("screen.log")), read(dir.resolve("stderr.txt")));
            if (r.exitCode() != 0 && PortRetry.inUse(r.stderr() + r.errors())) {
                throw new PortRetry.PortTaken("sipp could not bind port " + localPort + "\n" + r.describe());
            }
            return r;
        }

        /** Ends SIPp now. */
        public void kill() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** How a SIPp run ended, with its message trace parsed. */
    public record Result(int exitCode, boolean killed, List<String> command, Path dir, int localPort, String trace,
            String errors, String screen, String stderr) {

        public boolean succeeded() {
            return exitCode == 0 && !killed;
        }

        /** Every message SIPp sent or received, in order. */
        public List<Message> messages() {
            return Message.parseTrace(trace);
        }

        /** First lines of received messages, e.g. {@code SIP/2.0 401 Unauthorized} or {@code ACK sip:...}. */
        public List<String> received() {
            return messages().stream().filter(m -> !m.sent()).map(Message::firstLine).toList();
        }

        /** First lines of sent messages. */
        public List<String> sent() {
            return messages().stream().filter(Message::sent).map(Message::firstLine).toList();
        }

        /** Status codes of the responses SIPp received, in order. */
        public List<Integer> receivedStatuses() {
            return messages().stream().filter(m -> !m.sent() && m.status() > 0).map(Message::status).toList();
        }

        /** Status codes of the responses SIPp sent, in order. */
        public List<Integer> sentStatuses() {
            return messages().stream().filter(m -> m.sent() && m.status() > 0).map(Message::status).toList();
        }

        /** Everything useful for an assertion message. */
        public String describe() {
            return "sipp exit " + exitCode + (killed ? " (killed: did not end in time)" : "")
                    + "\ncommand: " + String.join(" ", command)
                    + "\nfiles: " + dir
                    + "\n--- errors ---\n" + errors
                    + "\n--- stderr ---\n" + stderr
                    + "\n--- messages (first lines) ---\n"
                    + String.join("\n", messages().stream().map(m -> (m.sent() ? "> " : "< ") + m.firstLine()).toList());
        }
    }

    /** One SIP message from SIPp's {@code -trace_msg} file. */
    public record Message(boolean sent, String text) {

        public String firstLine() {
            int end = text.indexOf('\n');
            return (end < 0 ? text : text.substring(0, end)).strip();
        }

        /** Status code if this is a response, else -1. */
        public int status() {
            return SipProbe.statusOf(firstLine());
        }

        /** Value of the first header called {@code name} (case-insensitive, no compact forms). */
        public Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            for (String line : text.split("\r?\n")) {
                if (line.isEmpty()) {
                    break;
                }
                if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return Optional.of(line.substring(prefix.length()).strip());
                }
            }
            return Optional.empty();
        }

        /** The body after the blank line, empty if none. */
        public String body() {
            int i = text.indexOf("\n\n");
            int j = text.indexOf("\r\n\r\n");
            if (j >= 0 && (i < 0 || j < i)) {
                return text.substring(j + 4);
            }
            return i < 0 ? "" : text.substring(i + 2);
        }

        /**
         * Splits a trace: each entry is a dashed line with a timestamp, a line saying
         * "... message sent ..." or "... message received ...", a blank line, then the message.
         */
        static List<Message> parseTrace(String trace) {
            List<Message> out = new ArrayList<>();
            String[] lines = trace.split("\n", -1);
            int i = 0;
            while (i < lines.length) {
                if (!lines[i].startsWith("----------")) {
                    i++;
                    continue;
                }
                if (i + 1 >= lines.length) {
                    break;
                }
                String what = lines[i + 1];
                boolean sent = what.contains("message sent");
                boolean received = what.contains("message received");
                int j = i + 2;
                while (j < lines.length && lines[j].strip().isEmpty()) {
                    j++;
                }
                int start = j;
                while (j < lines.length && !lines[j].startsWith("----------")) {
                    j++;
                }
                if (sent || received) {
                    String text = String.join("\n", List.of(lines).subList(start, j)).stripTrailing();
                    out.add(new Message(sent, text));
                }
                i = j;
            }
            return out;
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
