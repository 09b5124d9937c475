package dev.faxlan.documents.cover;

import dev.faxlan.documents.cover.CoverTemplate.Box;
import dev.faxlan.documents.cover.CoverTemplate.Check;
import dev.faxlan.documents.cover.CoverTemplate.Element;
import dev.faxlan.documents.cover.CoverTemplate.Line;
import dev.faxlan.documents.cover.CoverTemplate.Para;
import dev.faxlan.documents.cover.CoverTemplate.Style;
import dev.faxlan.documents.cover.CoverTemplate.Text;
import dev.faxlan.documents.page.FaxPageFormat;
import dev.faxlan.documents.render.FaxCanvas;
import dev.faxlan.documents.render.Fonts;
import dev.faxlan.documents.render.Halftone;
import dev.faxlan.engine.image.BilevelPage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Draws a {@link CoverTemplate} with field values onto one fax page. Drawing is anti-aliased in
 * points on the page's own non-square pel grid and then thresholded, so text keeps its shape;
 * rules are at least 1.2 pels thick so they survive standard resolution.
 */
public final class CoverRenderer {

    /** Text is never made smaller than this to fit its box. */
    static final double MIN_TEXT_SIZE = 6;

    private CoverRenderer() {
    }

    public static BilevelPage render(CoverTemplate template, Map<String, String> fields, FaxPageFormat format) {
        FaxCanvas canvas = new FaxCanvas(format);
        Graphics2D g = canvas.pointGraphics(true);
        // Rules of one width come out the same number of pels thick wherever they fall.
        g.setRenderingHint(java.awt.RenderingHints.KEY_STROKE_CONTROL, java.awt.RenderingHints.VALUE_STROKE_NORMALIZE);
        try {
            double m = template.margin();
            double width = format.widthInches() * 72 - 2 * m;
            double height = format.heightInches() * 72 - 2 * m;
            double minStroke = 72 * 1.2 / Math.min(format.xDpi(), format.yDpi());
            g.translate(m, m);
            for (Element e : template.elements()) {
                if (!e.when().holds(fields)) {
                    continue;
                }
                g.setColor(Color.BLACK);
                if (e instanceof Text t) {
                    drawText(g, t, fields, width, height);
                } else if (e instanceof Para p) {
                    drawPara(g, p, fields, width, height);
                } else if (e instanceof Line l) {
                    g.setStroke(new BasicStroke((float) Math.max(l.width(), minStroke), BasicStroke.CAP_BUTT,
                            BasicStroke.JOIN_MITER));
                    g.draw(new Line2D.Double(l.x1().points(width), l.y1().points(height),
                            l.x2().points(width), l.y2().points(height)));
                } else if (e instanceof Box b) {
                    drawBox(g, b, width, height, minStroke);
                } else if (e instanceof Check c) {
                    drawCheck(g, c, fields, width, height, minStroke);
                }
            }
        } finally {
            g.dispose();
        }
        return canvas.toPage(Halftone.THRESHOLD, 140);
    }

    private static Font font(Style s, double size) {
        return Fonts.get(s.font(), s.bold()).deriveFont((float) size);
    }

    private static void drawText(Graphics2D g, Text t, Map<String, String> fields, double width, double height) {
        String text = CoverTemplate.substitute(t.text(), fields).replace('\n', ' ');
        if (text.isBlank()) {
            return;
        }
        double x = t.x().points(width);
        double y = t.y().points(height);
        double room;
        double boxW = t.w() != null ? t.w().points(width) : -1;
        if (boxW > 0) {
            room = boxW;
        } else {
            room = switch (t.align()) {
                case LEFT -> width - x;
                case RIGHT -> x;
                case CENTER -> 2 * Math.min(x, width - x);
            };
        }
        double size = t.style().size();
        Font f = font(t.style(), size);
        double w = f.getStringBounds(text, g.getFontRenderContext()).getWidth();
        if (w > room && room > 0) {
            size = Math.max(MIN_TEXT_SIZE, size * room / w);
            f = font(t.style(), size);
            w = f.getStringBounds(text, g.getFontRenderContext()).getWidth();
        }
        double left = switch (t.align()) {
            case LEFT -> x;
            case RIGHT -> (boxW > 0 ? x + boxW : x) - w;
            case CENTER -> (boxW > 0 ? x + boxW / 2 : x) - w / 2;
        };
        g.setFont(f);
        g.setColor(t.style().white() ? Color.WHITE : Color.BLACK);
        float ascent = f.getLineMetrics(text, g.getFontRenderContext()).getAscent();
        g.drawString(text, (float) left, (float) (y + ascent));
    }

