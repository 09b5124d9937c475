package dev.faxlan.documents.convert;

import dev.faxlan.documents.WorkDirectories;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.convert.ExternalTools.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Opens any supported document as a {@link PageSource}, choosing the converter by content. */
public final class Documents {

    /** The largest plain-text file converted, in bytes (about 2000 pages). */
    public static final long MAX_TEXT_BYTES = TextSource.MAX_BYTES;

    private Documents() {
    }

    /**
     * Opens {@code file}: PDF, plain text, PNG, JPEG, GIF, BMP and TIFF directly; PostScript
     * through Ghostscript and office documents through LibreOffice, when installed.
     *
     * @throws DocumentException with a one-line message if the file cannot be converted
     */
    public static PageSource open(Path file, ConvertOptions options) throws IOException {
        return open(file, String.valueOf(file.getFileName()), options);
    }

    /**
     * As {@link #open(Path, ConvertOptions)}, naming the document {@code name} in messages (the name
     * its owner knows, where the file itself is stored under another).
     */
    public static PageSource open(Path file, String name, ConvertOptions options) throws IOException {
        DocumentFormat kind = FormatDetector.detect(file);
        try {
            return switch (kind) {
                case PDF -> PdfSource.open(file, name, options);
                case TEXT -> TextSource.open(file, name, options);
                case PNG, JPEG, GIF, BMP -> ImageSource.open(file, name, kind, options);
                case TIFF -> TiffSource.open(file, name, options);
                case POSTSCRIPT -> viaPdf(file, name, options, Tool.GHOSTSCRIPT);
                case OFFICE -> viaPdf(file, name, options, Tool.LIBREOFFICE);
            };
        } catch (DocumentException e) {
            throw e;
        } catch (IOException e) {
            throw new DocumentException(Reason.IO, name + ": " + PdfSource.oneLine(e), e);
        }
    }

    /** The format {@link #open} would use, for messages and tests. */
    public static DocumentFormat formatOf(Path file) throws IOException {
        return FormatDetector.detect(file);
    }

    private static PageSource viaPdf(Path file, String name, ConvertOptions options, Tool tool) throws IOException {
        String purpose = tool == Tool.GHOSTSCRIPT ? "converting PostScript (" + name + ")"
                : "converting office documents (" + name + ")";
        Path exe = options.tools().require(tool, purpose);
        Path work = Files.createTempDirectory("faxlan-convert");
        Path pdf = null;
        try {
            String what = tool.product() + " converting " + name;
            if (tool == Tool.GHOSTSCRIPT) {
                pdf = work.resolve("out.pdf");
                options.tools().run(List.of(exe.toString(), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER",
                        "-sDEVICE=pdfwrite", "-sOutputFile=" + pdf, file.toAbsolutePath().toString()),
                        work, options.toolTimeout(), what);
            } else {
                Path profile = work.resolve("profile");
                Path outDir = work.resolve("out");
                Files.createDirectories(outDir);
                options.tools().run(List.of(exe.toString(), "--headless", "--norestore", "--nolockcheck",
                        "-env:UserInstallation=" + profile.toUri(), "--convert-to", "pdf",
                        "--outdir", outDir.toString(), file.toAbsolutePath().toString()),
                        work, options.toolTimeout(), what);
                try (Stream<Path> s = Files.list(outDir)) {
                    pdf = s.filter(p -> p.toString().endsWith(".pdf")).findFirst().orElse(null);
                }
            }
            if (pdf == null || !Files.isRegularFile(pdf) || Files.size(pdf) == 0) {
                throw new DocumentException(Reason.TOOL_FAILED, tool.product() + " produced no PDF from " + name);
            }
            Path kept = Files.createTempFile("faxlan-converted", ".pdf");
            Files.move(pdf, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return PdfSource.open(kept, name, options, options.pdfHalftone(), kept);
        } finally {
            WorkDirectories.delete(work); // leftovers in the temp directory are harmless
        }
    }
}
