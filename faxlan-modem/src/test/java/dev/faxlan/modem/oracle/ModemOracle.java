package dev.faxlan.modem.oracle;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.faxlan.modem.testsupport.Line;
import dev.faxlan.testkit.FlatJson;
import dev.faxlan.testkit.SpandspBuild;
import java.util.concurrent.TimeUnit;

/**
 * spandsp's high-speed fax modems as an oracle for ours: {@code src/test/c/modemoracle/modemoracle.c},
 * compiled once per build into {@code target/modemoracle}. {@link #transmit} modulates bytes into
 * spandsp's line samples; {@link #receive} demodulates samples with spandsp's receiver. Bytes go
 * on the line least significant bit first; samples are 8 kHz, 16-bit linear (or G.711 octets with
 * {@code --law}). With spandsp at both ends the bytes received are the bytes sent: the receiver's
 * first bit is the transmitter's first data bit.
 */
public final class ModemOracle {
    private static final long LIMIT_SECONDS = 120;

    private ModemOracle() {
    }

    /** A modem and rate spandsp 0.0.6 has for fax. */
    public enum Modem {
        V27TER("v27ter", 2400, 4800), V29("v29", 7200, 9600), V17("v17", 7200, 9600, 12000, 14400);

        final String arg;
        final int[] rates;

        Modem(String arg, int... rates) {
            this.arg = arg;
            this.rates = rates;
        }

        public int[] rates() {
            return rates.clone();
        }
    }

    /** What the receiver made of a line: the bytes, its exit status and its summary on stderr. */
    public record Received(byte[] data, int exitCode, Map<String, Object> summary, String log) {

        /** Every carrier that came trained, and at least one came. */
        public boolean trained() {
            return exitCode == 0;
        }

        public long carriers() {
            return (Long) summary.get("carriers");
        }

        public long trainingsFailed() {
            return (Long) summary.get("failed");
        }
    }

    /** spandsp's line signal for {@code data}; {@code options} as modemoracle takes them ({@code --split N}, {@code --level}, {@code --law}). */
    public static byte[] transmit(Modem modem, int rate, byte[] data, String... options)
            throws IOException, InterruptedException {
        Run r = run("tx", modem, rate, data, options);
        if (r.exitCode != 0) {
            fail("modemoracle tx " + modem.arg + " " + rate + " exited " + r.exitCode + ": " + r.stderr);
        }
        return r.stdout;
    }

    /** What spandsp's receiver hears in {@code line}; {@code options} e.g. {@code --count N}, {@code --short-train}, {@code --law}. */
    public static Received receive(Modem modem, int rate, byte[] line, String... options)
            throws IOException, InterruptedException {
        Run r = run("rx", modem, rate, line, options);
        String last = r.stderr.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (last == null) {
            fail("modemoracle rx " + modem.arg + " " + rate + " exited " + r.exitCode + " without a summary: " + r.stderr);
        }
        return new Received(r.stdout, r.exitCode, FlatJson.parse(last), r.stderr);
    }

    /** 16-bit little-endian samples as the oracle writes them. */
    public static short[] samples(byte[] line) {
        return Line.fromLittleEndian(line);
    }

    /** Samples as the oracle reads them. */
    public static byte[] line(short[] samples) {
        return Line.toLittleEndian(samples);
    }

    private record Run(int exitCode, byte[] stdout, String stderr) {
    }

    private static Run run(String direction, Modem modem, int rate, byte[] input, String... options)
            throws IOException, InterruptedException {
        Path bin = SpandspBuild.binary("modemoracle");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), direction, modem.arg, Integer.toString(rate)));
        cmd.addAll(List.of(options));
        // Files, not pipes: the oracle reads all its input before it writes, and its output may be large.
        Path in = Files.createTempFile("modemoracle", ".in");
        Path out = Files.createTempFile("modemoracle", ".out");
        Path err = Files.createTempFile("modemoracle", ".err");
        try {
            Files.write(in, input);
            Process p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(cmd + " did not finish within " + LIMIT_SECONDS + " s");
            }
            return new Run(p.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
