package dev.faxlan.web.api;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.sdk.FaxlanException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure of an API request, answered as an RFC 9457 problem document ({@code application/problem+json}):
 * {@code type}, {@code title}, {@code status}, {@code detail}, and {@code code}, the CPI error code's name
 * when the fax server refused the call. Handlers throw it; {@link ApiRoutes} renders it.
 */
public final class ApiProblem extends RuntimeException {
    public static final String MEDIA_TYPE = "application/problem+json";
    /** {@code type} is this plus the code in lower case (docs/web.md lists them); a URN, as it names rather than links. */
    static final String TYPE_BASE = "urn:faxlan:problem:";

    private final int status;
    private final String title;
    private final String code;

    /** A problem of the web process itself ({@code code} a short name of our own, or null). */
    public ApiProblem(int status, String title, String detail, String code) {
        super(detail);
        this.status = status;
        this.title = title;
        this.code = code;
    }

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, null);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad request", detail, "BAD_REQUEST");
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not found", detail, "NOT_FOUND");
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String code() {
        return code;
    }

    /** The problem document's members, in the order RFC 9457 lists them. */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("type", code == null ? "about:blank" : TYPE_BASE + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        doc.put("title", title);
        doc.put("status", status);
        if (getMessage() != null) doc.put("detail", getMessage());
        if (code != null) doc.put("code", code);
        return doc;
    }

    /**
     * What a failed CPI call means to an API client. The server answers NOT_FOUND for another user's job
     * or fax (it does not tell it exists), so 404 needs no special case here.
     */
    public static ApiProblem from(FaxlanException e) {
        if (e instanceof FaxlanException.Refused r) return fromCode(r.code(), detail(r));
        if (e instanceof FaxlanException.AuthenticationFailed) {
            return new ApiProblem(401, "Unauthorized", "the API key is wrong, revoked or its user removed", ErrorCode.AUTH_FAILED.name());
        }
        if (e instanceof FaxlanException.Unreachable) {
            return new ApiProblem(503, "Fax server unreachable", "the fax server did not answer in time; try again later", "UNREACHABLE");
        }
        if (e instanceof FaxlanException.IdentityMismatch) {
            return new ApiProblem(502, "Fax server identity changed", "the fax server presented another identity than the pinned one", "IDENTITY_MISMATCH");
        }
        return new ApiProblem(502, "Fax server failure", e.getMessage(), "INTERNAL");
    }

    static ApiProblem fromCode(ErrorCode code, String detail) {
        int status = switch (code) {
            case BAD_REQUEST, UNSUPPORTED_VERSION, UPLOAD_OFFSET_MISMATCH, UPLOAD_HASH_MISMATCH, DOCUMENT_UNKNOWN -> 400;
            case AUTH_FAILED, SESSION_EXPIRED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, CONFLICT -> 409;
            case UPLOAD_TOO_LARGE -> 413;
            case IDEMPOTENCY_KEY_REUSED -> 422;
            case AUTH_THROTTLED -> 429;
            case UNKNOWN_OPERATION -> 501;
            case STORAGE_FULL, DISK_FULL, BUSY -> 503;
            default -> 500;
        };
        String title = switch (status) {
            case 400 -> "Bad request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not found";
            case 409 -> "Conflict";
            case 413 -> "Too large";
            case 422 -> "Idempotency key reused";
            case 429 -> "Too many requests";
            case 503 -> "Fax server busy";
            default -> "Fax server failure";
        };
        return new ApiProblem(status, title, detail, code.name());
    }

    /** The server's message without the code the SDK puts in front of it (the code is a member of its own). */
    private static String detail(FaxlanException.Refused r) {
        String m = r.getMessage();
        String prefix = r.code().name() + ": ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
