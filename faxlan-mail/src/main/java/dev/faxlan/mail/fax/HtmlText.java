package dev.faxlan.mail.fax;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * An HTML mail body as the text a reader sees, for a cover page's comment or a text page: paragraphs
 * and headings apart by a blank line, line breaks and list items on lines of their own, table cells
 * side by side, entities decoded; scripts, styles and the head dropped, as a mail reader shows none
 * of them. Parsed with jsoup, which reads broken HTML as browsers do.
 */
public final class HtmlText {
    /** Elements whose start and end break the line. */
    private static final Set<String> BLOCKS = Set.of("address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt",
            "fieldset", "figure", "figcaption", "footer", "form", "header", "hr", "li", "main", "nav", "ol", "section", "table",
            "tbody", "thead", "tfoot", "tr", "ul", "caption");
    /** Elements set apart by a blank line. */
    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "pre");
    /** Elements whose content is not shown. */
    private static final String HIDDEN = "head, script, style, noscript, template, title, object, embed, iframe, svg";

    private HtmlText() {}

    /** The text of {@code html}; "" for markup that shows no text. */
    public static String of(String html) {
        Document doc = Jsoup.parse(html);
        doc.select(HIDDEN).remove();
        Writer w = new Writer();
        NodeTraversor.traverse(w, doc.body() != null ? doc.body() : doc);
        return w.text();
    }

    private static final class Writer implements NodeVisitor {
        private final StringBuilder out = new StringBuilder();
        /** Line breaks owed before the next text: 1 ends the line, 2 leaves a blank line. */
        private int breaks;
        private int pre;

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
                String s = pre > 0 ? t.getWholeText() : t.text().replaceAll("\\s+", " ");
                if (pre == 0 && atLineStart()) s = s.stripLeading();
                if (!s.isEmpty()) write(s);
            } else if (node instanceof Element e) {
                String tag = e.normalName();
                if (tag.equals("br")) {
                    flush();
                    out.append('\n');
                } else if (tag.equals("pre")) {
                    pre++;
                    owe(2);
                } else if (PARAGRAPHS.contains(tag)) {
                    owe(2);
                } else if (BLOCKS.contains(tag)) {
                    owe(1);
                    if (tag.equals("li")) write(e.parent() != null && e.parent().normalName().equals("ol") ? (e.elementSiblingIndex() + 1) + ". " : "- ");
                } else if ((tag.equals("td") || tag.equals("th")) && e.elementSiblingIndex() > 0) {
                    write("  ");
                } else if (tag.equals("img") && !e.attr("alt").isBlank()) {
                    write("[" + e.attr("alt").strip() + "]");
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (node instanceof Element e) {
                String tag = e.normalName();
                if (tag.equals("pre")) pre--;
                if (PARAGRAPHS.contains(tag)) owe(2);
                else if (BLOCKS.contains(tag)) owe(1);
                else if (tag.equals("a")) link(e);
            }
        }

        /** A link shows where it goes when its text does not say: on paper nobody can click it. */
        private void link(Element a) {
            String href = a.attr("href").strip();
            if ((href.startsWith("http://") || href.startsWith("https://")) && !a.text().contains(href.replaceFirst("^https?://", ""))) {
                write(" <" + href + ">");
            }
        }

        private void owe(int n) {
            if (out.length() > 0) breaks = Math.max(breaks, n);
        }

        private boolean atLineStart() {
            return out.length() == 0 || breaks > 0 || out.charAt(out.length() - 1) == '\n';
        }

        private void write(String s) {
            if (breaks > 0) {
                flush();
                s = pre > 0 ? s : s.stripLeading();
                if (s.isEmpty()) return;
            }
            out.append(s);
        }

        /** Writes the owed line breaks; lines end without trailing blanks. */
        private void flush() {
            if (breaks == 0) return;
            while (out.length() > 0 && out.charAt(out.length() - 1) == ' ') out.setLength(out.length() - 1);
            out.append("\n".repeat(breaks));
            breaks = 0;
        }

        String text() {
            return out.toString().lines().map(String::stripTrailing).reduce((a, b) -> a + "\n" + b).orElse("")
                    .replaceAll("\n{3,}", "\n\n").strip();
        }
    }
}
