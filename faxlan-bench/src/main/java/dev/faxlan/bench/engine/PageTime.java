package dev.faxlan.bench.engine;

import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.fax.T38Terminal;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.Compression;
import dev.faxlan.engine.t38.FieldType;
import dev.faxlan.engine.t38.Ifp;
import dev.faxlan.engine.t38.Indicator;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.T4Encoder;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Issue 5 benchmark (b): how long faxlan takes to send one page compared with the theoretical time
 * at the negotiated rate (coded image bits / bit rate, plus the modem's training), for a letter-like
 * fine A4 page, non-ECM MH and MR, 14400 bit/s. Runs a faxlan→faxlan call on a simulated clock with
 * no network, so the figure is the engine's own pacing, not the machine's load. Also prints the whole
 * call's duration, which bench/engine-page-time.sh compares with spandsp→spandsp on the same page.
 *
 * <p>Usage: {@code PageTime [--tiff OUT.tif]} (writes the page so spandsp can send the same one).
 */
public final class PageTime {
    public static void main(String[] args) throws Exception {
        BilevelPage page = ConcurrentCalls.letter(1);
        if (args.length == 2 && args[0].equals("--tiff")) {
            try (TiffWriter w = new TiffWriter(Files.newOutputStream(Path.of(args[1])), TiffWriteOptions.of(TiffEncoding.G4))) {
                w.writePage(page);
            }
        }
        System.out.println("coding  image_bits  theoretical_ms  measured_ms  ratio  call_ms");
        for (Compression c : new Compression[] {Compression.MH, Compression.MR}) {
            CodecOptions opts = c == Compression.MR ? CodecOptions.mr(4) : CodecOptions.mh();
            long bits = (long) T4Encoder.encode(page, opts).length * 8;
            long[] measured = sendOnce(page, c);
            double theoretical = bits * 1000.0 / 14400 + 142; // data at 14400 bit/s plus V.17 short training
            System.out.printf(Locale.ROOT, "%-6s  %10d  %14.0f  %11d  %5.3f  %7d%n", c, bits, theoretical, measured[0],
                    measured[0] / theoretical, measured[1]);
        }
    }

    /** Returns {phase C time of the page (training indicator to sig-end), whole call time}, simulated ms. */
    static long[] sendOnce(BilevelPage page, Compression coding) {
        FaxOptions opts = FaxOptions.defaults("1").withCodings(EnumSet.of(coding));
        T38Terminal tx = T38Terminal.send(List.of(page), opts, e -> {}, 0);
        T38Terminal rx = T38Terminal.receive(FaxOptions.defaults("2").withCodings(EnumSet.allOf(Compression.class)), e -> {}, 0);
        List<long[]> toB = new ArrayList<>();
        List<Object[]> inFlightA = new ArrayList<>();
        List<Object[]> inFlightB = new ArrayList<>();
        long now = 0;
        long trainingAt = -1;
        long pageStart = -1;
        long pageEnd = -1;
        boolean tcfDone = false;
        while (!(tx.done() && rx.done()) && now < 600_000) {
            long next = Math.min(tx.nextWakeup(), rx.nextWakeup());
            for (Object[] f : inFlightA) next = Math.min(next, (long) f[0]);
            for (Object[] f : inFlightB) next = Math.min(next, (long) f[0]);
            if (next == Long.MAX_VALUE) break;
            now = Math.max(now, next);
            deliver(inFlightB, rx, now);
            deliver(inFlightA, tx, now);
            for (Ifp ifp : tx.poll(now)) {
                if (ifp instanceof Ifp.Indication ind && ind.indicator() == Indicator.V17_14400_SHORT_TRAINING && tcfDone && pageStart < 0) {
                    pageStart = now;
                }
                if (ifp instanceof Ifp.Data d && d.fields().stream().anyMatch(f -> f.type() == FieldType.T4_NON_ECM_SIG_END)) {
                    if (!tcfDone) tcfDone = true;
                    else if (pageStart >= 0 && pageEnd < 0) pageEnd = now;
                }
                inFlightB.add(new Object[] {now + 20, ifp});
            }
            for (Ifp ifp : rx.poll(now)) inFlightA.add(new Object[] {now + 20, ifp});
        }
        if (tx.result() != FaxResult.OK) throw new IllegalStateException("call failed: " + tx.result());
        return new long[] {pageEnd - pageStart, now};
    }

    private static void deliver(List<Object[]> queue, T38Terminal to, long now) {
        for (java.util.Iterator<Object[]> it = queue.iterator(); it.hasNext(); ) {
            Object[] f = it.next();
            if ((long) f[0] <= now) {
                to.receive((Ifp) f[1], now);
                it.remove();
            }
        }
    }
}
