package dev.faxlan.mail.fax;

import com.openhtmltopdf.extend.FSStream;
import com.openhtmltopdf.extend.FSStreamFactory;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceControlPriority;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceType;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import com.openhtmltopdf.util.XRLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;
import org.jsoup.nodes.Document;

/**
 * An HTML mail body rendered as the pages a reader sees, to a PDF the server faxes
 * ({@code body.as=page}). Parsed with jsoup (HTML as mail carries it, not XHTML), laid out by
 * openhtmltopdf on PDFBox.
 *
 * <p>Nothing outside the mail is fetched: remote images, style sheets and fonts are left out, and
 * {@code data:} URIs (inline images) are the only resources read. A mail-to-fax door that fetched
 * URLs would let any sender make the gateway call hosts on its network, and would tell a spammer
 * when a message was read.
 */
public final class HtmlPage {
    /**
     * The most HTML laid out as pages, in characters: 1 MiB of plain paragraphs is some 350 A4 pages
     * and several seconds of layout; a body larger than that is a document, better attached as one.
     */
    static final int MAX_CHARS = 1 << 20;

    static {
        // openhtmltopdf logs through java.util.logging to stderr by default, naming every refused URL.
        XRLog.setLoggingEnabled(false);
    }

    private HtmlPage() {}

    /** Renders {@code html} to {@code pdf}. */
    public static void render(String html, Path pdf) throws IOException {
        if (html.length() > MAX_CHARS) {
            throw new IOException("the HTML body is " + html.length() + " characters, more than the " + MAX_CHARS
                    + " laid out as pages: send the document as an attachment (PDF)");
        }
        Document doc = Jsoup.parse(html);
        doc.select("script, noscript, template, iframe, object, embed, base").remove();
        PdfRendererBuilder b = new PdfRendererBuilder();
        b.useFastMode();
        b.useDefaultPageSize(210, 297, PdfRendererBuilder.PageSizeUnits.MM);
        b.withW3cDocument(W3CDom.convert(doc), null);
        // Three locks on one door: refused before a URI is resolved, after it is, and no stream for any protocol.
        b.useExternalResourceAccessControl(HtmlPage::inline, ExternalResourceControlPriority.RUN_BEFORE_RESOLVING_URI);
        b.useExternalResourceAccessControl(HtmlPage::inline, ExternalResourceControlPriority.RUN_AFTER_RESOLVING_URI);
        b.useUriResolver((base, uri) -> uri != null && uri.startsWith("data:") ? uri : null);
        b.useHttpStreamImplementation(NOTHING);
        b.useProtocolsStreamImplementation(NOTHING, "file", "jar", "ftp", "http", "https");
        try (OutputStream out = Files.newOutputStream(pdf)) {
            b.toStream(out);
            b.run();
        } catch (RuntimeException e) {
            throw new IOException("the HTML body cannot be rendered: " + e.getMessage(), e);
        }
    }

    private static boolean inline(String uri, ExternalResourceType type) {
        return uri != null && uri.startsWith("data:");
    }

    /** A stream factory that has nothing for any URL. */
    private static final FSStreamFactory NOTHING = url -> new FSStream() {
        @Override
        public InputStream getStream() {
            return null;
        }

        @Override
        public Reader getReader() {
            return null;
        }
    };
}
