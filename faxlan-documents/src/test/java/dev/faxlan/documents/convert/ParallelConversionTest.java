package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.cover.CoverPage;
import dev.faxlan.documents.cover.CoverTemplates;
import dev.faxlan.documents.testsupport.Samples;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pages rendered by several workers: the same bytes as one worker, in bounded memory, failing as one would. */
class ParallelConversionTest {

    @TempDir
    Path dir;

    private byte[] convert(int workers, TiffEncoding encoding, CoverPage cover, Path... files) throws IOException {
        Path out = dir.resolve("out-" + workers + ".tif");
        new DocumentConverter(ConvertOptions.defaults().withEncoding(encoding).withWorkers(workers))
                .convert(List.of(files), cover, out);
        return Files.readAllBytes(out);
    }

    @Test
    void multiPagePdfByThreeWorkersIsByteIdenticalToOneWorker() throws Exception {
        Path pdf = Samples.pdf(dir.resolve("report.pdf"), 9, PDRectangle.A4);

        byte[] one = convert(1, TiffEncoding.G4, null, pdf);
        byte[] three = convert(3, TiffEncoding.G4, null, pdf);

        assertThat(TiffReader.readAll(one)).hasSize(9);
        assertThat(three).isEqualTo(one);
    }

    @Test
    void multiPageTiffByTwoWorkersIsByteIdenticalToOneWorker() throws Exception {
        // Fax-width pages (kept as they are, resampled to fine) and 300 dpi scans (fitted on a canvas).
        List<BilevelPage> pages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pages.add(Samples.bilevel(1728, 1100, 204, 98));
            pages.add(Samples.bilevel(900, 1200, 300, 300));
        }
        Path tiff = Samples.bilevelTiff(dir.resolve("scans.tif"), pages, TiffEncoding.G3_2D);

        byte[] one = convert(1, TiffEncoding.G3_1D, null, tiff);
        byte[] two = convert(2, TiffEncoding.G3_1D, null, tiff);

