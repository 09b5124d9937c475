package dev.faxlan.documents.testsupport;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/** Small sample documents of every input format, generated on the fly. */
public final class Samples {

    private Samples() {
    }

    /** A photograph-like picture: gradients, circles and some text. */
    public static BufferedImage picture(int w, int h, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(30, 60, 160), w, h, new Color(250, 220, 120)));
        g.fillRect(0, 0, w, h);
        for (int i = 0; i < 6; i++) {
            g.setColor(new Color(40 * i, 255 - 30 * i, 90 + 20 * i));
            g.fillOval(i * w / 8, h / 4 + i * h / 16, w / 5, w / 5);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(Math.max(1, w / 200f)));
        g.drawRect(w / 20, h / 20, w - w / 10, h - h / 10);
        g.dispose();
        return img;
    }

    /** A PDF of {@code pages} pages of text, the first with a picture. */
    public static Path pdf(Path file, int pages, PDRectangle size) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDImageXObject pic = LosslessFactory.createFromImage(doc, picture(400, 300, BufferedImage.TYPE_INT_RGB));
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage(size);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    float top = size.getHeight() - 72;
                    cs.beginText();
                    cs.setFont(bold, 18);
                    cs.newLineAtOffset(72, top);
                    cs.showText("Quarterly report, page " + (p + 1));
                    cs.setFont(font, 10.5f);
                    cs.setLeading(14);
                    for (int l = 0; l < 40; l++) {
                        cs.newLine();
                        if (l == 0) {
                            cs.newLine();
                        }
                        cs.showText("Line " + (l + 1) + ": The quick brown fox jumps over the lazy dog 0123456789.");
                    }
                    cs.endText();
                    if (p == 0) {
                        cs.drawImage(pic, 300, 80, 240, 180);
                    }
                    cs.setLineWidth(0.5f);
                    cs.moveTo(72, 60);
                    cs.lineTo(size.getWidth() - 72, 60);
                    cs.stroke();
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    public static Path text(Path file, String text) throws IOException {
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A text of two form-feed separated pages, with a long line and tabs. */
    public static String sampleText() {
        StringBuilder sb = new StringBuilder();
        sb.append("MEMO\tto:\tall staff\n\n");
        sb.append("This is a long line that must be wrapped because it is far wider than the eighty-odd columns "
                + "of a fax page, and nothing may be clipped silently. Grüße, ¿qué tal? – € 100\n");
        for (int i = 0; i < 10; i++) {
            sb.append("item ").append(i).append("\t").append("x".repeat(i)).append('\n');
        }
        sb.append('\f');
        sb.append("Second page.\n");
        return sb.toString();
    }

    public static Path image(Path file, String format, int w, int h) throws IOException {
        int type = format.equals("png") || format.equals("gif") ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (format.equals("gif")) {
            type = BufferedImage.TYPE_BYTE_INDEXED;
        }
        BufferedImage img = picture(w, h, format.equals("gif") ? BufferedImage.TYPE_INT_RGB : type);
        if (format.equals("gif")) {
            BufferedImage idx = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED);
            Graphics2D g = idx.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
            img = idx;
        }
        if (!ImageIO.write(img, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return file;
    }

    /** A bilevel page with text and lines drawn at {@code xRes}×{@code yRes}. */
    public static BilevelPage bilevel(int w, int h, int xRes, int yRes) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(dev.faxlan.documents.render.Fonts.get(dev.faxlan.documents.render.Fonts.Family.SANS, false).deriveFont((float) Math.max(8, w / 40)));
        for (int y = h / 10; y < h; y += h / 12) {
            g.drawString("Scanned page line " + y, w / 10, y);
            g.drawLine(w / 10, y + 4, w - w / 10, y + 4);
        }
        g.dispose();
        BilevelPage p = new BilevelPage(w, h, xRes, yRes);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == 0) {
                    p.setPixel(x, y, true);
                }
            }
        }
        return p;
    }

    /** A bilevel multi-page TIFF written by our writer. */
    public static Path bilevelTiff(Path file, List<BilevelPage> pages, TiffEncoding encoding) throws IOException {
        Files.write(file, TiffWriter.toBytes(pages, TiffWriteOptions.of(encoding)));
        return file;
    }

    /** A gray two-page TIFF written by TwelveMonkeys (LZW). */
    public static Path grayTiff(Path file, int w, int h) throws IOException {
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (var out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < 2; i++) {
                BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g = gray.createGraphics();
                g.drawImage(picture(w, h, BufferedImage.TYPE_INT_RGB), 0, 0, null);
                g.dispose();
                writer.writeToSequence(new javax.imageio.IIOImage(gray, null, null), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return file;
    }

    public static List<BilevelPage> list(BilevelPage... p) {
        return new ArrayList<>(List.of(p));
    }
}
