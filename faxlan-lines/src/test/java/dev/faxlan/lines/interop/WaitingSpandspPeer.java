package dev.faxlan.lines.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.testkit.SpandspBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A spandsp fax terminal (audiopeer or t38peer) receiving into {@code tiff} at a port it chose, which
 * it prints to its log: SIPp's SDP must name that port before faxlan's media port is known.
 */
public record WaitingSpandspPeer(Process process, int port, Path out, Path log, Path tiff) {
    private static final Path C_SOURCES = Path.of("..", "faxlan-engine", "src", "test", "c");

    /**
     * Starts {@code args} (the program's name first) receiving under {@code dir} as {@code name}, adds
     * the process to {@code started} (for the test to end), and waits until its log names the port
     * ({@code bound}'s group 1).
     */
    public static WaitingSpandspPeer start(Path dir, String name, List<String> args, Pattern bound, List<Process> started) throws Exception {
        Path bin = SpandspBuild.binary(C_SOURCES, args.get(0));
        Path out = dir.resolve(name + ".json");
        Path log = dir.resolve(name + ".log");
        Path tiff = dir.resolve(name + ".tif");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--receive", tiff.toString()));
        cmd.addAll(args.subList(1, args.size()));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        started.add(p);
        int[] port = {0};
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher m = bound.matcher(Files.readString(log));
            if (m.find()) port[0] = Integer.parseInt(m.group(1));
            return port[0] > 0 || !p.isAlive();
        });
        assertThat(port[0]).as("%s did not bind: %s", name, Files.readString(log)).isPositive();
        return new WaitingSpandspPeer(p, port[0], out, log, tiff);
    }
}
