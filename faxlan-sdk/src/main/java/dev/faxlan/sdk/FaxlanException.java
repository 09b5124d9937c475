package dev.faxlan.sdk;

/**
 * Base of every failure the SDK reports. {@link #exitCode()} is the faxlan command's exit code for it
 * (PRODUCT.md §3): 3 authentication, 4 unreachable, 5 refused by the server, 1 anything else.
 */
public class FaxlanException extends RuntimeException {
    private final int exitCode;

    public FaxlanException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public FaxlanException(String message, int exitCode) {
        this(message, exitCode, null);
    }

    public int exitCode() {
        return exitCode;
    }

    /** User name or password refused (exit 3). */
    public static final class AuthenticationFailed extends FaxlanException {
        public AuthenticationFailed(String message) {
            super(message, 3);
        }
    }

    /** No answer from the server within the deadline after all retries (exit 4). */
    public static final class Unreachable extends FaxlanException {
        public Unreachable(String message, Throwable cause) {
            super(message, 4, cause);
        }
    }

    /** The server answered with a CPI error (exit 5). */
    public static final class Refused extends FaxlanException {
        private final dev.faxlan.protocol.ErrorCode code;

        public Refused(dev.faxlan.protocol.ErrorCode code, String message) {
            super(code.name() + ": " + message, 5);
            this.code = code;
        }

        public dev.faxlan.protocol.ErrorCode code() {
            return code;
        }
    }

    /** The server presented a certificate other than the pinned one (exit 1): possibly an impostor. */
    public static final class IdentityMismatch extends FaxlanException {
        public IdentityMismatch(String message) {
            super(message, 1);
        }
    }
}
