package dev.faxlan.bench.documents;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.render.FaxCanvas;
import dev.faxlan.documents.render.Fonts;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.DataBufferByte;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Milliseconds per fine A4 page for binarizing a scanned letter (grey, unevenly lit paper with noise and 45
 * lines of text): {@code legible} is {@link FaxCanvas#toLegiblePage} with the whole page marked as a picture;
 * {@code ordered} is the 8x8 dot screen it replaces for scans, the peer in the same run.
 *
 * <p>Run: {@code mvn -q -pl faxlan-bench -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt},
 * then {@code java -cp faxlan-bench/target/classes:$(cat faxlan-bench/target/cp.txt) org.openjdk.jmh.Main
 * ScanBinarizeBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScanBinarizeBenchmark {

    private FaxCanvas canvas;

    @Setup
    public void setUp() {
        FaxPageFormat format = FaxPageFormat.defaults();
        canvas = new FaxCanvas(format);
        Graphics2D g = canvas.graphics(true);
        g.setPaint(new GradientPaint(0, 0, new Color(237, 237, 237), format.width(), format.height(),
                new Color(204, 204, 204)));
        g.fillRect(0, 0, format.width(), format.height());
        g.setColor(new Color(30, 30, 30));
        g.setFont(Fonts.get(Fonts.Family.SERIF, false).deriveFont(30f));
        for (int line = 0; line < 45; line++) {
            g.drawString("The quick brown fox jumps over the lazy dog, line " + line + " of the letter.", 150,
                    200 + line * 45);
        }
        g.dispose();
        byte[] px = ((DataBufferByte) canvas.image().getRaster().getDataBuffer()).getData();
        Random noise = new Random(1);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.max(0, Math.min(255, (px[i] & 0xFF) + (int) Math.round(noise.nextGaussian() * 6)));
        }
        canvas.markPicture(new Rectangle(0, 0, format.width(), format.height()));
    }

    @Benchmark
    public BilevelPage legible() {
        return canvas.toLegiblePage(128);
    }

    @Benchmark
    public BilevelPage ordered() {
        return canvas.toPage(Halftone.ORDERED);
    }
}
