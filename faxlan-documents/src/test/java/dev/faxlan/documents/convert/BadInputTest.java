package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.documents.testsupport.Samples;
import dev.faxlan.engine.tiff.TiffReader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken input: each case gives a one-line {@link DocumentException} or is
 * converted. Runs with {@code -Xmx256m}, like every unit test of this module (see its
 * pom.xml), so a conversion that does not stream pages fails here with OutOfMemoryError.
 */
class BadInputTest {

    /** The heap every test in this class must stay within. */
    static final long HEAP_LIMIT = 256L << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void runsWithTheStatedHeap() {
        assertThat(Runtime.getRuntime().maxMemory())
                .as("BadInputTest must run with -Xmx256m (surefire argLine in faxlan-documents/pom.xml)")
                .isLessThanOrEqualTo(HEAP_LIMIT);
    }

    private DocumentException refused(Path file) {
        DocumentException e = catchThrowableOfType(DocumentException.class, () ->
                new DocumentConverter(ConvertOptions.defaults()).convert(List.of(file), null, dir.resolve("out.tif")));
        assertThat(e).as("conversion of " + file.getFileName() + " must be refused").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n").contains(file.getFileName().toString());
        assertThat(dir.resolve("out.tif")).doesNotExist();
        return e;
    }

    @Test
    void emptyFile() throws Exception {
        Path f = Files.write(dir.resolve("empty.pdf"), new byte[0]);
        DocumentException e = refused(f);
        assertThat(e.reason()).isEqualTo(Reason.EMPTY);
        assertThat(e.getMessage()).contains("empty");
    }

