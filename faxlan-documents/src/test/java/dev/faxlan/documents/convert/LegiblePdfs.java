package dev.faxlan.documents.convert;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.function.PDFunctionType2;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts.FontName;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceGray;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.graphics.shading.PDShading;
import org.apache.pdfbox.pdmodel.graphics.shading.PDShadingType2;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;

/** Test PDFs drawn with PDFBox: what office programs make of invoices, memos and pages with photographs. */
final class LegiblePdfs {

    static final String HEADER = "ACME SUPPLIES INVOICE";
    static final List<String> ROWS = List.of(
            "Item Description Quantity Price",
            "Copper cable reel 12 340.00",
            "Steel bracket pack 40 96.50",
            "Rubber gasket set 8 18.75",
            "Brass hinge pair 25 62.40",
            "Ceramic fuse box 6 71.10",
            "Plastic conduit length 30 45.90",
            "Total amount due 1,249.15");
    static final String GREY = "Payment is requested within thirty days of the invoice date.";
    static final List<String> MEMO = List.of(
            "MEMORANDUM",
            "To: all staff of the northern warehouse",
            "From: the operations manager",
            "Subject: inventory count on Friday morning",
            "Please finish picking all open orders by Thursday evening.",
            "The loading dock will be closed while the count takes place.",
            "Bring your scanner and a charged battery to the meeting point.",
            "Questions about the schedule go to the front office.");
    static final List<String> CAPTION = List.of(
            "Figure one shows the new",
            "storage hall after its",
            "renovation in the spring.",
            "The shelves hold pallets",
            "of paper and toner.");

    private static final PDType1Font REGULAR = new PDType1Font(FontName.HELVETICA);
    private static final PDType1Font BOLD = new PDType1Font(FontName.HELVETICA_BOLD);

    private LegiblePdfs() {
    }

    /** The words of the invoice page, as the generator wrote them. */
    static String invoiceText() {
        return HEADER + "\n" + String.join("\n", ROWS) + "\n" + GREY;
    }

