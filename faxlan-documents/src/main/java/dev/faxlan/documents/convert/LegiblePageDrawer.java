package dev.faxlan.documents.convert;

import dev.faxlan.documents.render.FaxCanvas;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.PaintContext;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Transparency;
import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType3Font;
import org.apache.pdfbox.pdmodel.font.PDVectorFont;
import org.apache.pdfbox.pdmodel.graphics.color.PDColor;
import org.apache.pdfbox.pdmodel.graphics.color.PDPattern;
import org.apache.pdfbox.pdmodel.graphics.form.PDTransparencyGroup;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.state.PDGraphicsState;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.rendering.PageDrawer;
import org.apache.pdfbox.rendering.PageDrawerParameters;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;

/**
 * PDFBox's page drawer, drawing for legibility on a fax page rather than for likeness on a screen. PDFBox
 * tells it what is text, what is a path and what is an image, so nothing has to be guessed from pels:
 * <ul>
 * <li>text is solid black, or solid white where what is already under the glyph is dark (white on a dark
 * header); its gray level does not matter, so grey text is not dotted; invisible text (rendering mode 3,
 * the OCR layer of searchable PDFs) stays invisible;
 * <li>fills: dark ones black, light ones (tints behind text) white, large mid-grey ones a sparse dot
 * pattern that does not cut through glyphs, small mid-grey ones (rules, outlined text) black; strokes black
 * unless light;
 * <li>images, shadings and pattern fills are drawn as PDFBox draws them and their area is marked
 * {@linkplain FaxCanvas#markPicture as a picture}, so that {@link FaxCanvas#toLegiblePage} halftones them.
 * </ul>
 * Everything outside pictures is pure black and white (gray 0 and 255), which any threshold keeps.
 */
class LegiblePageDrawer extends PageDrawer {

    /** Fills and strokes darker than this (luminance, 0 black to 1 white) are black. */
    static final float DARK = 0.45f;
    /** Fills and strokes at least this light are white: the tints of table rows and boxes behind text. */
    static final float LIGHT = 0.8f;
    /** A mid-grey fill at least this wide and tall (inches) is a shaded area, drawn as a dot pattern. */
    private static final double SHADED_RECTANGLE = 0.08;
    /** The same for fills of any shape (pie slices, blobs); smaller curved ones are glyphs, drawn black. */
    private static final double SHADED_SHAPE = 0.4;
    /** Text at least this light on an area this light was hidden in the source (white on white). */
    private static final float WHITE_TEXT = 0.97f;
    private static final int WHITE_AREA = 250;

    /** What PDFBox is painting now, which decides the colour {@link #getPaint} gives it. */
    private enum Drawing { OTHER, TEXT, FILL, STROKE, STENCIL }

    private static final java.lang.invoke.VarHandle EIGHT =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private final FaxCanvas canvas;
    /** Glyphs drawn before, to stamp; null to fill every glyph's outline. */
    private final GlyphStamps stamps;
    /** Open marked-content sequences since one that may be optional content (0: none). */
    private int optionalContent;
    /** The clipping paths {@link #clipPels} was made for. */
    private Object clipOf;
    private Rectangle clipPels;
    private final Paint shaded;
    /** The canvas's graphics; while PDFBox draws a transparency group, it draws into another. */
    private Graphics2D onCanvas;
    private Drawing drawing = Drawing.OTHER;
    private Paint textPaint = Color.BLACK;
    private Paint fillPaint = Color.BLACK;
    /** A picture was drawn inside the transparency group being drawn (its area is marked when it lands). */
    private boolean pictureInGroup;

    LegiblePageDrawer(PageDrawerParameters parameters, FaxCanvas canvas) throws IOException {
        this(parameters, canvas, null);
    }

    /** @param stamps a cache of glyphs kept from page to page of the document, or null */
    LegiblePageDrawer(PageDrawerParameters parameters, FaxCanvas canvas, GlyphStamps stamps) throws IOException {
        super(parameters);
        this.canvas = canvas;
        this.stamps = stamps;
        int across = 4;
        int down = Math.max(1, (int) Math.round(4.0 * canvas.format().yDpi() / canvas.format().xDpi()));
        this.shaded = new DotPattern(across, down);
    }

    @Override
    public void drawPage(Graphics2D g, PDRectangle pageSize) throws IOException {
        onCanvas = g;
        super.drawPage(g, pageSize);
    }

