package dev.faxlan.mail.fax;

import dev.faxlan.documents.convert.ConvertOptions;
import dev.faxlan.documents.convert.DocumentFormat;
import dev.faxlan.documents.convert.Documents;
import dev.faxlan.documents.convert.PageSource;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a mail gives the fax: its attachments as files in order, its text body and subject, and the
 * Message-ID. Parsed with Jakarta Mail; each attachment is opened as the server will open it, so one
 * that cannot be faxed is refused (5xx with the reason) before any job is made.
 *
 * @param body the text body, or the text an HTML body shows when the mail has no text part
 * @param html the HTML body when the mail has no text part, else null: rendered for {@link BodyPlacement#PAGE}
 */
public record MailContent(String messageId, String subject, String body, String html, List<Path> attachments) {

    public static MailContent read(InputStream data, Path dir) throws IOException, MailRefusal {
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), data);
            Collector c = new Collector(dir);
            c.walk(m, 0);
            String html = c.text == null ? c.html : null;
            String body = c.text != null ? c.text : html != null ? HtmlText.of(html) : null;
            return new MailContent(m.getMessageID(), m.getSubject(), body == null ? null : body.strip(), html, List.copyOf(c.files));
        } catch (MessagingException e) {
            throw new MailRefusal(554, "5.6.0 the message cannot be read as MIME: " + oneLine(e));
        }
    }

    /**
     * The files to fax: the attachments, after the body's page when the body goes on a page of its
     * own; the body alone when there are no attachments. The body's page is its text, or for an HTML
     * body and {@link BodyPlacement#PAGE} the HTML rendered.
     */
    public List<Path> documents(Path dir, BodyPlacement placement) throws IOException, MailRefusal {
        boolean hasBody = body != null && !body.isBlank();
        if (attachments.isEmpty() && !hasBody) throw new MailRefusal(554, "5.6.0 the message has neither attachments nor text to fax");
        if (!attachments.isEmpty() && (placement == BodyPlacement.COVER || !hasBody)) return attachments;
        List<Path> documents = new ArrayList<>();
        if (placement == BodyPlacement.PAGE && html != null) {
            Path page = dir.resolve("body.pdf");
            try {
                HtmlPage.render(html, page);
            } catch (IOException e) {
                throw new MailRefusal(554, "5.6.0 " + oneLine(e));
            }
            documents.add(page);
        } else {
            documents.add(Files.writeString(dir.resolve("body.txt"), body + "\n", StandardCharsets.UTF_8));
        }
        documents.addAll(attachments);
        return documents;
    }

    /** The body beside attachments goes on the cover page as its comment, unless it is a page of its own. */
    public boolean bodyIsComment(BodyPlacement placement) {
        return placement == BodyPlacement.COVER && !attachments.isEmpty() && body != null && !body.isBlank();
    }

    private static final class Collector {
        final Path dir;
        final List<Path> files = new ArrayList<>();
        String text;
        String html;

        Collector(Path dir) {
            this.dir = dir;
        }

        void walk(Part p, int depth) throws MessagingException, IOException, MailRefusal {
            if (p.isMimeType("multipart/*")) {
                // Each level is a recursion here and in Jakarta Mail: a bound keeps a hostile nesting off the stack.
                if (depth >= MAX_DEPTH) throw new MailRefusal(554, "5.6.0 the message's parts are nested more than " + MAX_DEPTH + " deep");
                Multipart mp = (Multipart) content(p, "the message");
                for (int i = 0; i < mp.getCount(); i++) {
                    BodyPart part = mp.getBodyPart(i);
                    walk(part, depth + 1);
                }
                return;
            }
            boolean attached = Part.ATTACHMENT.equalsIgnoreCase(p.getDisposition()) || p.getFileName() != null;
            if (!attached && p.isMimeType("text/plain")) {
                if (text == null) text = String.valueOf(content(p, "the text"));
                return;
            }
            if (!attached && p.isMimeType("text/html")) {
                if (html == null) html = String.valueOf(content(p, "the HTML text"));
                return;
            }
            String name = p.getFileName() != null ? p.getFileName().replaceAll("[^A-Za-z0-9._-]", "_") : "part";
            Path file = dir.resolve(String.format("%02d-%s", files.size() + 1, name));
            try (InputStream in = p.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = decoded(in, buf, p.getFileName() != null ? "attachment " + p.getFileName() : "a part")) > 0; ) out.write(buf, 0, n);
            }
            check(file, p.getFileName() != null ? p.getFileName() : p.getContentType());
            files.add(file);
        }
    }

    /** Parts nested deeper than this are refused: mail clients nest a few levels (forwarded mail, alternatives). */
    static final int MAX_DEPTH = 32;

    /**
     * A part's content. A transfer encoding that does not decode or an unknown charset is the
     * sender's fault (554), not the gateway's: Jakarta Mail reports both as IOException.
     */
    private static Object content(Part p, String what) throws MessagingException, MailRefusal {
        try {
            return p.getContent();
        } catch (IOException e) {
            throw new MailRefusal(554, "5.6.0 " + what + " cannot be decoded: " + oneLine(e));
        }
    }

    private static int decoded(InputStream in, byte[] buf, String what) throws MailRefusal {
        try {
            return in.read(buf);
        } catch (IOException e) {
            throw new MailRefusal(554, "5.6.0 " + what + " cannot be decoded: " + oneLine(e));
        }
    }

    /**
     * Opens an attachment as the server will (format, readable, page count) without rendering it.
     * PostScript and office documents need the server's converters: only their format is known here.
     */
    private static void check(Path file, String name) throws MailRefusal {
        try {
            DocumentFormat kind = Documents.formatOf(file);
            if (kind == DocumentFormat.POSTSCRIPT || kind == DocumentFormat.OFFICE) return;
            try (PageSource doc = Documents.open(file, name, ConvertOptions.defaults())) {
                doc.pageCount();
            }
        } catch (IOException | RuntimeException e) {
            // The reasons name the stored file or the attachment; the sender knows only the attachment.
            String why = oneLine(e).replace(file + ": ", "").replace(name + ": ", "").replace(file.toString(), name);
            throw new MailRefusal(554, "5.6.1 attachment " + name + " cannot be faxed: " + why);
        }
    }

    public static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("[\\r\\n]+", " ").replaceAll("[.\\s]+$", "");
    }
}
