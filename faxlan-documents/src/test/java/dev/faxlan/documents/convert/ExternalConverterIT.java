package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.testkit.ExternalTool;
import dev.faxlan.engine.tiff.TiffReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostScript through Ghostscript and office documents through LibreOffice (both installed by CI). */
class ExternalConverterIT {

    @TempDir
    Path dir;

    @Test
    void postScriptThroughGhostscript() throws Exception {
        ExternalTool.require("gs", "Debian package ghostscript");
        Path ps = Files.writeString(dir.resolve("two.ps"), """
                %!PS-Adobe-3.0
                /Helvetica findfont 24 scalefont setfont
                72 700 moveto (Page one) show showpage
                72 700 moveto (Page two) show showpage
                """);
        Path out = dir.resolve("out.tif");

        DocumentConverter.Result r = new DocumentConverter(ConvertOptions.defaults()).convert(List.of(ps), null, out);

        assertThat(r.pages()).isEqualTo(2);
        try (TiffReader t = TiffReader.open(out)) {
            assertThat(t.pageCount()).isEqualTo(2);
        }
    }

    @Test
    void rtfThroughLibreOffice() throws Exception {
        ExternalTool.require("soffice", "Debian package libreoffice-writer-nogui");
        Path rtf = Files.writeString(dir.resolve("letter.rtf"), "{\\rtf1\\ansi Hello from a word processor.\\par}");
        Path out = dir.resolve("out.tif");

        DocumentConverter.Result r = new DocumentConverter(ConvertOptions.defaults()).convert(List.of(rtf), null, out);

        assertThat(r.pages()).isEqualTo(1);
    }
}
