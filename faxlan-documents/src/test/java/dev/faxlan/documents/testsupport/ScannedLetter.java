package dev.faxlan.documents.testsupport;

import dev.faxlan.documents.render.Fonts;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * A scanned letter, made deterministically the way a cheap scanner or a phone makes one: a page of known
 * text rendered at {@value #DPI} dpi, then put on grey paper (0.87 white) under uneven light (a gradient
 * across the page), with sensor noise, turned by 0.7 degrees, and saved as JPEG at quality 0.6.
 */
public final class ScannedLetter {

    public static final int DPI = 300;
    /** A4 at {@value #DPI} dpi. */
    public static final int WIDTH = 2480;
    public static final int HEIGHT = 3508;

    public static final String TEXT = """
            Dear Mrs Holloway,
            Thank you for your letter of the fourth of March about the delivery of the
            garden furniture to your house in Elm Street. We are sorry that the table
            arrived with a broken leg and that two of the chairs were missing.
            Our driver has confirmed that the parcel was damaged during transport, and
            we have arranged for a replacement table and the missing chairs to be sent
            to you next Tuesday morning. There is no charge for this second delivery.
            If nobody is at home, the driver will leave a card with a telephone number
            so that you can choose another day. Please keep the broken table until then;
            our driver will collect it when he brings the new one.
            We would also like to offer you a voucher for twenty pounds, which you may
            use for any order in our shop or on our website before the end of the year.
            Once again, please accept our apologies for the trouble this has caused.
            Yours sincerely,
            Margaret Dawson
            Customer Service Manager
            """;

    private ScannedLetter() {
    }

    /** The clean page: black text on white, {@value #DPI} dpi, and where the text block lies (pixels). */
    public record Page(BufferedImage image, Rectangle textBlock) {
    }

    /** Renders {@link #TEXT} (12 pt serif, 1-inch margins) on white. */
    public static Page clean() {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        Font font = Fonts.get(Fonts.Family.SERIF, false).deriveFont(12f * DPI / 72);
        g.setFont(font);
        g.setColor(new Color(25, 25, 25));
        FontMetrics fm = g.getFontMetrics();
        int left = DPI;
        int y = DPI + fm.getAscent();
        int right = left;
        List<String> lines = TEXT.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            g.drawString(lines.get(i), left, y);
            right = Math.max(right, left + fm.stringWidth(lines.get(i)));
            // A blank line after the greeting and before the closing, as letters have.
            y += fm.getHeight() * (i == 0 || i == lines.size() - 4 ? 2 : 1);
        }
        g.dispose();
        return new Page(img, new Rectangle(left, DPI, right - left, y - DPI));
    }

    /** {@code page} degraded as a scan, decoded back from its JPEG (RGB, as scanners write it). */
    public static BufferedImage scan(BufferedImage page, long seed) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(scanJpeg(page, seed)));
    }

    /** The JPEG file of {@code page} degraded as a scan. */
    public static byte[] scanJpeg(BufferedImage page, long seed) throws IOException {
        int w = page.getWidth();
        int h = page.getHeight();
        // Turned slightly about the centre, on white, as a page laid askew on the glass.
        BufferedImage turned = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = turned.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.rotate(Math.toRadians(0.7), w / 2.0, h / 2.0);
        g.drawImage(page, 0, 0, null);
        g.dispose();
        // Light: grey paper, brighter at the top left than at the bottom right (0.93 to 0.80).
        BufferedImage light = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D lg = light.createGraphics();
        lg.setPaint(new GradientPaint(0, 0, gray(0.93), w, h, gray(0.80)));
        lg.fillRect(0, 0, w, h);
        lg.dispose();
        byte[] px = ((DataBufferByte) turned.getRaster().getDataBuffer()).getData();
        byte[] lx = ((DataBufferByte) light.getRaster().getDataBuffer()).getData();
        Random noise = new Random(seed);
        BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                double v = (px[i] & 0xFF) * (lx[i] & 0xFF) / 255.0 + noise.nextGaussian() * 8;
                int c = (int) Math.max(0, Math.min(255, Math.round(v)));
                // Slightly warm paper, as most scanners see it.
                row[x] = Math.min(255, c + 4) << 16 | c << 8 | Math.max(0, c - 6);
            }
            rgb.setRGB(0, y, w, 1, row, 0, w);
        }
        return jpeg(rgb, 0.6f);
    }

    private static Color gray(double white) {
        int v = (int) Math.round(white * 255);
        return new Color(v, v, v);
    }

    public static byte[] jpeg(BufferedImage img, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
