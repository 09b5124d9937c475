package dev.faxlan.mail.fax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** An HTML body as the text on paper: what a mail reader shows, laid out in lines. */
class HtmlTextTest {

    @Test
    void paragraphsHeadingsAndBreaksKeepTheirLines() {
        String html = "<html><head><title>Offer</title><style>p { color: red }</style></head><body>"
                + "<h1>Offer 17</h1><p>Dear Ms Smith,</p><p>please find our offer<br>for the new printers.</p>"
                + "<div>Kind regards</div><div>Bob</div></body></html>";
        assertThat(HtmlText.of(html)).isEqualTo("Offer 17\n\nDear Ms Smith,\n\nplease find our offer\nfor the new printers.\n\nKind regards\nBob");
    }

    @Test
    void scriptsStylesAndCommentsAreDroppedAndEntitiesDecoded() {
        String html = "<p>Tom &amp; Jerry&nbsp;&lt;3 &eacute;t&eacute; &#8364;5</p><script>alert('x')</script>"
                + "<style>.a{}</style><!-- hidden --><noscript>enable js</noscript>";
        assertThat(HtmlText.of(html)).isEqualTo("Tom & Jerry <3 été €5");
    }

    @Test
    void listsTablesAndLinksReadOnPaper() {
        String html = "<ul><li>paper</li><li>toner</li></ul><ol><li>call</li><li>fax</li></ol>"
                + "<table><tr><th>Item</th><th>Price</th></tr><tr><td>Toner</td><td>40</td></tr></table>"
                + "<p>See <a href=\"https://shop.example.org/t\">our shop</a> or https://x.example.org <a href=\"https://x.example.org\">x.example.org</a></p>";
        assertThat(HtmlText.of(html)).isEqualTo("- paper\n- toner\n1. call\n2. fax\nItem  Price\nToner  40\n\n"
                + "See our shop <https://shop.example.org/t> or https://x.example.org x.example.org");
    }

    @Test
    void preformattedTextKeepsItsSpacesAndBrokenHtmlStillReads() {
        assertThat(HtmlText.of("<pre>a  b\n  c</pre><p>after")).isEqualTo("a  b\n  c\n\nafter");
        assertThat(HtmlText.of("<p>unclosed <b>bold <i>both</p>text")).isEqualTo("unclosed bold both\n\ntext");
        assertThat(HtmlText.of("<html><body></body></html>")).isEmpty();
    }

    /** Whatever words are wrapped in whatever markup: no tag leaks into the text, and every word is there, in order. */
    @Property(tries = 300)
    void noTagLeaksAndEveryWordIsKeptInOrder(@ForAll("documents") Doc doc) {
        String text = HtmlText.of(doc.html());
        assertThat(text).doesNotContain("<", ">");
        int from = 0;
        for (String w : doc.words()) {
            int at = text.indexOf(w, from);
            assertThat(at).as("%s in %s from %s", w, text, doc.html()).isGreaterThanOrEqualTo(0);
            from = at + w.length();
        }
        assertThat(text).doesNotContain("secretscript", "secretstyle");
    }

    record Doc(String html, List<String> words) {}

    @Provide
    Arbitrary<Doc> documents() {
        Arbitrary<String> word = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> tag = Arbitraries.of("p", "div", "span", "b", "i", "h2", "li", "td", "a", "blockquote", "font", "pre", "em");
        Arbitrary<String> piece = Combinators.combine(tag, word, Arbitraries.of("", " class=\"x\"", " href=\"#\"", " style=\"color:red\""),
                Arbitraries.of("", "<br>", "&nbsp;", "<hr>", "<script>secretscript()</script>", "<style>secretstyle{}</style>"))
                .as((t, w, attr, extra) -> "<" + t + attr + ">" + w + extra + "</" + t + ">" + "\u0000" + w);
        return piece.list().ofMinSize(1).ofMaxSize(12).map(pieces -> {
            StringBuilder html = new StringBuilder("<html><body>");
            List<String> words = new java.util.ArrayList<>();
            for (String p : pieces) {
                String[] parts = p.split("\u0000");
                html.append(parts[0]).append(' ');
                words.add(parts[1]);
            }
            return new Doc(html.append("</body></html>").toString(), words);
        });
    }
}
