package dev.faxlan.documents.convert;

/** Document formats recognised by {@link FormatDetector}. */
public enum DocumentFormat {
    PDF("PDF"),
    POSTSCRIPT("PostScript"),
    TEXT("plain text"),
    PNG("PNG image"),
    JPEG("JPEG image"),
    GIF("GIF image"),
    BMP("BMP image"),
    TIFF("TIFF image"),
    /** Office Open XML or OpenDocument (zip), legacy Office (OLE2), RTF: converted by LibreOffice. */
    OFFICE("office document");

    private final String description;

    DocumentFormat(String description) {
        this.description = description;
    }

    /** Name for messages, such as "PNG image". */
    public String description() {
        return description;
    }
}
