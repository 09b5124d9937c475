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
    HASH_MISMATCH,
    /** Storing it would eat into the disk space the server keeps free. */
    DISK_FULL,
    /** A document named in a submission was never uploaded by the caller. */
    UNKNOWN_DOCUMENT,
    /** A user name and password that do not match an account (which of the two is wrong is not said). */
    WRONG_CREDENTIALS,
    /** Too many wrong passwords for this user from this address: wait before trying again. */
    THROTTLED,
    /** No session, or one that ended or expired: log in again. */
    NOT_LOGGED_IN
}
