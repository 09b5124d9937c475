package dev.faxlan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/** What the benchmarks that start servers need of the machine: its load, and passwords made up for one run. */
public final class BenchHost {
    private BenchHost() {}

    /** The load average over 1, 5 and 15 minutes: a figure means little without the load it was measured under. */
    public static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** A password for one run's accounts: nothing fixed that could be reused elsewhere. */
    public static String secret() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
