package dev.faxlan.documents.convert;

import dev.faxlan.documents.DocumentException;
import dev.faxlan.documents.DocumentException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises a document by its first bytes (magic numbers), not by its name. The extension
 * only separates the office formats, which are all zip or OLE2 containers.
 */
public final class FormatDetector {

    /** Bytes examined: PDF allows junk before {@code %PDF} within the first 1024 bytes. */
    static final int PROBE = 8192;

    private FormatDetector() {
    }

    /** The format of {@code file}, or a {@link DocumentException} naming what was found. */
    public static DocumentFormat detect(Path file) throws IOException {
        long size;
        byte[] head;
        try {
            size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(PROBE);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new DocumentException(Reason.IO, file + ": no such file", e);
        } catch (IOException e) {
            throw new DocumentException(Reason.IO, file + ": cannot read: " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new DocumentException(Reason.EMPTY, file + ": the file is empty (0 bytes)");
        }
        Optional<DocumentFormat> kind = detect(head, file.getFileName() == null ? "" : file.getFileName().toString());
        String archive = archive(head);
        if (kind.isEmpty() && archive != null) {
            // Never unpacked: an archive may be a bomb (nested or highly compressed), and its
            // documents, attached one by one, are faxed anyway.
            throw new DocumentException(Reason.UNKNOWN_FORMAT, file + ": " + archive
                    + ": archives are not faxed, send the documents in it instead");
        }
        return kind.orElseThrow(() -> new DocumentException(Reason.UNKNOWN_FORMAT, file
                        + ": unknown format (starts with " + hex(head) + "); faxlan reads PDF, PostScript, "
                        + "plain text, PNG, JPEG, GIF, BMP, TIFF and, with LibreOffice, office documents"));
    }

    /** The format of a document starting with {@code head}; {@code name} only for office files. */
    public static Optional<DocumentFormat> detect(byte[] head, String name) {
        if (startsWith(head, 0, "%PDF-") || indexOf(head, "%PDF-", 1024) >= 0) {
            return Optional.of(DocumentFormat.PDF);
        }
        if (startsWith(head, 0, "%!") || (head.length > 2 && head[0] == 0x04 && startsWith(head, 1, "%!"))
                || (head.length >= 4 && (head[0] & 0xFF) == 0xC5 && (head[1] & 0xFF) == 0xD0
                        && (head[2] & 0xFF) == 0xD3 && (head[3] & 0xFF) == 0xC6)) {
            return Optional.of(DocumentFormat.POSTSCRIPT);
        }
        if (head.length >= 8 && (head[0] & 0xFF) == 0x89 && startsWith(head, 1, "PNG\r\n")) {
            return Optional.of(DocumentFormat.PNG);
        }
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Optional.of(DocumentFormat.JPEG);
        }
        if (startsWith(head, 0, "GIF87a") || startsWith(head, 0, "GIF89a")) {
            return Optional.of(DocumentFormat.GIF);
        }
        if (startsWith(head, 0, "BM") && head.length >= 26) {
            return Optional.of(DocumentFormat.BMP);
        }
        if (head.length >= 4 && ((startsWith(head, 0, "II") && head[2] == 42 && head[3] == 0)
                || (startsWith(head, 0, "MM") && head[2] == 0 && head[3] == 42))) {
            return Optional.of(DocumentFormat.TIFF);
        }
        if (startsWith(head, 0, "{\\rtf")) {
            return Optional.of(DocumentFormat.OFFICE);
        }
        String ext = extension(name);
        boolean zip = startsWith(head, 0, "PK\u0003\u0004");
        boolean ole2 = head.length >= 8 && (head[0] & 0xFF) == 0xD0 && (head[1] & 0xFF) == 0xCF
                && (head[2] & 0xFF) == 0x11 && (head[3] & 0xFF) == 0xE0;
        if (zip && (indexOf(head, "[Content_Types].xml", head.length) >= 0
                || indexOf(head, "application/vnd.oasis.opendocument", head.length) >= 0
                || isOfficeExtension(ext))) {
            return Optional.of(DocumentFormat.OFFICE);
        }
        if (ole2 && (isOfficeExtension(ext) || ext.isEmpty())) {
            return Optional.of(DocumentFormat.OFFICE);
        }
        if (!zip && !ole2 && isText(head)) {
            return Optional.of(DocumentFormat.TEXT);
        }
        return Optional.empty();
    }

    /** What kind of archive {@code head} starts, or null. */
    static String archive(byte[] head) {
        if (startsWith(head, 0, "PK\u0003\u0004") || startsWith(head, 0, "PK\u0005\u0006")) {
            return "a ZIP archive";
        }
        if (head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
            return "a gzip archive";
        }
        if (startsWith(head, 0, "BZh")) {
            return "a bzip2 archive";
        }
        if (head.length >= 6 && (head[0] & 0xFF) == 0xFD && startsWith(head, 1, "7zXZ")) {
            return "an xz archive";
        }
        if (head.length >= 6 && startsWith(head, 0, "7z") && (head[2] & 0xFF) == 0xBC && (head[3] & 0xFF) == 0xAF) {
            return "a 7-Zip archive";
        }
        if (startsWith(head, 0, "Rar!")) {
            return "a RAR archive";
        }
        return null;
    }

    private static boolean isOfficeExtension(String ext) {
        return switch (ext) {
            case "doc", "docx", "docm", "dot", "dotx", "odt", "ott", "fodt", "rtf", "xls", "xlsx", "xlsm",
                    "ods", "fods", "ppt", "pptx", "odp", "fodp", "wpd", "pages" -> true;
            default -> false;
        };
    }

    /** Text in any encoding {@link TextEncoding} reads: binary controls mark what is not. */
    static boolean isText(byte[] head) {
        return TextEncoding.isText(head);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (b.length < at + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, String s, int limit) {
        int end = Math.min(b.length, limit) - s.length();
        for (int i = 0; i <= end; i++) {
            if (startsWith(b, i, s)) {
                return i;
            }
        }
        return -1;
    }

    private static String hex(byte[] head) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, head.length); i++) {
            sb.append(String.format("%02x ", head[i] & 0xFF));
        }
        return sb.toString().trim();
    }
}
