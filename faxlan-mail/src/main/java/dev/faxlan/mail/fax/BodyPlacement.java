package dev.faxlan.mail.fax;

/**
 * Where a mail's body goes when it has attachments too ({@code body.as}). A body alone is always
 * the document.
 */
public enum BodyPlacement {
    /** The body's text is the comment on the cover page, the attachments follow. */
    COVER,
    /** The body, rendered (an HTML body as the page it shows), is the first page before the attachments. */
    PAGE;

    /** The property's value: {@code cover} or {@code page}. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
