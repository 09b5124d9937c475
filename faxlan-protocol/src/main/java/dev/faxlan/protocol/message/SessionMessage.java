package dev.faxlan.protocol.message;

/** {@code info}, {@code login} and {@code logout}. */
public sealed interface SessionMessage {
    record Info() implements SessionMessage, CpiRequest<InfoReply> {}

    /** {@code fp}: the SHA-256 of the server's certificate; {@code time}: the server's clock, epoch milliseconds. */
    /**
     * {@code nodes}: the live nodes of the server's cluster (itself among them), absent from a server on
     * its own or one whose address clients cannot be told.
     */
    record InfoReply(String name, String version, long protocol, long time, byte[] fp, @MayBeAbsent java.util.List<Node> nodes)
            implements SessionMessage {
        public InfoReply(String name, String version, long protocol, long time, byte[] fp) {
            this(name, version, protocol, time, fp, null);
        }
    }

    /** A node of a cluster as clients reach it: its name, CPI host and port, and its certificate's fingerprint. */
    record Node(String name, String host, long port, byte[] fp) {}

    /**
     * Either {@code user} and {@code password}, or an API key ({@code key}) instead of both: the
     * session is then the key's user's.
     */
    record Login(@MayBeAbsent String user, @MayBeAbsent String password, @MayBeAbsent String key) implements SessionMessage, CpiRequest<LoginReply> {
        public Login(String user, String password) {
            this(user, password, null);
        }

        /** A login with an API key. */
        public static Login withKey(String key) {
            return new Login(null, null, key);
        }

        @Override
        public String toString() {
            return "Login[user=" + user + "]"; // never the password nor the key
        }
    }

    /** {@code session}: the token for later requests; {@code expires}: epoch milliseconds. */
    record LoginReply(byte[] session, String user, String role, long expires) implements SessionMessage {}

    record Logout() implements SessionMessage, CpiRequest<Empty> {}

    /** The answer that carries nothing. */
    record Empty() implements SessionMessage {}
}