    private static void drawPara(Graphics2D g, Para p, Map<String, String> fields, double width, double height) {
        String text = CoverTemplate.substitute(p.text(), fields).strip();
        if (text.isEmpty()) {
            return;
        }
        double x = p.x().points(width);
        double y = p.y().points(height);
        double w = p.w().points(width);
        double maxH = p.h() != null ? p.h().points(height) : Double.MAX_VALUE;
        double size = p.style().size();
        List<String> lines;
        Font f;
        while (true) {
            f = font(p.style(), size);
            lines = wrap(g, f, text, w);
            if (lines.size() * size * p.leading() <= maxH || size <= MIN_TEXT_SIZE) {
                break;
            }
            size = Math.max(MIN_TEXT_SIZE, size - 0.5);
        }
        g.setFont(f);
        g.setColor(p.style().white() ? Color.WHITE : Color.BLACK);
        float ascent = f.getLineMetrics("Mg", g.getFontRenderContext()).getAscent();
        double baseline = y + ascent;
        for (String l : lines) {
            g.drawString(l, (float) x, (float) baseline);
            baseline += size * p.leading();
        }
    }

    /** Greedy word wrap by measured width; words longer than a line are broken. */
    static List<String> wrap(Graphics2D g, Font f, String text, double width) {
        List<String> out = new ArrayList<>();
        for (String para : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : para.strip().split("\\s+")) {
                if (word.isEmpty()) {
                    continue;
                }
                String candidate = line.length() == 0 ? word : line + " " + word;
                if (f.getStringBounds(candidate, g.getFontRenderContext()).getWidth() <= width) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (line.length() > 0) {
                    out.add(line.toString());
                    line.setLength(0);
                }
                String rest = word;
                while (f.getStringBounds(rest, g.getFontRenderContext()).getWidth() > width && rest.length() > 1) {
                    int cut = rest.length() - 1;
                    while (cut > 1 && f.getStringBounds(rest.substring(0, cut), g.getFontRenderContext()).getWidth()
                            > width) {
                        cut--;
                    }
                    out.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            out.add(line.toString());
        }
        return out;
    }

    private static void drawBox(Graphics2D g, Box b, double width, double height, double minStroke) {
        double x = b.x().points(width);
        double y = b.y().points(height);
        double w = b.w().points(width);
        double h = b.h().points(height);
        java.awt.Shape shape = b.radius() > 0
                ? new RoundRectangle2D.Double(x, y, w, h, 2 * b.radius(), 2 * b.radius())
                : new Rectangle2D.Double(x, y, w, h);
        if (b.fill()) {
            g.fill(shape);
        }
        if (b.width() > 0) {
            g.setStroke(new BasicStroke((float) Math.max(b.width(), minStroke)));
            g.draw(shape);
        }
    }

    private static void drawCheck(Graphics2D g, Check c, Map<String, String> fields, double width, double height,
            double minStroke) {
        double x = c.x().points(width);
        double y = c.y().points(height);
        double s = c.size();
        g.setStroke(new BasicStroke((float) Math.max(0.8, minStroke)));
        g.draw(new Rectangle2D.Double(x, y, s, s));
        if (CoverTemplate.truthy(fields.get(c.field()))) {
            double in = s * 0.2;
            g.setStroke(new BasicStroke((float) Math.max(s * 0.14, minStroke), BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(x + in, y + in, x + s - in, y + s - in));
            g.draw(new Line2D.Double(x + s - in, y + in, x + in, y + s - in));
        }
    }
}