    @Test
    void unknownFormat() throws Exception {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = 0x00;
        Path f = Files.write(dir.resolve("mystery.pdf"), junk);
        DocumentException e = refused(f);
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_FORMAT);
        assertThat(e.getMessage()).contains("unknown format");
    }

    @Test
    void missingFile() {
        DocumentException e = refused(dir.resolve("nowhere.pdf"));
        assertThat(e.reason()).isEqualTo(Reason.IO);
    }

    @Test
    void encryptedPdf() throws Exception {
        Path f = dir.resolve("secret.pdf");
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage(PDRectangle.A4));
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner", "user", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            doc.protect(policy);
            doc.save(f.toFile());
        }
        DocumentException e = refused(f);
        assertThat(e.reason()).isEqualTo(Reason.ENCRYPTED);
        assertThat(e.getMessage()).contains("password");
    }

    @Test
    void pdfWithZeroPages() throws Exception {
        Path f = dir.resolve("nothing.pdf");
        try (PDDocument doc = new PDDocument()) {
            doc.save(f.toFile());
        }
        DocumentException e = refused(f);
        assertThat(e.reason()).isEqualTo(Reason.NO_PAGES);
        assertThat(e.getMessage()).contains("no pages");
    }

    @Test
    void truncatedPdf() throws Exception {
        Path good = Samples.pdf(dir.resolve("good.pdf"), 2, PDRectangle.A4);
        byte[] all = Files.readAllBytes(good);
        Path f = Files.write(dir.resolve("truncated.pdf"), java.util.Arrays.copyOf(all, 400));
        DocumentException e = refused(f);
        assertThat(e.reason()).isIn(Reason.DAMAGED, Reason.NO_PAGES);
    }

    @Test
    void truncatedPng() throws Exception {
        Path good = Samples.image(dir.resolve("good.png"), "png", 600, 400);
        byte[] all = Files.readAllBytes(good);
        Path f = Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(all, all.length / 3));
        DocumentException e = refused(f);
        assertThat(e.reason()).isEqualTo(Reason.DAMAGED);
    }

    @Test
    void hugeImageIsRefusedFromItsHeader() throws Exception {
        Path f = bilevelPng(dir.resolve("huge.png"), 30_000, 30_000);
        DocumentException e = refused(f);
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.getMessage()).contains("30000x30000");
    }

    /** A page content that inflates to 256 MiB (of spaces) is read as a stream: converted within this test's 256 MiB heap. */
    @Test
    void pdfWhoseContentInflatesFarBeyondTheHeapIsConvertedAsAStream() throws Exception {
        byte[] spaces = new byte[1 << 20];
        java.util.Arrays.fill(spaces, (byte) ' ');
        Path f = Files.write(dir.resolve("inflating.pdf"), onePagePdf(out -> {
            for (int i = 0; i < 256; i++) out.write(spaces);
        }));
        assertThat(Files.size(f)).isLessThan(1 << 20);

        DocumentConverter.Result r = new DocumentConverter(ConvertOptions.of(Resolution.STANDARD, PageSize.A4))
                .convert(List.of(f), null, dir.resolve("out.tif"));

        assertThat(r.pages()).isEqualTo(1);
    }

    /** Millions of operations in a few KiB would keep the renderer busy for many minutes: refused past the limit. */
    @Test
    void pdfPageWithMoreOperationsThanTheLimitIsRefused() throws Exception {
        byte[] nops = "n\n".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
        long rounds = PdfSource.MAX_OPERATORS / (1 << 16) + 1;
        Path f = Files.write(dir.resolve("busy.pdf"), onePagePdf(out -> {
            for (long i = 0; i < rounds; i++) out.write(nops);
        }));
        DocumentException e = refused(f);
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.getMessage()).endsWith("busy.pdf: page 1 has more than " + PdfSource.MAX_OPERATORS + " drawing operations");
    }

    interface Content {
        void write(OutputStream out) throws IOException;
    }

    /** A one-page PDF whose content stream, deflated, is what {@code content} writes. */
    private static byte[] onePagePdf(Content content) throws IOException {
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(deflated, new Deflater(Deflater.BEST_COMPRESSION), 1 << 16)) {
            content.write(d);
        }
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        List<Integer> offsets = new java.util.ArrayList<>();
        String[] objects = {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"};
        pdf.writeBytes("%PDF-1.4\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < objects.length; i++) {
            offsets.add(pdf.size());
            pdf.writeBytes(((i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n").getBytes(StandardCharsets.US_ASCII));
        }
        offsets.add(pdf.size());
        pdf.writeBytes(("4 0 obj\n<< /Length " + deflated.size() + " /Filter /FlateDecode >>\nstream\n").getBytes(StandardCharsets.US_ASCII));
        pdf.writeBytes(deflated.toByteArray());
        pdf.writeBytes("\nendstream\nendobj\n".getBytes(StandardCharsets.US_ASCII));
        int xref = pdf.size();
        StringBuilder x = new StringBuilder("xref\n0 5\n0000000000 65535 f \n");
        for (int o : offsets) x.append(String.format("%010d 00000 n \n", o));
        x.append("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n").append(xref).append("\n%%EOF\n");
        pdf.writeBytes(x.toString().getBytes(StandardCharsets.US_ASCII));
        return pdf.toByteArray();
    }

    @Test
    void largeImageBelowTheLimitIsConvertedSubsampled() throws Exception {
        // 200 megapixels, 190 MB as 8-bit gray: fits in 256 MB only if decoded subsampled.
        Path f = bilevelPng(dir.resolve("large.png"), 10_000, 20_000);
        Path out = dir.resolve("out.tif");

        DocumentConverter.Result r = new DocumentConverter(ConvertOptions.of(Resolution.STANDARD, PageSize.A4))
                .convert(List.of(f), null, out);

        assertThat(r.pages()).isEqualTo(1);
    }

    @Test
    void fiveHundredPagePdfIsConvertedOnePageAtATime() throws Exception {
        Path f = dir.resolve("long.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.TIMES_ROMAN);
            for (int p = 0; p < 500; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 12);
                    cs.setLeading(15);
                    cs.newLineAtOffset(72, 770);
                    for (int l = 0; l < 45; l++) {
                        cs.showText("Page " + (p + 1) + ", line " + (l + 1) + ": all work and no play makes a dull fax.");
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            doc.save(f.toFile());
        }
        Path out = dir.resolve("out.tif");

        DocumentConverter.Result r = new DocumentConverter(ConvertOptions.of(Resolution.STANDARD, PageSize.A4))
                .convert(List.of(f), null, out);

        assertThat(r.pages()).isEqualTo(500);
        try (TiffReader t = TiffReader.open(out)) {
            assertThat(t.pageCount()).isEqualTo(500);
            assertThat(t.pageInfo(499).width()).isEqualTo(1728);
        }
    }

    /**
     * A valid 1-bit gray PNG of any size, written row by row (the rows are white with a black
     * diagonal band), so the test itself needs almost no memory.
     */
    static Path bilevelPng(Path file, int w, int h) throws IOException {
        try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(file));
                DataOutputStream out = new DataOutputStream(os)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream d = new DataOutputStream(ihdr);
            d.writeInt(w);
            d.writeInt(h);
            d.write(new byte[] {1, 0, 0, 0, 0}); // depth 1, gray, deflate, filter 0, no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            int bpr = (w + 7) / 8;
            byte[] row = new byte[1 + bpr];
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
                for (int y = 0; y < h; y++) {
                    java.util.Arrays.fill(row, (byte) 0xFF);
                    row[0] = 0;
                    int x = (int) ((long) y * w / h);
                    for (int k = Math.max(0, x - 40); k < Math.min(w, x + 40); k++) {
                        row[1 + k / 8] &= (byte) ~(0x80 >>> (k % 8));
                    }
                    z.write(row);
                    if (idat.size() > (1 << 20)) {
                        chunk(out, "IDAT", idat.toByteArray());
                        idat.reset();
                    }
                }
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    /** Fax-width pages of {@code rows} rows at fine resolution, blank (a few bytes each as G4). */
    private Path blankFaxTiff(String name, int pages, int rows) throws IOException {
        dev.faxlan.engine.image.BilevelPage blank = new dev.faxlan.engine.image.BilevelPage(1728, rows, 204, 196);
        List<dev.faxlan.engine.image.BilevelPage> all = new java.util.ArrayList<>();
        for (int i = 0; i < pages; i++) {
            all.add(blank);
        }
        return Samples.bilevelTiff(dir.resolve(name), all, dev.faxlan.engine.tiff.TiffEncoding.G4);
    }

    @Test
    void faxPageOfTheLongestFaxLengthIsConverted() throws Exception {
        // B4 (364 mm) at fine resolution: 364 / 25.4 * 196 = 2808.8 rows.
        Path f = blankFaxTiff("b4.tif", 2, 2809);
        new DocumentConverter(ConvertOptions.defaults()).convert(List.of(f), null, dir.resolve("out.tif"));
        try (TiffReader t = TiffReader.open(dir.resolve("out.tif"))) {
            assertThat(t.pageCount()).isEqualTo(2);
            assertThat(t.pageInfo(1).height()).isEqualTo(2809);
        }
    }

    @Test
    void faxPageOneRowLongerThanTheLongestIsRefused() throws Exception {
        DocumentException e = refused(blankFaxTiff("long.tif", 2, 2810));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.getMessage()).contains("page 1 is 2810 rows long").contains("the longest fax page is 2809 rows");
    }

    @Test
    void tallPageAttackIsRefusedBeforeAnyPageIsDecoded() throws Exception {
        // Issue 11: 460 fax-width pages of 65,535 rows, 6.5 GB decoded.
        DocumentException e = refused(blankFaxTiff("tall.tif", 460, 65_535));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.getMessage()).contains("page 1 is 65535 rows long").contains("the longest fax page is 2809 rows");
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
