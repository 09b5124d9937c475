package dev.faxlan.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the faxlan command in a child JVM, as a user would, with a controlled environment. */
public final class Cli {
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {}

    public static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        return run(env, 120, args);
    }

    public static Result run(Map<String, String> env, int timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of(args));
        return exec(cmd, env, timeoutSeconds);
    }

    /** {@code java -cp <this JVM's class path> dev.faxlan.launcher.Launcher}, the launcher's command without the build step. */
    public static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dlogback.configurationFile=logback.xml", "-cp", System.getProperty("java.class.path"), "dev.faxlan.launcher.Launcher");
    }

    public static Result exec(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws IOException, InterruptedException {
        return exec(cmd, env, timeoutSeconds, null);
    }

    /** As {@link #exec(List, Map, int)}, in the working directory {@code workDir} (null: this JVM's). */
    public static Result exec(List<String> cmd, Map<String, String> env, int timeoutSeconds, Path workDir) throws IOException, InterruptedException {
        Path out = Files.createTempFile("faxlan-out", ".txt");
        Path err = Files.createTempFile("faxlan-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().remove("FAXLAN_SERVER");
            pb.environment().remove("FAXLAN_USER");
            pb.environment().remove("FAXLAN_PASSWORD");
            pb.environment().remove("FAXLAN_API_KEY");
            pb.environment().putAll(env);
            if (workDir != null) pb.directory(workDir.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("command did not finish in " + timeoutSeconds + " s: " + cmd.subList(Math.min(6, cmd.size()), cmd.size())
                        + "\n" + Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
