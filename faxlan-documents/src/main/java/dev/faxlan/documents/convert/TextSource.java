package dev.faxlan.documents.convert;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.render.FaxCanvas;
import dev.faxlan.documents.render.Fonts;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Plain text set in a monospaced font, 10 pt on 12 pt lines with half-inch margins:
 * about 86 columns and 64 lines on A4 (see {@link TextLayout} for wrapping and form feeds).
 * The encoding is detected ({@link TextEncoding}) unless {@link ConvertOptions#textCharset()}
 * names it; bytes that are not valid in it become U+FFFD. Texts over {@value #MAX_BYTES} bytes are refused.
 */
final class TextSource implements PageSource {

    /** 8 MiB of text is about 2000 pages, more than anyone faxes. */
    static final long MAX_BYTES = 8L << 20;

    static final float FONT_SIZE = 10f;
    static final float LINE_HEIGHT = 12f;
    static final float MARGIN_X = 36f;
    static final float MARGIN_Y = 36f;

    private final String name;
    private final FaxPageFormat format;
    private final List<List<String>> pages;
    private final Font font;
    private final boolean monospaced;
    private final float advance;
    private FaxCanvas canvas;

    private TextSource(String name, FaxPageFormat format, List<List<String>> pages, Font font, boolean monospaced,
            float advance) {
        this.name = name;
        this.format = format;
        this.pages = pages;
        this.font = font;
        this.monospaced = monospaced;
        this.advance = advance;
    }

    static TextSource open(Path file, String name, ConvertOptions options) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new DocumentException(Reason.TOO_LARGE, name + ": " + size + " bytes of text is more than the "
                    + MAX_BYTES + "-byte limit; split it into several files");
        }
        byte[] bytes = Files.readAllBytes(file);
        Charset cs = options.textCharset() != null ? options.textCharset() : TextEncoding.detect(bytes, false);
        return of(TextEncoding.decode(bytes, cs), name, options.format());
    }

    static TextSource of(String text, String name, FaxPageFormat format) {
        Font font = Fonts.get(Fonts.Family.MONO, false).deriveFont(FONT_SIZE);
        boolean mono = Fonts.isMonospaced(font);
        FontRenderContext frc = new FontRenderContext(null, true, true);
        // A proportional fallback font is set on a fixed grid as wide as its widest letter.
        float advance = (float) font.getStringBounds(mono ? "M" : "W", frc).getWidth();
        double widthPt = format.widthInches() * 72 - 2 * MARGIN_X;
        double heightPt = format.heightInches() * 72 - 2 * MARGIN_Y;
        int columns = (int) Math.floor(widthPt / advance);
        int lines = (int) Math.floor(heightPt / LINE_HEIGHT);
        return new TextSource(name, format, TextLayout.paginate(text, columns, lines), font, mono, advance);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int pageCount() {
        return pages.size();
    }

    /** The layout is read-only; only the canvas is a source's own. */
    @Override
    public Optional<PageSource> another() {
        return Optional.of(new TextSource(name, format, pages, font, monospaced, advance));
    }

    @Override
    public BilevelPage page(int index) {
        if (canvas == null) {
            canvas = new FaxCanvas(format);
        }
        Graphics2D g = canvas.pointGraphics(true);
        try {
            g.setFont(font);
            float ascent = font.getLineMetrics("Mg", g.getFontRenderContext()).getAscent();
            float y = MARGIN_Y + ascent;
            for (String line : pages.get(index)) {
                if (monospaced) {
                    g.drawString(line, MARGIN_X, y);
                } else {
                    float x = MARGIN_X;
                    for (int i = 0; i < line.length(); ) {
                        int c = line.codePointAt(i);
                        i += Character.charCount(c);
                        g.drawString(new String(Character.toChars(c)), x, y);
                        x += advance;
                    }
                }
                y += LINE_HEIGHT;
            }
        } finally {
            g.dispose();
        }
        return canvas.toPage(Halftone.THRESHOLD, 144);
    }

    @Override
    public void close() {
        // nothing held but the layout
    }
}
