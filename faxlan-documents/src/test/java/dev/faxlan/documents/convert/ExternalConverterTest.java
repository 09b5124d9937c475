package dev.faxlan.documents.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without LibreOffice or Ghostscript, the error names the missing tool. */
class ExternalConverterTest {

    @TempDir
    Path dir;

    private DocumentException convertWithoutTools(Path file) {
        ConvertOptions noTools = ConvertOptions.defaults().withTools(ExternalTools.of(dir.resolve("empty-bin").toString()));
        return catchThrowableOfType(DocumentException.class,
                () -> new DocumentConverter(noTools).convert(List.of(file), null, dir.resolve("out.tif")));
    }

    @Test
    void officeDocumentWithoutLibreOffice() throws Exception {
        Path docx = Files.write(dir.resolve("letter.docx"), "PK\u0003\u0004[Content_Types].xml".getBytes());
        DocumentException e = convertWithoutTools(docx);
        assertThat(e.reason()).isEqualTo(Reason.TOOL_MISSING);
        assertThat(e.getMessage()).contains("LibreOffice").contains("soffice").contains("letter.docx");
    }

    @Test
    void postScriptWithoutGhostscript() throws Exception {
        Path ps = Files.writeString(dir.resolve("page.ps"), "%!PS-Adobe-3.0\nshowpage\n");
        DocumentException e = convertWithoutTools(ps);
        assertThat(e.reason()).isEqualTo(Reason.TOOL_MISSING);
        assertThat(e.getMessage()).contains("Ghostscript").contains("'gs'");
    }
}
