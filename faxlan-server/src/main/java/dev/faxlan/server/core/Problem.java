package dev.faxlan.server.core;

/**
 * Why a use case refused: the core's failures, whatever door the request came in by. Each door maps a
 * value to its own form (CPI: an error code); the message that comes with it names the values.
 */
public enum Problem {
    /** The request itself is wrong: a value out of range, a malformed name or number. */
    INVALID,
    /** The thing asked for does not exist, or the caller may not see it (the two answer alike). */
    NOT_FOUND,
    /** A thing of that name exists already. */
    ALREADY_EXISTS,
    /** The thing is in a state that does not allow the request. */
    CONFLICT,
    /** The caller's role does not allow the request. */
    NOT_PERMITTED,
    /** An upload is larger than the server takes, or the user's unfinished uploads would hold too much. */
    TOO_LARGE,
    /** An upload's bytes do not have the SHA-256 it was announced with. */
    HASH_MISMATCH
}