    // ---- text

    @Override
    protected void showFontGlyph(Matrix trm, PDFont font, int code, Vector displacement) throws IOException {
        drawText(trm, displacement, () -> {
            if (!stamped(trm, font, code, displacement)) {
                super.showFontGlyph(trm, font, code, displacement);
            }
        });
    }

    /**
     * Draws a glyph from {@link #stamps} where that gives what PDFBox's outline fill would (to the stamp's
     * fraction of a pel): a plain fill in opaque black or white, straight onto the canvas, inside a rectangular
     * clip, outside optional content (which PDFBox may hide). False, having drawn nothing, otherwise.
     */
    private boolean stamped(Matrix trm, PDFont font, int code, Vector displacement) throws IOException {
        if (stamps == null || getGraphics() != onCanvas || optionalContent > 0
                || !(font instanceof PDVectorFont vector)) {
            return false;
        }
        PDGraphicsState state = getGraphicsState();
        if (state.getTextState().getRenderingMode() != RenderingMode.FILL || state.getSoftMask() != null
                || !(state.getNonStrokingJavaComposite() instanceof AlphaComposite ac)
                || ac.getRule() != AlphaComposite.SRC_OVER || ac.getAlpha() != 1f) {
            return false;
        }
        byte value;
        if (textPaint == Color.BLACK) {
            value = 0;
        } else if (textPaint == Color.WHITE) {
            value = (byte) 0xFF;
        } else {
            return false;
        }
        Rectangle clip = clipInPels();
        if (clip == null) {
            return false;
        }
        // The glyph's transform as PDFBox's PageDrawer makes it, stretched like it for a substituted font.
        AffineTransform at = trm.createAffineTransform();
        at.concatenate(font.getFontMatrix().createAffineTransform());
        if (!font.isEmbedded() && !font.isVertical() && !font.isStandard14() && font.hasExplicitWidth(code)) {
            float fontWidth = font.getWidthFromFont(code);
            if (displacement.getX() > 0 && fontWidth > 0 && Math.abs(fontWidth - displacement.getX() * 1000) > 0.0001) {
                float pdfWidth = displacement.getX() * 1000;
                at.scale(pdfWidth / fontWidth, 1);
            }
        }
        AffineTransform toPels = getGraphics().getTransform();
        toPels.concatenate(at);
        java.awt.image.BufferedImage img = canvas.image();
        return stamps.stamp(vector, code, toPels, getGraphics().getRenderingHints(), value, clip,
                ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), img.getWidth());
    }

    /**
     * The clip glyphs are drawn in, as pels surely inside it (a pel's margin off its edges, where Java2D's
     * rounding decides); null when it is not one rectangle. Recomputed when PDFBox's clipping paths change.
     */
    private Rectangle clipInPels() {
        setClip(); // the graphics state's clip onto the graphics, as PDFBox does before it fills a glyph
        Object paths = getGraphicsState().getCurrentClippingPaths();
        if (paths != clipOf) {
            clipOf = paths;
            clipPels = null;
            java.awt.geom.Area area = getGraphicsState().getCurrentClippingPath();
            AffineTransform g = getGraphics().getTransform();
            boolean rectilinear = (g.getShearX() == 0 && g.getShearY() == 0) || (g.getScaleX() == 0 && g.getScaleY() == 0);
            if (area.isRectangular() && rectilinear) {
                Rectangle2D box = g.createTransformedShape(area.getBounds2D()).getBounds2D();
                java.awt.image.BufferedImage img = canvas.image();
                int x0 = Math.max(0, (int) Math.ceil(box.getMinX() - 0.5) + 1);
                int y0 = Math.max(0, (int) Math.ceil(box.getMinY() - 0.5) + 1);
                int x1 = Math.min(img.getWidth(), (int) Math.ceil(box.getMaxX() - 0.5) - 1);
                int y1 = Math.min(img.getHeight(), (int) Math.ceil(box.getMaxY() - 0.5) - 1);
                clipPels = new Rectangle(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
            }
        }
        return clipPels;
    }

    // Optional content (layers) PDFBox may hide: its glyphs are left to PDFBox. A count of the marked-content
    // sequences open since the first such one.
    @Override
    public void beginMarkedContentSequence(COSName tag, org.apache.pdfbox.cos.COSDictionary properties) {
        if (optionalContent > 0 || (properties != null && (COSName.OCG.equals(properties.getCOSName(COSName.TYPE))
                || COSName.OCMD.equals(properties.getCOSName(COSName.TYPE)) || COSName.OC.equals(tag)))) {
            optionalContent++;
        }
        super.beginMarkedContentSequence(tag, properties);
    }

    @Override
    public void endMarkedContentSequence() {
        if (optionalContent > 0) {
            optionalContent--;
        }
        super.endMarkedContentSequence();
    }

    @Override
    protected void showType3Glyph(Matrix trm, PDType3Font font, int code, Vector displacement) throws IOException {
        drawText(trm, displacement, () -> super.showType3Glyph(trm, font, code, displacement));
    }

    private interface Draw {
        void run() throws IOException;
    }

    private void drawText(Matrix trm, Vector displacement, Draw glyph) throws IOException {
        PDGraphicsState state = getGraphicsState();
        RenderingMode mode = state.getTextState().getRenderingMode();
        if (drawing == Drawing.TEXT || (!mode.isFill() && !mode.isStroke())) {
            glyph.run(); // a glyph inside a Type 3 glyph, or clipping or invisible text: nothing of ours to decide
            return;
        }
        // The glyph's cell: its advance across, descender to ascender up, in glyph space (1 = the font size).
        Rectangle under = cellInPels(trm.createAffineTransform(), Math.max(displacement.getX(), 0.3));
        float luminance = luminance(state.getNonStrokingColor());
        // Inside a transparency group the page under the glyph cannot be seen: light text is taken to be
        // meant for a dark background, and the rest for paper.
        int behind = getGraphics() == onCanvas ? behind(under) : luminance >= LIGHT ? 0 : 255;
        textPaint = textPaint(luminance, behind);
        // Solid means opaque too: half-transparent black would come out as a gray the threshold drops.
        double fillAlpha = state.getNonStrokeAlphaConstant();
        double strokeAlpha = state.getAlphaConstant();
        state.setNonStrokeAlphaConstant(1);
        state.setAlphaConstant(1);
        Drawing was = drawing;
        drawing = Drawing.TEXT;
        try {
            glyph.run();
        } finally {
            drawing = was;
            state.setNonStrokeAlphaConstant(fillAlpha);
            state.setAlphaConstant(strokeAlpha);
        }
    }

    /** Black on light, white on dark; white text on white paper stays as hidden as the source has it. */
    static Paint textPaint(float textLuminance, int behind) {
        if (behind < 128) {
            return Color.WHITE;
        }
        return textLuminance >= WHITE_TEXT && behind >= WHITE_AREA ? Color.WHITE : Color.BLACK;
    }

    /**
     * The bounds in canvas pels of a glyph's cell, {@code advance} wide from descender (-0.2) to ascender (0.8)
     * in glyph space: its corners taken through the glyph's and the graphics' transforms, as
     * {@link #toDevice} of the transformed cell would give them, without making two paths per glyph.
     */
    private Rectangle cellInPels(AffineTransform glyph, double advance) {
        double[] c = corners;
        double bottom = -0.2;
        double top = bottom + 1.0; // as a rectangle's path computes its corner
        c[0] = 0;
        c[1] = bottom;
        c[2] = advance;
        c[3] = bottom;
        c[4] = advance;
        c[5] = top;
        c[6] = 0;
        c[7] = top;
        glyph.transform(c, 0, c, 0, 4);
        getGraphics().getTransform().transform(c, 0, c, 0, 4);
        double minX = Math.min(Math.min(c[0], c[2]), Math.min(c[4], c[6]));
        double maxX = Math.max(Math.max(c[0], c[2]), Math.max(c[4], c[6]));
        double minY = Math.min(Math.min(c[1], c[3]), Math.min(c[5], c[7]));
        double maxY = Math.max(Math.max(c[1], c[3]), Math.max(c[5], c[7]));
        return new Rectangle2D.Double(minX, minY, maxX - minX, maxY - minY).getBounds();
    }

    private final double[] corners = new double[8];

    /** Mean gray of the canvas in {@code r} (pels), what was drawn there so far; white off the page. */
    private int behind(Rectangle r) {
        java.awt.image.BufferedImage img = canvas.image();
        Rectangle in = r.intersection(new Rectangle(0, 0, img.getWidth(), img.getHeight()));
        if (in.isEmpty()) {
            return 255;
        }
        byte[] px = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        int w = img.getWidth();
        // Big glyphs: every other row and column is enough for a mean.
        int step = (long) in.width * in.height > 4096 ? 2 : 1;
        long sum = 0;
        long n = 0;
        if (step == 1) {
            // Eight white pels (the usual case under text) at a time.
            int whole = in.width & ~7;
            for (int y = in.y; y < in.y + in.height; y++) {
                int o = y * w + in.x;
                int x = 0;
                for (; x < whole; x += 8, o += 8) {
                    if ((long) EIGHT.get(px, o) == -1L) {
                        sum += 8 * 255;
                    } else {
                        for (int k = 0; k < 8; k++) {
                            sum += px[o + k] & 0xFF;
                        }
                    }
                }
                for (; x < in.width; x++, o++) {
                    sum += px[o] & 0xFF;
                }
            }
            n = (long) in.width * in.height;
        } else {
            for (int y = in.y; y < in.y + in.height; y += step) {
                for (int x = in.x, o = y * w + x; x < in.x + in.width; x += step, o += step) {
                    sum += px[o] & 0xFF;
                    n++;
                }
            }
        }
        return (int) (sum / n);
    }

    // ---- paths

    @Override
    public void fillPath(int windingRule) throws IOException {
        if (drawing == Drawing.TEXT) {
            super.fillPath(windingRule); // the inside of a Type 3 glyph: text's colour
            return;
        }
        PDColor colour = getGraphicsState().getNonStrokingColor();
        if (colour.getColorSpace() instanceof PDPattern) {
            markPicture(toDevice(clipped(getLinePath())));
            draw(Drawing.OTHER, () -> super.fillPath(windingRule));
            return;
        }
        Rectangle area = toDevice(getLinePath());
        fillPaint = fillPaint(luminance(colour), inches(area.width, canvas.format().xDpi()),
                inches(area.height, canvas.format().yDpi()), isRectangle(getLinePath()));
        draw(Drawing.FILL, () -> super.fillPath(windingRule));
    }

    private Paint fillPaint(float luminance, double wide, double tall, boolean rectangle) {
        if (luminance < DARK) {
            return Color.BLACK;
        }
        if (luminance >= LIGHT) {
            return Color.WHITE;
        }
        double least = Math.min(wide, tall);
        return least >= (rectangle ? SHADED_RECTANGLE : SHADED_SHAPE) ? shaded : Color.BLACK;
    }

    @Override
    public void strokePath() throws IOException {
        if (drawing == Drawing.TEXT) {
            super.strokePath();
            return;
        }
        draw(Drawing.STROKE, super::strokePath);
    }

    @Override
    protected Paint getPaint(PDColor color) throws IOException {
        return switch (drawing) {
            case TEXT -> textPaint;
            case FILL -> fillPaint;
            case STROKE, STENCIL -> luminance(color) < LIGHT ? Color.BLACK : Color.WHITE;
            case OTHER -> super.getPaint(color);
        };
    }

    // ---- pictures

    @Override
    public void drawImage(PDImage image) throws IOException {
        if (drawing == Drawing.TEXT) {
            super.drawImage(image); // a bitmap glyph of a Type 3 font
            return;
        }
        if (image.isStencil()) {
            // A mask painted in the fill colour (logos, bitmap text): line art, not a picture.
            draw(Drawing.STENCIL, () -> super.drawImage(image));
            return;
        }
        AffineTransform placed = getGraphicsState().getCurrentTransformationMatrix().createAffineTransform();
        markPicture(toDevice(clipped(placed.createTransformedShape(new Rectangle2D.Double(0, 0, 1, 1)))));
        draw(Drawing.OTHER, () -> super.drawImage(image));
    }

    @Override
    public void shadingFill(COSName shadingName) throws IOException {
        // sh paints the whole clip: a gradient is a picture to halftone.
        markPicture(toDevice(getGraphicsState().getCurrentClippingPath()));
        draw(Drawing.OTHER, () -> super.shadingFill(shadingName));
    }

    @Override
    public void showTransparencyGroup(PDTransparencyGroup form) throws IOException {
        boolean landsOnCanvas = getGraphics() == onCanvas;
        Rectangle area = null;
        if (landsOnCanvas) {
            PDRectangle box = form.getBBox();
            Matrix m = Matrix.concatenate(form.getMatrix(), getGraphicsState().getCurrentTransformationMatrix());
            area = box != null ? toDevice(clipped(box.transform(m)))
                    : toDevice(getGraphicsState().getCurrentClippingPath());
        }
        boolean outer = pictureInGroup;
        pictureInGroup = false;
        super.showTransparencyGroup(form);
        if (pictureInGroup && landsOnCanvas) {
            canvas.markPicture(area);
            pictureInGroup = false;
        }
        pictureInGroup |= outer;
    }

    private void markPicture(Rectangle device) {
        if (getGraphics() == onCanvas) {
            canvas.markPicture(device);
        } else {
            pictureInGroup = true;
        }
    }

    private void draw(Drawing what, Draw how) throws IOException {
        Drawing was = drawing;
        drawing = what;
        try {
            how.run();
        } finally {
            drawing = was;
        }
    }

    // ---- geometry and colour

    /** {@code s} (page space, PDFBox's paths and clips) in canvas pels: what the graphics' transform does. */
    private Rectangle toDevice(Shape s) {
        return getGraphics().getTransform().createTransformedShape(s).getBounds();
    }

    private Shape clipped(Shape s) {
        Rectangle2D clip = getGraphicsState().getCurrentClippingPath().getBounds2D();
        return s.getBounds2D().createIntersection(clip);
    }

    private static double inches(int pels, int dpi) {
        return (double) pels / dpi;
    }

    /** Luminance 0 (black) to 1 (white); patterns and colours PDFBox cannot convert count as black. */
    static float luminance(PDColor colour) {
        if (colour == null || colour.getColorSpace() instanceof PDPattern) {
            return 0;
        }
        try {
            int rgb = colour.toRGB();
            return (0.299f * ((rgb >> 16) & 0xFF) + 0.587f * ((rgb >> 8) & 0xFF) + 0.114f * (rgb & 0xFF)) / 255f;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A path of one closed box of straight lines (table rows, cells, bars), as opposed to curves. */
    private static boolean isRectangle(Shape path) {
        PathIterator it = path.getPathIterator(null);
        double[] c = new double[6];
        int lines = 0;
        int moves = 0;
        for (; !it.isDone(); it.next()) {
            switch (it.currentSegment(c)) {
                case PathIterator.SEG_MOVETO -> moves++;
                case PathIterator.SEG_LINETO -> lines++;
                case PathIterator.SEG_CLOSE -> { }
                default -> {
                    return false;
                }
            }
        }
        return moves == 1 && lines >= 3 && lines <= 4;
    }

    /**
     * One black pel in every {@code across}×{@code down} cell, rows of dots staggered, laid on the canvas's
     * pel grid whatever the drawing's transform: a light texture (about 6%) that says "shaded" without
     * touching glyph strokes the way a halftone screen of the true gray would.
     */
    private record DotPattern(int across, int down) implements Paint {
        private static final int BLACK = 0xFF000000;
        private static final int WHITE = 0xFFFFFFFF;

        @Override
        public PaintContext createContext(ColorModel cm, Rectangle deviceBounds, Rectangle2D userBounds,
                AffineTransform xform, RenderingHints hints) {
            ColorModel rgb = ColorModel.getRGBdefault();
            return new PaintContext() {
                @Override
                public void dispose() {
                }

                @Override
                public ColorModel getColorModel() {
                    return rgb;
                }

                @Override
                public Raster getRaster(int x, int y, int w, int h) {
                    WritableRaster r = rgb.createCompatibleWritableRaster(w, h);
                    int[] px = ((DataBufferInt) r.getDataBuffer()).getData();
                    for (int j = 0; j < h; j++) {
                        int row = y + j;
                        boolean dotted = Math.floorMod(row, down) == 0;
                        int shift = Math.floorMod(Math.floorDiv(row, down), 2) * (across / 2);
                        for (int i = 0; i < w; i++) {
                            px[j * w + i] = dotted && Math.floorMod(x + i - shift, across) == 0 ? BLACK : WHITE;
                        }
                    }
                    return r;
                }
            };
        }

        @Override
        public int getTransparency() {
            return Transparency.OPAQUE;
        }
    }
}
