package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.page.PageSize;
import dev.faxlan.engine.t4.Resolution;
import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.testkit.ExternalTool.Result;
import dev.faxlan.documents.testsupport.Samples;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every input format converted to TIFF Class F and checked by libtiff: tiffinfo reads it
 * without a warning and reports 1728 pels, the resolution and the page count; tiffcp's
 * uncompressed copy decodes to exactly the pels our reader gets from our file.
 */
class ConversionIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource({
        "pdf,        FINE,      A4,     G4",
        "pdf,        STANDARD,  LETTER, G3_1D",
        "pdf,        SUPERFINE, A4,     G3_2D",
        "text,       FINE,      A4,     G4",
        "text,       STANDARD,  LETTER, G3_1D",
        "png,        FINE,      A4,     G4",
        "png,        SUPERFINE, LETTER, G4",
        "jpeg,       FINE,      A4,     G4",
        "jpeg,       STANDARD,  A4,     G3_2D",
        "gif,        FINE,      LETTER, G4",
        "bmp,        STANDARD,  A4,     G4",
        "tiff-fax,   FINE,      A4,     G4",
        "tiff-fax,   STANDARD,  A4,     G3_1D",
        "tiff-scan,  FINE,      A4,     G4",
        "tiff-gray,  FINE,      LETTER, G4",
    })
    void libtiffAcceptsConvertedDocument(String kind, Resolution res, PageSize size, TiffEncoding encoding)
            throws Exception {
        Path tiffinfo = ExternalTool.require("tiffinfo", ExternalTool.LIBTIFF_TOOLS);
        Path tiffcp = ExternalTool.require("tiffcp", ExternalTool.LIBTIFF_TOOLS);
        Sample sample = sample(kind);
        FaxPageFormat format = new FaxPageFormat(res, size);
        Path out = dir.resolve("out.tif");

        DocumentConverter.Result r = new DocumentConverter(ConvertOptions.of(format).withEncoding(encoding))
                .convert(List.of(sample.file()), null, out);

        assertThat(r.pages()).isEqualTo(sample.pages());
        Result info = ExternalTool.run(List.of(tiffinfo.toString(), out.toString()));
        assertThat(info.exitCode()).as(info.all()).isZero();
        assertThat(info.stderr()).as("tiffinfo stderr").isEmpty();
        assertThat(info.all().toLowerCase()).as("tiffinfo output").doesNotContain("warning");
        assertThat(count(info.stdout(), "TIFF Directory at offset")).as(info.stdout()).isEqualTo(sample.pages());
        assertThat(count(info.stdout(), "Image Width: 1728 ")).as(info.stdout()).isEqualTo(sample.pages());
        assertThat(count(info.stdout(), "Resolution: 204, " + res.yDpi() + " pixels/inch")).as(info.stdout())
                .isEqualTo(sample.pages());
        if (!kind.equals("tiff-fax")) {
            assertThat(count(info.stdout(), "Image Length: " + format.height())).as(info.stdout())
                    .isEqualTo(sample.pages());
        }

        Path plain = dir.resolve("plain.tif");
        Result cp = ExternalTool.run(List.of(tiffcp.toString(), "-c", "none", out.toString(), plain.toString()));
        assertThat(cp.exitCode()).as(cp.all()).isZero();
        assertThat(cp.all()).as("tiffcp output").isEmpty();
        List<DecodeResult> ours = TiffReader.readAll(Files.readAllBytes(out));
        List<DecodeResult> theirs = TiffReader.readAll(Files.readAllBytes(plain));
        assertThat(theirs).hasSameSizeAs(ours);
        for (int i = 0; i < ours.size(); i++) {
            BilevelPage a = ours.get(i).page();
            BilevelPage b = theirs.get(i).page();
            assertThat(ours.get(i).badLineCount()).isZero();
            assertThat(a.firstDifferentRow(b)).as("page %d: first row where libtiff differs", i + 1).isEqualTo(-1);
            assertThat(a).isEqualTo(b);
        }
    }

    record Sample(Path file, int pages) {
    }

    private Sample sample(String kind) throws Exception {
        return switch (kind) {
            case "pdf" -> new Sample(Samples.pdf(dir.resolve("in.pdf"), 3, PDRectangle.A4), 3);
            case "text" -> new Sample(Samples.text(dir.resolve("in.txt"), Samples.sampleText()), 2);
            case "png" -> new Sample(Samples.image(dir.resolve("in.png"), "png", 800, 600), 1);
            case "jpeg" -> new Sample(Samples.image(dir.resolve("in.jpg"), "jpeg", 640, 900), 1);
            case "gif" -> new Sample(Samples.image(dir.resolve("in.gif"), "gif", 300, 200), 1);
            case "bmp" -> new Sample(Samples.image(dir.resolve("in.bmp"), "bmp", 500, 700), 1);
            case "tiff-fax" -> new Sample(Samples.bilevelTiff(dir.resolve("in.tif"), List.of(
                    Samples.bilevel(1728, 1100, 204, 196), Samples.bilevel(1728, 600, 204, 98)), TiffEncoding.G3_2D), 2);
            case "tiff-scan" -> new Sample(Samples.bilevelTiff(dir.resolve("in.tif"), List.of(
                    Samples.bilevel(2480, 3508, 300, 300)), TiffEncoding.G4), 1);
            case "tiff-gray" -> new Sample(Samples.grayTiff(dir.resolve("in.tif"), 600, 800), 2);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
