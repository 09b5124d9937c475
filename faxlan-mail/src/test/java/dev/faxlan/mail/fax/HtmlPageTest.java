package dev.faxlan.mail.fax;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An HTML body rendered to PDF pages: its text on them, and nothing fetched from outside the mail. */
class HtmlPageTest {
    @TempDir
    Path dir;

    @Test
    void theRenderedPageCarriesTheText() throws Exception {
        Path pdf = dir.resolve("body.pdf");
        HtmlPage.render("<h1>Order 4711</h1><p>Please deliver <b>twelve</b> boxes &amp; invoice us.</p><table><tr><td>Toner</td><td>40</td></tr></table>", pdf);
        try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            String text = stripper.getText(doc);
            assertThat(text).contains("Order 4711", "Please deliver twelve boxes & invoice us.", "Toner");
        }
    }

    /** A body too large to be a covering letter is refused with the reason rather than laid out over hundreds of pages. */
    @Test
    void aHugeHtmlBodyIsRefusedWithTheLimit() {
        String html = "<p>" + "x".repeat(HtmlPage.MAX_CHARS) + "</p>";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HtmlPage.render(html, dir.resolve("huge.pdf")))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage("the HTML body is " + html.length() + " characters, more than the 1048576 laid out as pages:"
                        + " send the document as an attachment (PDF)");
        assertThat(dir.resolve("huge.pdf")).doesNotExist();
    }

    /** Images, style sheets, fonts and imports at a listening port: none is fetched, not even a connection made. */
    @Test
    void nothingOutsideTheMailIsFetched() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            String at = "127.0.0.1:" + listener.socket().getLocalPort();
            String html = "<html><head><link rel=\"stylesheet\" href=\"http://" + at + "/s.css\">"
                    + "<style>@import url(http://" + at + "/i.css); @font-face { font-family: x; src: url(http://" + at + "/f.ttf) }"
                    + " body { background: url(http://" + at + "/bg.png); font-family: x }</style></head>"
                    + "<body><p>Seen</p><img src=\"http://" + at + "/x.png\"><img src=\"https://" + at + "/y.png\">"
                    + "<img src=\"file:///etc/passwd\"><object data=\"http://" + at + "/o\"></object><iframe src=\"http://" + at + "/f\"></iframe>"
                    + "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==\">"
                    + "</body></html>";
            Path pdf = dir.resolve("body.pdf");
            HtmlPage.render(html, pdf);
            try (PDDocument doc = Loader.loadPDF(pdf.toFile())) {
                assertThat(new PDFTextStripper().getText(doc)).contains("Seen");
            }
            assertThat(listener.accept()).as("a connection to the listening port").isNull();
        }
    }
}
