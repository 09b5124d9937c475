package dev.faxlan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faxlan convert} and {@code faxlan view}: results, and one-line errors with exit codes. */
class ConvertAndViewCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void convertsTextBehindACoverAndViewsItAsPdfAndPng() throws Exception {
        Path txt = Files.writeString(dir.resolve("memo.txt"), "Hello\fSecond page\n");
        Path tif = dir.resolve("fax.tif");

        int rc = Main.run("convert", txt.toString(), "--out", tif.toString(), "--resolution", "standard",
                "--page-size", "letter", "--cover", "classic", "--field", "to=Jane Doe", "--field", "urgent=yes");

        assertThat(rc).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("3 pages");
        assertThat(Files.size(tif)).isPositive();

        assertThat(Main.run("view", tif.toString(), "--out", dir.resolve("fax.pdf").toString())).as(err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("fax.pdf"))).startsWith("%PDF".getBytes(StandardCharsets.US_ASCII));

        assertThat(Main.run("view", tif.toString(), "--out", dir.resolve("fax.png").toString())).as(err()).isZero();
        assertThat(dir.resolve("fax-1.png")).exists();
        assertThat(dir.resolve("fax-3.png")).exists();

        assertThat(Main.run("view", tif.toString(), "--out", dir.resolve("p2.png").toString(), "--page", "2"))
                .as(err()).isZero();
        assertThat(dir.resolve("p2.png")).exists();
    }

    private java.util.List<dev.faxlan.engine.image.BilevelPage> pages(Path tif) throws Exception {
        return dev.faxlan.engine.tiff.TiffReader.readAll(Files.readAllBytes(tif)).stream()
                .map(dev.faxlan.engine.t4.DecodeResult::page).toList();
    }

    @Test
    void charsetOverridesTheDetectedEncodingOfText() throws Exception {
        String russian = "Привет из Москвы\r\n";
        Path cp1251 = Files.write(dir.resolve("ru.txt"), russian.getBytes(java.nio.charset.Charset.forName("windows-1251")));
        Path utf8 = Files.writeString(dir.resolve("ru-utf8.txt"), russian);

        assertThat(Main.run("convert", utf8.toString(), "--out", dir.resolve("want.tif").toString())).as(err()).isZero();
        assertThat(Main.run("convert", cp1251.toString(), "--out", dir.resolve("guessed.tif").toString())).as(err()).isZero();
        assertThat(Main.run("convert", cp1251.toString(), "--charset", "windows-1251", "--out", dir.resolve("told.tif").toString()))
                .as(err()).isZero();

        // Detection takes these bytes for Western accented letters; --charset reads them as Cyrillic.
        assertThat(pages(dir.resolve("guessed.tif"))).isNotEqualTo(pages(dir.resolve("want.tif")));
        assertThat(pages(dir.resolve("told.tif"))).isEqualTo(pages(dir.resolve("want.tif")));
    }

    @Test
    void anUnknownCharsetIsAUsageErrorOnOneLine() throws Exception {
        Path txt = Files.writeString(dir.resolve("memo.txt"), "Hello\n");

        int rc = Main.run("convert", txt.toString(), "--charset", "latin-42", "--out", dir.resolve("x.tif").toString());

        assertThat(rc).isEqualTo(2);
        assertThat(err()).startsWith("faxlan: ").contains("unknown character set 'latin-42'");
        assertThat(err().strip().lines()).hasSize(1);
        assertThat(dir.resolve("x.tif")).doesNotExist();
    }

    @Test
    void emptyFileIsABadInputWithOneLineOnStderr() throws Exception {
        Path empty = Files.write(dir.resolve("empty.pdf"), new byte[0]);

        int rc = Main.run("convert", empty.toString(), "--out", dir.resolve("x.tif").toString());

        assertThat(rc).as("a bad document is not a usage error").isEqualTo(1);
        assertThat(err()).startsWith("faxlan: ").contains("empty.pdf").contains("empty");
        assertThat(err().strip().lines()).hasSize(1);
        assertThat(dir.resolve("x.tif")).doesNotExist();
    }

    @Test
    void workersSetsHowManyPagesAreRenderedAtOnceAndZeroIsAUsageError() throws Exception {
        Path txt = Files.writeString(dir.resolve("memo.txt"), "Hello\n\f".repeat(3));

        assertThat(Main.run("convert", txt.toString(), "--workers", "1", "--out", dir.resolve("one.tif").toString()))
                .as(err()).isZero();
        assertThat(Main.run("convert", txt.toString(), "--workers", "3", "--out", dir.resolve("three.tif").toString()))
                .as(err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("three.tif"))).isEqualTo(Files.readAllBytes(dir.resolve("one.tif")));

        int rc = Main.run("convert", txt.toString(), "--workers", "0", "--out", dir.resolve("x.tif").toString());

        assertThat(rc).isEqualTo(2);
        assertThat(err().strip().lines()).hasSize(1);
        assertThat(err()).contains("workers must be 1 to 64, not 0");
        assertThat(dir.resolve("x.tif")).doesNotExist();
    }

    @Test
    void unknownResolutionIsAUsageError() throws Exception {
        Path txt = Files.writeString(dir.resolve("a.txt"), "x");

        int rc = Main.run("convert", txt.toString(), "--out", dir.resolve("x.tif").toString(), "--resolution", "ultra");

        assertThat(rc).isEqualTo(2);
        assertThat(err().strip().lines()).hasSize(1);
        assertThat(err()).contains("ultra");
    }

    @Test
    void viewingSomethingThatIsNotATiffIsABadInput() throws Exception {
        Path txt = Files.writeString(dir.resolve("a.txt"), "not a fax");

        int rc = Main.run("view", txt.toString(), "--out", dir.resolve("x.pdf").toString());

        assertThat(rc).as("a bad document is not a usage error").isEqualTo(1);
        assertThat(err().strip().lines()).hasSize(1);
        assertThat(err()).contains("a.txt");
    }
}
