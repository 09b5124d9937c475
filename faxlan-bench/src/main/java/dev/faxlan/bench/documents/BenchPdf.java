package dev.faxlan.bench.documents;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * The benchmark document: 20 A4 pages of business text (a heading, 48 lines of 10 pt Times,
 * a rule), a photograph-like JPEG picture on every fifth page. Deterministic.
 */
public final class BenchPdf {

    public static final int PAGES = 20;

    private BenchPdf() {
    }

    public static Path write(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font body = new PDType1Font(Standard14Fonts.FontName.TIMES_ROMAN);
            PDType1Font head = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDImageXObject pic = JPEGFactory.createFromImage(doc, picture(900, 600), 0.85f);
            String[] words = ("the committee reviewed the quarterly figures and agreed that shipping volumes "
                    + "exceeded the forecast by a small margin while costs remained within budget for all regions "
                    + "except the north where fuel prices rose sharply during the second month").split(" ");
            int w = 0;
            for (int p = 0; p < PAGES; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(head, 16);
                    cs.newLineAtOffset(72, 770);
                    cs.showText("Minutes of the board meeting, section " + (p + 1));
                    cs.setFont(body, 10);
                    cs.setLeading(13);
                    cs.newLine();
                    cs.newLine();
                    int lines = p % 5 == 0 ? 26 : 52;
                    for (int l = 0; l < lines; l++) {
                        StringBuilder sb = new StringBuilder();
                        while (sb.length() < 95) {
                            sb.append(words[w++ % words.length]).append(' ');
                        }
                        cs.showText(sb.toString().strip());
                        cs.newLine();
                    }
                    cs.endText();
                    if (p % 5 == 0) {
                        cs.drawImage(pic, 72, 90, 450, 300);
                    }
                    cs.setLineWidth(0.6f);
                    cs.moveTo(72, 60);
                    cs.lineTo(523, 60);
                    cs.stroke();
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    private static BufferedImage picture(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(20, 40, 120), w, h, new Color(240, 210, 150)));
        g.fillRect(0, 0, w, h);
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256), 160));
            int d = 30 + r.nextInt(150);
            g.fillOval(r.nextInt(w), r.nextInt(h), d, d);
        }
        g.dispose();
        return img;
    }
}
