package dev.faxlan.documents;

import java.io.IOException;
import java.util.Objects;

/**
 * A document that cannot be turned into fax pages, or a fax that cannot be viewed. The message
 * is one line meant for the user: it names the file, what is wrong with it, and what to do.
 */
public class DocumentException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why a document was refused; {@link #isBadInput()} tells the user's fault from ours. */
    public enum Reason {
        /** The file has no bytes. */
        EMPTY(true),
        /** The content matches no format we read. */
        UNKNOWN_FORMAT(true),
        /** A recognised format that is broken or truncated. */
        DAMAGED(true),
        /** A PDF that needs a password to open. */
        ENCRYPTED(true),
        /** A document with nothing to send, such as a PDF with zero pages. */
        NO_PAGES(true),
        /** Larger than the documented limits (pixels, bytes, pages). */
        TOO_LARGE(true),
        /** A conversion needs an external program that is not installed. */
        TOOL_MISSING(false),
        /** An external program ran but failed or timed out. */
        TOOL_FAILED(false),
        /** A cover page template that does not parse, or does not exist. */
        BAD_TEMPLATE(true),
        /** Reading or writing a file failed. */
        IO(false);

        private final boolean badInput;

        Reason(boolean badInput) {
            this.badInput = badInput;
        }

        /** True if the user can fix this by supplying a different document or argument. */
        public boolean isBadInput() {
            return badInput;
        }
    }

    private final Reason reason;

    public DocumentException(Reason reason, String message) {
        this(reason, message, null);
    }

    public DocumentException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    public boolean isBadInput() {
        return reason.isBadInput();
    }
}