    /**
     * An invoice: a dark header bar (20% gray) with white bold text, a table with alternating light gray
     * (88%) rows, and a line of 50% gray text: {@code rowGray} and {@code greyTextGray} give those grays.
     */
    static Path invoice(Path file, float rowGray, float greyTextGray) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.setNonStrokingColor(0.2f);
                cs.addRect(40, 740, 515, 50);
                cs.fill();
                text(cs, BOLD, 22, 1f, 56, 757, HEADER);
                float y = 690;
                for (int i = 0; i < ROWS.size(); i++) {
                    if (i % 2 == 0) {
                        cs.setNonStrokingColor(rowGray);
                        cs.addRect(40, y - 6, 515, 22);
                        cs.fill();
                    }
                    text(cs, i == 0 ? BOLD : REGULAR, 12, 0f, 56, y, ROWS.get(i));
                    y -= 22;
                }
                cs.setStrokingColor(0f);
                cs.setLineWidth(0.5f);
                cs.moveTo(40, y + 14);
                cs.lineTo(555, y + 14);
                cs.stroke();
                text(cs, REGULAR, 12, greyTextGray, 56, y - 20, GREY);
            }
            doc.save(file.toFile());
        }
        return file;
    }

    static String memoText() {
        return String.join("\n", MEMO);
    }

    /** A plain memo: black text on white. */
    static Path memo(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                float y = 760;
                for (int i = 0; i < MEMO.size(); i++) {
                    text(cs, i == 0 ? BOLD : REGULAR, i == 0 ? 18 : 12, 0f, 60, y, MEMO.get(i));
                    y -= i == 0 ? 36 : 22;
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** Where the photograph of {@link #photo} lies on its page, in points from the bottom left. */
    static final PDRectangle PHOTO_BOX = new PDRectangle(60, 520, 260, 260);

    static String captionText() {
        return String.join("\n", CAPTION);
    }

    /** A page with a photograph-like image (smooth shades of gray) and a caption beside it. */
    static Path photo(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDImageXObject image = LosslessFactory.createFromImage(doc, shades(400, 400));
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.drawImage(image, PHOTO_BOX.getLowerLeftX(), PHOTO_BOX.getLowerLeftY(),
                        PHOTO_BOX.getWidth(), PHOTO_BOX.getHeight());
                float y = 760;
                for (String line : CAPTION) {
                    text(cs, REGULAR, 13, 0f, 340, y, line);
                    y -= 22;
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** A page whose only text is invisible (rendering mode 3), as in the OCR layer of a searchable PDF. */
    static Path invisibleText(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.beginText();
                cs.setRenderingMode(RenderingMode.NEITHER);
                cs.setFont(REGULAR, 14);
                cs.newLineAtOffset(60, 700);
                cs.showText("This words layer is for search only");
                cs.endText();
            }
            doc.save(file.toFile());
        }
        return file;
    }

    static final PDRectangle GREY_BOX = new PDRectangle(60, 600, 200, 100);
    static final PDRectangle GRADIENT = new PDRectangle(300, 600, 200, 100);
    /** A 0.75 pt rule of 50% gray along y = 550 from x = 60 to 400. */
    static final PDRectangle RULE = new PDRectangle(60, 549, 340, 2);

    /**
     * Shapes without text: a large 60% gray box, a gradient painted with the sh operator beside it, and
     * a thin 50% gray rule below.
     */
    static Path shapes(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.setNonStrokingColor(0.6f);
                cs.addRect(GREY_BOX.getLowerLeftX(), GREY_BOX.getLowerLeftY(), GREY_BOX.getWidth(),
                        GREY_BOX.getHeight());
                cs.fill();
                cs.saveGraphicsState();
                cs.addRect(GRADIENT.getLowerLeftX(), GRADIENT.getLowerLeftY(), GRADIENT.getWidth(),
                        GRADIENT.getHeight());
                cs.clip();
                cs.shadingFill(axial(GRADIENT));
                cs.restoreGraphicsState();
                cs.setStrokingColor(0.5f);
                cs.setLineWidth(0.75f);
                cs.moveTo(RULE.getLowerLeftX(), 550);
                cs.lineTo(RULE.getUpperRightX(), 550);
                cs.stroke();
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** A gray gradient from 25% to 75% across {@code box}. */
    private static PDShadingType2 axial(PDRectangle box) {
        COSDictionary fn = new COSDictionary();
        fn.setInt(COSName.FUNCTION_TYPE, 2);
        fn.setItem(COSName.DOMAIN, numbers(0, 1));
        fn.setItem(COSName.C0, numbers(0.25f));
        fn.setItem(COSName.C1, numbers(0.75f));
        fn.setInt(COSName.N, 1);
        PDShadingType2 shading = new PDShadingType2(new COSDictionary());
        shading.setShadingType(PDShading.SHADING_TYPE2);
        shading.setColorSpace(PDDeviceGray.INSTANCE);
        shading.setCoords(numbers(box.getLowerLeftX(), box.getLowerLeftY(), box.getUpperRightX(),
                box.getLowerLeftY()));
        shading.setFunction(new PDFunctionType2(fn));
        return shading;
    }

    private static COSArray numbers(float... values) {
        COSArray a = new COSArray();
        a.setFloatArray(values);
        return a;
    }

    static final PDRectangle DARK_BOX = new PDRectangle(40, 500, 515, 40);

    /**
     * White text on white paper at the top (hidden, as in the source), and black text on a dark (30%)
     * box that the fax draws black.
     */
    static Path contrasts(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                text(cs, BOLD, 18, 1f, 60, 700, "Hidden white words");
                cs.setNonStrokingColor(0.3f);
                cs.addRect(DARK_BOX.getLowerLeftX(), DARK_BOX.getLowerLeftY(), DARK_BOX.getWidth(),
                        DARK_BOX.getHeight());
                cs.fill();
                text(cs, BOLD, 18, 0f, 60, 512, "Black words on a dark box");
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /**
     * Light gray (85%) text inside a transparency group over a dark box ({@link #DARK_BOX}, 30% gray), as
     * office programs export text in shapes with transparency.
     */
    static Path groupedText(Path file) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDAppearanceStream group = new PDAppearanceStream(doc);
            group.setBBox(DARK_BOX);
            group.setResources(new PDResources());
            COSDictionary attributes = new COSDictionary();
            attributes.setItem(COSName.S, COSName.TRANSPARENCY);
            group.getCOSObject().setItem(COSName.GROUP, attributes);
            try (PDPageContentStream gs = new PDPageContentStream(doc, group)) {
                text(gs, BOLD, 18, 0.85f, 60, 512, "Light words in a group");
            }
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                cs.setNonStrokingColor(0.3f);
                cs.addRect(DARK_BOX.getLowerLeftX(), DARK_BOX.getLowerLeftY(), DARK_BOX.getWidth(),
                        DARK_BOX.getHeight());
                cs.fill();
                cs.drawForm(group);
            }
            doc.save(file.toFile());
        }
        return file;
    }

    /** Soft gradients and blobs in mid grays, no pure black or white: what a photograph is to a fax. */
    static BufferedImage shades(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double v = 0.5 + 0.25 * Math.sin(x / 37.0) * Math.cos(y / 53.0) + 0.15 * ((double) y / h - 0.5);
                img.getRaster().setSample(x, y, 0, (int) Math.round(255 * Math.max(0.15, Math.min(0.85, v))));
            }
        }
        return img;
    }

    private static void text(PDPageContentStream cs, PDType1Font font, float size, float gray, float x, float y,
            String s) throws IOException {
        cs.setNonStrokingColor(gray);
        cs.beginText();
        cs.setFont(font, size);
        cs.newLineAtOffset(x, y);
        cs.showText(s);
        cs.endText();
    }
}
