package dev.faxlan.protocol.message;

/** {@code info}, {@code login} and {@code logout}. */
public sealed interface SessionMessage {
    record Info() implements SessionMessage, CpiRequest<InfoReply> {}

    /** {@code fp}: the SHA-256 of the server's certificate; {@code time}: the server's clock, epoch milliseconds. */
    record InfoReply(String name, String version, long protocol, long time, byte[] fp) implements SessionMessage {}

    record Login(String user, String password) implements SessionMessage, CpiRequest<LoginReply> {}

    /** {@code session}: the token for later requests; {@code expires}: epoch milliseconds. */
    record LoginReply(byte[] session, String user, String role, long expires) implements SessionMessage {}

    record Logout() implements SessionMessage, CpiRequest<Empty> {}

    /** The answer that carries nothing. */
    record Empty() implements SessionMessage {}
}
