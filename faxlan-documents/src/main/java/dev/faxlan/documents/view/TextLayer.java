package dev.faxlan.documents.view;

import dev.faxlan.documents.ocr.PageText;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;

/**
 * The invisible text of a searchable PDF page: each word in text render mode 3 (neither filled nor
 * stroked) at its box, stretched to the box's width, so a viewer's search and selection land on the
 * word in the image and pdftotext reads the words in order.
 */
final class TextLayer {
    private static final PDType1Font FONT = new PDType1Font(Standard14Fonts.FontName.HELVETICA);

    private TextLayer() {}

    /** Draws {@code text} over a page {@code w} × {@code h} points whose image fills it. */
    static void draw(PDPageContentStream cs, PageText text, float w, float h) throws IOException {
        if (text.words().isEmpty() || text.width() <= 0 || text.height() <= 0) return;
        float sx = w / text.width();
        float sy = h / text.height();
        cs.beginText();
        cs.setRenderingMode(RenderingMode.NEITHER);
        for (PageText.Word word : text.words()) {
            String s = encodable(word.text());
            if (s.isEmpty() || word.width() <= 0 || word.height() <= 0) continue;
            float size = Math.max(1f, word.height() * sy);
            float natural = FONT.getStringWidth(s) / 1000f * size;
            if (natural <= 0) continue;
            cs.setFont(FONT, size);
            cs.setHorizontalScaling(100f * word.width() * sx / natural);
            // The box's bottom as the baseline: close enough for selection, and descenders stay inside the page.
            cs.setTextMatrix(new org.apache.pdfbox.util.Matrix(1, 0, 0, 1, word.left() * sx, h - (word.top() + word.height()) * sy));
            cs.showText(s);
        }
        cs.endText();
    }

    /** The characters the standard font can encode (WinAnsi); others become '?', so one odd glyph never loses the layer. */
    private static String encodable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            try {
                FONT.encode(c);
                b.append(c);
            } catch (IOException | IllegalArgumentException e) {
                b.append('?');
            }
        });
        return b.toString();
    }
}
