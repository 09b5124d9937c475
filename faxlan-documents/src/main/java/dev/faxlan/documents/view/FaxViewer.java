package dev.faxlan.documents.view;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.PartFiles;
import dev.faxlan.documents.DocumentException.Reason;
import dev.faxlan.documents.ocr.PageText;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.T4Encoder;
import dev.faxlan.engine.tiff.TiffFormatException;
import dev.faxlan.engine.tiff.TiffReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceGray;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Makes received faxes viewable: TIFF Class F (any bilevel TIFF) to PDF or PNG.
 *
 * <p>PDF: one page per fax page, sized from the page's own resolution (a standard-resolution
 * page is 1728/204 × rows/98 inches, so it has the right aspect ratio), with the pels embedded
 * as a CCITT G4 image (the {@code CCITTFaxDecode} filter): about the size of the TIFF.
 *
 * <p>PNG: one bilevel PNG per page. Fax pels are not square, so rows are repeated or merged to
 * make them square enough for viewers that ignore the pHYs chunk: standard pages get each row
 * twice (204×196 dpi), superfine pages have row pairs OR-ed (204×195.5 dpi), fine pages are
 * kept. pHYs records the resulting resolution.
 */
public final class FaxViewer {

    private FaxViewer() {
    }

    /** Writes {@code tiff} as a PDF to {@code out}, through a temporary file; returns the page count. */
    public static int toPdf(Path tiff, Path out) throws IOException {
        return toPdf(tiff, out, List.of());
    }

    /**
     * As {@link #toPdf(Path, Path)}, with each page's words (an entry per page, from page 1; null or
     * missing for none) as an invisible text layer: a searchable PDF.
     */
    public static int toPdf(Path tiff, Path out, List<PageText> text) throws IOException {
        Path tmp = PartFiles.beside(out, ".pdf.part");
        try {
            int n;
            try (OutputStream os = Files.newOutputStream(tmp)) {
                n = toPdf(tiff, os, text);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return n;
        } finally {
            PartFiles.release(tmp);
        }
    }

    /** Writes {@code tiff} as a PDF to {@code out} (not closed); returns the page count. */
    public static int toPdf(Path tiff, OutputStream out) throws IOException {
        return toPdf(tiff, out, List.of());
    }

    /** Writes {@code tiff} as a PDF with {@code text} as its invisible text layer (see {@link #toPdf(Path, Path, List)}). */
    public static int toPdf(Path tiff, OutputStream out, List<PageText> text) throws IOException {
        try (TiffReader r = open(tiff); PDDocument doc = new PDDocument()) {
            for (int i = 0; i < r.pageCount(); i++) {
                BilevelPage p = readPage(r, tiff, i);
                float w = p.width() * 72f / p.xRes();
                float h = p.height() * 72f / p.yRes();
                PDPage page = new PDPage(new PDRectangle(w, h));
                doc.addPage(page);
                PDImageXObject img = g4Image(doc, p);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.drawImage(img, 0, 0, w, h);
                    if (i < text.size() && text.get(i) != null) TextLayer.draw(cs, text.get(i), w, h);
                }
            }
            doc.getDocumentInformation().setProducer("faxlan");
            doc.save(out);
            return r.pageCount();
        }
    }

    /** The page as a G4 image XObject; BlackIs1 stays false: the decoder emits 0 (DeviceGray black) for black runs. */
    static PDImageXObject g4Image(PDDocument doc, BilevelPage p) throws IOException {
        byte[] g4 = T4Encoder.encode(p, CodecOptions.mmr());
        PDImageXObject img = new PDImageXObject(doc, new ByteArrayInputStream(g4), COSName.CCITTFAX_DECODE,
                p.width(), p.height(), 1, PDDeviceGray.INSTANCE);
        COSDictionary parms = new COSDictionary();
        parms.setInt(COSName.K, -1);
        parms.setInt(COSName.COLUMNS, p.width());
        parms.setInt(COSName.ROWS, p.height());
        img.getCOSObject().setItem(COSName.DECODE_PARMS, parms);
        return img;
    }

    /**
     * Writes PNGs of {@code tiff}: page {@code page} (1-based) to {@code out}, or, if {@code page}
     * is 0, every page, to {@code out} itself for a one-page fax and otherwise to
     * {@code name-1.png}, {@code name-2.png}, ... next to it. Returns the files written.
     */
    public static List<Path> toPng(Path tiff, Path out, int page) throws IOException {
        List<Path> written = new ArrayList<>();
        try (TiffReader r = open(tiff)) {
            if (page < 0 || page > r.pageCount()) {
                throw new DocumentException(Reason.NO_PAGES, tiff.getFileName() + " has " + r.pageCount()
                        + " page" + (r.pageCount() == 1 ? "" : "s") + "; there is no page " + page);
            }
            if (page > 0 || r.pageCount() == 1) {
                int i = page > 0 ? page - 1 : 0;
                writePng(readPage(r, tiff, i), out);
                written.add(out);
            } else {
                String file = out.getFileName().toString();
                String base = file.toLowerCase(java.util.Locale.ROOT).endsWith(".png")
                        ? file.substring(0, file.length() - 4) : file;
                for (int i = 0; i < r.pageCount(); i++) {
                    Path p = out.resolveSibling(base + "-" + (i + 1) + ".png");
                    writePng(readPage(r, tiff, i), p);
                    written.add(p);
                }
            }
        }
        return written;
    }

