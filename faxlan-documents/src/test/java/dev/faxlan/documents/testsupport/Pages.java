package dev.faxlan.documents.testsupport;

import dev.faxlan.documents.view.FaxViewer;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Helpers for looking at pages in tests. */
public final class Pages {

    private Pages() {
    }

    /** Share of black pels, 0..1. */
    public static double blackFraction(BilevelPage p) {
        long black = 0;
        byte[] b = p.buffer();
        for (int i = 0, n = p.bytesPerRow() * p.height(); i < n; i++) {
            black += Integer.bitCount(b[i] & 0xFF);
        }
        return (double) black / ((long) p.width() * p.height());
    }

    /** Black pels in a rectangle of the page. */
    public static long black(BilevelPage p, int x0, int y0, int x1, int y1) {
        long n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if (p.isBlack(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Writes the page as a PNG with square-ish pels, for a person to look at. */
    public static void writePng(BilevelPage fax, Path out) throws IOException {
        BilevelPage p = FaxViewer.squarePels(fax);
        BufferedImage img = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_BYTE_BINARY);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (byte) ~p.buffer()[i];
        }
        ImageIO.write(img, "png", out.toFile());
    }
}
