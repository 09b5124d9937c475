package dev.faxlan.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class OcrTest {

    @Test
    void recallCountsEachExpectedWordOnceIgnoringCaseAndPunctuation() {
        assertEquals(1.0, Ocr.recall("Invoice No. 42, Müller", "invoice no 42 MÜLLER"));
        assertEquals(0.5, Ocr.recall("the the cat sat", "the cat"));
        assertEquals(0.0, Ocr.recall("nothing here", ""));
        assertEquals(1.0, Ocr.recall("", "anything"));
    }

    @Test
    void tesseractReadsARenderedLine() throws Exception {
        BufferedImage page = new BufferedImage(1200, 200, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = page.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1200, 200);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 48));
        g.drawString("Quarterly invoice for Acme", 40, 120);
        g.dispose();
        assertEquals(1.0, Ocr.recall("Quarterly invoice for Acme", Ocr.read(page, 200)));
    }
}
