package dev.faxlan.protocol.message;

/**
 * A typed request body; {@code R} is the body of its successful answer. {@link Operations} tells which
 * operation each request type is.
 */
public interface CpiRequest<R extends Record> {}
