package dev.faxlan.engine.tiff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.BitOrder;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.testkit.ExternalTool.Result;
import dev.faxlan.engine.testsupport.TestPages;
import dev.faxlan.engine.testsupport.TestPages.Style;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cross-checks our codec and TIFF container with libtiff's tiffcp and tiffinfo. */
class TiffInteropIT {

    private static final String LIBTIFF_TOOLS = "Debian package libtiff-tools";

    @TempDir
    Path dir;

    private static List<BilevelPage> pages;

    @BeforeAll
    static void pages() {
        pages = List.of(
                TestPages.random(1, 1728, 400, Style.BLOCKS),
                TestPages.random(2, 1728, 300, Style.NOISE).withResolution(204, 98),
                TestPages.random(3, 1728, 300, Style.DRIFT).withResolution(204, 391),
                TestPages.random(4, 1728, 200, Style.RUNS));
    }

    static Stream<Arguments> ourEncodings() {
        List<Arguments> a = new ArrayList<>();
        for (TiffEncoding e : List.of(TiffEncoding.G3_1D, TiffEncoding.G3_2D, TiffEncoding.G4)) {
            for (boolean fill : List.of(false, true)) {
                for (BitOrder order : BitOrder.values()) {
                    if (e == TiffEncoding.G4 && fill) {
                        continue;
                    }
                    a.add(Arguments.of(e, fill, order));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} fill={1} {2}")
    @MethodSource("ourEncodings")
    void libtiffDecodesWhatWeWrite(TiffEncoding encoding, boolean fill, BitOrder order) throws Exception {
        Path tiffcp = ExternalTool.require("tiffcp", LIBTIFF_TOOLS);
        Path ours = dir.resolve("ours.tif");
        Path plain = dir.resolve("plain.tif");
        Files.write(ours, TiffWriter.toBytes(pages,
                TiffWriteOptions.of(encoding).withFillBits(fill).withFillOrder(order)));

        Result r = ExternalTool.run(List.of(tiffcp.toString(), "-c", "none", ours.toString(), plain.toString()));

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.all()).as("tiffcp output").isEmpty();
        List<DecodeResult> back = TiffReader.readAll(Files.readAllBytes(plain));
        assertSamePages(back, pages);
    }

    @ParameterizedTest(name = "{0} fill={1} {2}")
    @MethodSource("ourEncodings")
    void tiffinfoAcceptsWhatWeWrite(TiffEncoding encoding, boolean fill, BitOrder order) throws Exception {
        Path tiffinfo = ExternalTool.require("tiffinfo", LIBTIFF_TOOLS);
        Path ours = dir.resolve("ours.tif");
        Files.write(ours, TiffWriter.toBytes(pages,
                TiffWriteOptions.of(encoding).withFillBits(fill).withFillOrder(order)));

        // -D decodes every strip, so data errors would show as warnings too.
        Result r = ExternalTool.run(List.of(tiffinfo.toString(), "-D", ours.toString()));

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).as("tiffinfo stderr").isEmpty();
        assertThat(r.stdout().toLowerCase()).doesNotContain("warning").doesNotContain("error");
        assertThat(count(r.stdout(), "TIFF Directory at offset")).isEqualTo(pages.size());
        assertThat(count(r.stdout(), "Image Width: 1728 Image Length: ")).isEqualTo(pages.size());
        assertThat(r.stdout()).contains("Resolution: 204, 196 pixels/inch")
                .contains("Resolution: 204, 98 pixels/inch")
                .contains("Resolution: 204, 391 pixels/inch")
                .contains("Page Number: 0-" + pages.size())
                .contains("Page Number: " + (pages.size() - 1) + "-" + pages.size());
    }

    static Stream<Arguments> libtiffEncodings() {
        return Stream.of(
                Arguments.of(List.of("-c", "g3")),
                Arguments.of(List.of("-c", "g3:2d")),
                Arguments.of(List.of("-c", "g3:2d:fill")),
                Arguments.of(List.of("-c", "g3:1d:fill")),
                Arguments.of(List.of("-c", "g4")),
                Arguments.of(List.of("-c", "g3", "-f", "lsb2msb")),
                Arguments.of(List.of("-c", "g3:2d", "-f", "lsb2msb")),
                Arguments.of(List.of("-c", "g4", "-f", "lsb2msb")),
                Arguments.of(List.of("-c", "g4", "-r", "16")),
                Arguments.of(List.of("-c", "g3:2d", "-r", "7", "-B")),
                Arguments.of(List.of("-c", "g4", "-B", "-f", "lsb2msb")),
                Arguments.of(List.of("-c", "packbits", "-r", "32")),
                Arguments.of(List.of("-c", "none", "-f", "lsb2msb", "-B")));
    }

    @ParameterizedTest(name = "tiffcp {0}")
    @MethodSource("libtiffEncodings")
    void weDecodeWhatLibtiffWrites(List<String> args) throws Exception {
        Path tiffcp = ExternalTool.require("tiffcp", LIBTIFF_TOOLS);
        Path plain = dir.resolve("plain.tif");
        Path coded = dir.resolve("coded.tif");
        Files.write(plain, TiffWriter.toBytes(pages, TiffWriteOptions.of(TiffEncoding.UNCOMPRESSED)));
        List<String> cmd = new ArrayList<>(List.of(tiffcp.toString()));
        cmd.addAll(args);
        cmd.add(plain.toString());
        cmd.add(coded.toString());

        Result r = ExternalTool.run(cmd);

        assertThat(r.exitCode()).as(r.all()).isZero();
        List<DecodeResult> back = TiffReader.readAll(Files.readAllBytes(coded));
        assertSamePages(back, pages);
    }

    @Test
    void weReadMinIsBlackFromLibtiff() throws Exception {
        Path tiffcp = ExternalTool.require("tiffcp", LIBTIFF_TOOLS);
        // Our writer only writes min-is-white: flip the tag and the pixels of an uncompressed file.
        byte[] plain = TiffWriter.toBytes(pages.subList(0, 1), TiffWriteOptions.of(TiffEncoding.UNCOMPRESSED));
        byte[] minIsBlack = TiffTestFiles.toMinIsBlack(plain);
        Path in = dir.resolve("black.tif");
        Path coded = dir.resolve("black-g4.tif");
        Files.write(in, minIsBlack);
        for (String c : List.of("none", "g4", "g3:2d")) {
            Result r = ExternalTool.run(List.of(tiffcp.toString(), "-c", c, in.toString(), coded.toString()));
            assertThat(r.exitCode()).as(r.all()).isZero();
            assertSamePages(TiffReader.readAll(Files.readAllBytes(coded)), pages.subList(0, 1));
        }
    }

    private static void assertSamePages(List<DecodeResult> actual, List<BilevelPage> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            DecodeResult r = actual.get(i);
            assertThat(r.badLineCount()).as("bad lines on page %d", i + 1).isZero();
            assertThat(r.page().firstDifferentRow(expected.get(i))).as("first differing row on page %d", i + 1)
                    .isEqualTo(-1);
            assertThat(r.page()).as("page %d", i + 1).isEqualTo(expected.get(i));
        }
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