        assertThat(TiffReader.readAll(one)).hasSize(6);
        assertThat(two).isEqualTo(one);
    }

    @Test
    void coverAndMixedDocumentsByFourWorkersAreByteIdenticalToOneWorker() throws Exception {
        Path pdf = Samples.pdf(dir.resolve("a.pdf"), 3, PDRectangle.LETTER);
        Path txt = Samples.text(dir.resolve("b.txt"), Samples.sampleText().repeat(6));
        Path png = Samples.image(dir.resolve("c.png"), "png", 1200, 800); // no copies: rendered by one worker at a time
        Path gray = Samples.grayTiff(dir.resolve("d.tif"), 600, 800);
        CoverPage cover = new CoverPage(CoverTemplates.builtIn("modern"), Map.of("to", "Someone"));

        byte[] one = convert(1, TiffEncoding.G4, cover, pdf, txt, png, gray);
        byte[] four = convert(4, TiffEncoding.G4, cover, pdf, txt, png, gray);

        assertThat(TiffReader.readAll(one).size()).isGreaterThan(1 + 3 + 1 + 1 + 2);
        assertThat(four).isEqualTo(one);
    }

    @Test
    void failingPageInTheMiddleLeavesNoOutputFile() throws Exception {
        Path pdf = dir.resolve("broken.pdf");
        try (PDDocument doc = new PDDocument()) {
            for (int p = 0; p < 12; p++) {
                doc.addPage(new PDPage(p == 6 ? new PDRectangle(0, 0) : PDRectangle.A4));
            }
            doc.save(pdf.toFile());
        }
        Path out = dir.resolve("out.tif");

        DocumentException e = catchThrowableOfType(DocumentException.class, () ->
                new DocumentConverter(ConvertOptions.defaults().withWorkers(3)).convert(List.of(pdf), null, out));

        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.DAMAGED);
        assertThat(e.getMessage()).doesNotContain("\n").startsWith("broken.pdf: page 7 has an empty page box");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(pdf);
        }
        assertThat(renderThreads()).isEmpty();
    }

    @Test
    void theFirstFailingPageIsReportedWhateverTheOrderTheyFailIn() throws Exception {
        // Page 40 fails only after page 90 has failed; one worker would have stopped at page 40.
        CountDownLatch laterFailed = new CountDownLatch(1);
        FakeSource src = new FakeSource(200, index -> {
            if (index == 89) {
                laterFailed.countDown();
                throw new IOException("page 90 failed");
            }
            if (index == 39) {
                await(laterFailed);
                throw new IOException("page 40 failed");
            }
        });
        ParallelPageCoder coder = new ParallelPageCoder(List.of(src), 2, 60, TiffWriteOptions.of(TiffEncoding.G4));

        IOException e = catchThrowableOfType(IOException.class, () -> coder.writeAll(writer(OutputStream.nullOutputStream())));

        assertThat(e).hasMessage("page 40 failed");
        assertThat(renderThreads()).isEmpty();
    }

    @Test
    void workersHoldNoMorePagesThanTheWindow() throws Exception {
        int workers = 4;
        int window = DocumentConverter.window(workers);
        // Page 1 is held up until every other page the window has room for is taken: the window fills.
        CountDownLatch othersStarted = new CountDownLatch(window - 1);
        AtomicInteger mostStartedWhileHeldUp = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        FakeSource src = new FakeSource(300, index -> {
            started.incrementAndGet();
            if (index == 0) {
                await(othersStarted);
                mostStartedWhileHeldUp.set(started.get());
            } else {
                othersStarted.countDown();
            }
        });
        ParallelPageCoder coder = new ParallelPageCoder(List.of(src), workers, window, TiffWriteOptions.of(TiffEncoding.G4));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TiffWriter w = writer(out);
        coder.writeAll(w);
        w.finish();

        assertThat(TiffReader.readAll(out.toByteArray())).hasSize(300);
        assertThat(started).hasValue(300);
        assertThat(coder.mostHeld()).isEqualTo(window);
        assertThat(mostStartedWhileHeldUp.get()).isLessThanOrEqualTo(window);
    }

    @Test
    void interruptingTheConvertingThreadEndsTheWorkers() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        FakeSource src = new FakeSource(50, index -> {
            if (index == 3) {
                stuck.countDown();
                try {
                    new CountDownLatch(1).await(); // until interrupted
                } catch (InterruptedException e) {
                    throw new InterruptedIOException("page 4 interrupted");
                }
            }
        });
        ParallelPageCoder coder = new ParallelPageCoder(List.of(src), 2, 4, TiffWriteOptions.of(TiffEncoding.G4));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread converting = new Thread(() -> {
            try {
                coder.writeAll(writer(OutputStream.nullOutputStream()));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        converting.start();
        stuck.await();

        converting.interrupt();
        converting.join();

        // The writer waits on page 4 at the latest (it never arrives); it may still wait on an earlier one
        // when the other worker has not finished it yet.
        assertThat(thrown.get()).isInstanceOf(InterruptedIOException.class).hasMessageMatching("conversion interrupted at page [1-4] of 50");
        assertThat(renderThreads()).isEmpty();
    }

    @Test
    void everyCopyOfADocumentIsClosedAndTheOriginalsAreLeftOpen() throws Exception {
        AtomicInteger copies = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        // Each worker's first page waits for the other two to start theirs, so all three render (and
        // copy a document), however fast one of them would otherwise take every page.
        CountDownLatch allWorking = new CountDownLatch(3);
        List<PageSource> documents = List.of(new CountedSource(7, copies, closed, allWorking), new CountedSource(1, copies, closed, allWorking),
                new CountedSource(12, copies, closed, allWorking));
        ParallelPageCoder coder = new ParallelPageCoder(documents, 3, 6, TiffWriteOptions.of(TiffEncoding.G4));

        coder.writeAll(writer(OutputStream.nullOutputStream()));

        assertThat(copies.get()).isPositive();
        assertThat(closed).as("copies closed, and no original").hasValue(copies.get());
    }

    /** Blank pages; counts the copies made of it and how many of them were closed. */
    private record CountedSource(int pages, AtomicInteger copies, AtomicInteger closed, CountDownLatch allWorking, boolean copy)
            implements PageSource {
        CountedSource(int pages, AtomicInteger copies, AtomicInteger closed, CountDownLatch allWorking) {
            this(pages, copies, closed, allWorking, false);
        }

        @Override
        public String name() {
            return "counted";
        }

        @Override
        public int pageCount() {
            return pages;
        }

        @Override
        public BilevelPage page(int index) {
            allWorking.countDown();
            await(allWorking);
            return new BilevelPage(1728, 40, 204, 196);
        }

        @Override
        public Optional<PageSource> another() {
            copies.incrementAndGet();
            return Optional.of(new CountedSource(pages, copies, closed, allWorking, true));
        }

        @Override
        public void close() {
            // The originals are the caller's to close: counted apart, as minus a million.
            closed.addAndGet(copy ? 1 : -1_000_000);
        }
    }

    private static TiffWriter writer(OutputStream out) throws IOException {
        return new TiffWriter(out, TiffWriteOptions.of(TiffEncoding.G4));
    }

    private static List<Thread> renderThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("faxlan-render-")).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    interface Rendering {
        void page(int index) throws IOException;
    }

    /** Small blank pages, with a hook that runs as each is rendered; its copies share the hook. */
    private record FakeSource(int pages, Rendering rendering) implements PageSource {

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int pageCount() {
            return pages;
        }

        @Override
        public BilevelPage page(int index) throws IOException {
            rendering.page(index);
            BilevelPage p = new BilevelPage(1728, 40, 204, 196);
            p.setPixel(index % 1728, index % 40, true);
            return p;
        }

        @Override
        public Optional<PageSource> another() {
            return Optional.of(new FakeSource(pages, rendering));
        }

        @Override
        public void close() {
        }
    }
}