    /** The page with roughly square pels (see the class comment). */
    public static BilevelPage squarePels(BilevelPage p) {
        double ratio = (double) p.xRes() / p.yRes();
        if (ratio > 1.5) {
            int k = (int) Math.round(ratio);
            int h = Math.min(BilevelPage.MAX_HEIGHT, p.height() * k);
            BilevelPage out = new BilevelPage(p.width(), h, p.xRes(), p.yRes() * k);
            for (int y = 0; y < h; y++) {
                System.arraycopy(p.buffer(), (y / k) * p.bytesPerRow(), out.buffer(), y * out.bytesPerRow(),
                        p.bytesPerRow());
            }
            return out;
        }
        if (ratio < 1 / 1.5) {
            int k = (int) Math.round(1 / ratio);
            int h = Math.max(1, (p.height() + k - 1) / k);
            BilevelPage out = new BilevelPage(p.width(), h, p.xRes(), Math.max(1, p.yRes() / k));
            byte[] o = out.buffer();
            for (int y = 0; y < p.height(); y++) {
                int s = y * p.bytesPerRow();
                int d = (y / k) * p.bytesPerRow();
                for (int i = 0; i < p.bytesPerRow(); i++) {
                    o[d + i] |= p.buffer()[s + i];
                }
            }
            return out;
        }
        return p;
    }

    /**
     * A small picture of a fax page: a grayscale PNG {@code width} pixels across, pels made square
     * first, each pixel as dark as the share of black pels it covers (area averaging, so thin lines
     * stay visible as gray). The height follows from the page's aspect.
     */
    public static byte[] thumbnail(BilevelPage fax, int width) throws IOException {
        BilevelPage p = squarePels(fax);
        int w = Math.max(1, Math.min(width, p.width()));
        int h = Math.max(1, (int) Math.round((double) p.height() * w / p.width()));
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] dst = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int ty = 0; ty < h; ty++) {
            int y0 = (int) ((long) ty * p.height() / h);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * p.height() / h));
            for (int tx = 0; tx < w; tx++) {
                int x0 = (int) ((long) tx * p.width() / w);
                int x1 = Math.max(x0 + 1, (int) ((long) (tx + 1) * p.width() / w));
                int black = 0;
                for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) if (p.isBlack(x, y)) black++;
                dst[ty * w + tx] = (byte) (255 - 255 * black / ((y1 - y0) * (x1 - x0)));
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** One fax page as a PNG with roughly square pels (a cover page preview, for instance). */
    public static void toPng(BilevelPage fax, Path out) throws IOException {
        writePng(fax, out);
    }

    private static void writePng(BilevelPage fax, Path out) throws IOException {
        BilevelPage p = squarePels(fax);
        // PNG gray 1-bit is 0 = black; our pages are 1 = black: invert into a copy.
        BufferedImage img = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_BYTE_BINARY);
        byte[] dst = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        byte[] src = p.buffer();
        for (int i = 0, n = p.bytesPerRow() * p.height(); i < n; i++) {
            dst[i] = (byte) ~src[i];
        }
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        Path tmp = PartFiles.beside(out, ".png.part");
        try {
            try (ImageOutputStream ios = ImageIO.createImageOutputStream(tmp.toFile())) {
                w.setOutput(ios);
                IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
                IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
                IIOMetadataNode phys = new IIOMetadataNode("pHYs");
                phys.setAttribute("pixelsPerUnitXAxis", Integer.toString((int) Math.round(p.xRes() / 0.0254)));
                phys.setAttribute("pixelsPerUnitYAxis", Integer.toString((int) Math.round(p.yRes() / 0.0254)));
                phys.setAttribute("unitSpecifier", "meter");
                root.appendChild(phys);
                meta.mergeTree("javax_imageio_png_1.0", root);
                w.write(null, new IIOImage(img, null, meta), null);
            } finally {
                w.dispose();
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            PartFiles.release(tmp);
        }
    }

    private static TiffReader open(Path tiff) throws IOException {
        try {
            return TiffReader.open(tiff);
        } catch (NoSuchFileException e) {
            throw new DocumentException(Reason.IO, tiff + ": no such file", e);
        } catch (TiffFormatException e) {
            Reason reason = Files.size(tiff) == 0 ? Reason.EMPTY : Reason.DAMAGED;
            throw new DocumentException(reason, tiff.getFileName() + ": not a fax TIFF: " + e.getMessage(), e);
        }
    }

    private static BilevelPage readPage(TiffReader r, Path tiff, int i) throws IOException {
        try {
            return r.readPage(i).page();
        } catch (TiffFormatException e) {
            throw new DocumentException(Reason.DAMAGED, tiff.getFileName() + ": " + e.getMessage(), e);
        }
    }
}
