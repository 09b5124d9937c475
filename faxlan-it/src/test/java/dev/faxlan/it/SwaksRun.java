package dev.faxlan.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * One SMTP session by swaks, the real client the gateway tests send with: its exit code and the
 * transcript ({@code ->} what it sent, {@code <-} and {@code <**} the replies, {@code ===} its notes).
 */
record SwaksRun(int exit, String transcript) {

    /** The reply to the end of the message data, or "" when the session ended before it. */
    String dataReply() {
        List<String> lines = transcript.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            // " -> ." without TLS, " ~> ." inside TLS
            if (lines.get(i).equals(" -> .") || lines.get(i).equals(" ~> .")) {
                for (int k = i + 1; k < lines.size(); k++) {
                    if (lines.get(k).startsWith("<")) return lines.get(k).substring(4).strip();
                }
            }
        }
        return "";
    }

    /**
     * Runs swaks with {@code args}; stdin is empty, so swaks asks there for anything missing instead of
     * hanging on a pipe. Passwords go in {@code --auth-password} as swaks has no other way; the
     * accounts are the tests' own.
     */
    static SwaksRun run(Path workDir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable());
        cmd.addAll(args);
        Path out = Files.createTempFile(workDir, "swaks", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("swaks did not finish: " + Files.readString(out));
        }
        return new SwaksRun(p.exitValue(), Files.readString(out));
    }

    /** swaks is a test tool: skipped without it, except under CI=true, where it must be installed. */
    static String executable() {
        return SmtpFixture.requireSwaks();
    }

    /** A program the test needs beside swaks (openssl): skipped without it, except under CI=true. */
    static String require(String program, String debianPackage) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path exe = Path.of(d, program);
            if (Files.isExecutable(exe)) return exe.toString();
        }
        String reason = program + " is not installed (apt-get install " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the SMTP gateway tests must run)");
        System.out.println("SKIPPED (smtp): " + reason);
        Assumptions.abort(reason);
        return null;
    }
}
