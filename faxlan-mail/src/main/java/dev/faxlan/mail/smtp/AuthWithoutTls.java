package dev.faxlan.mail.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Whether a session may log in before STARTTLS ({@code auth.without.tls}). A password sent in clear
 * text on a network can be read by anyone on the path, so by default it never may; a client on the
 * gateway's own host (an MTA on loopback) has no path to be read on.
 */
public enum AuthWithoutTls {
    /** AUTH only after STARTTLS. */
    NEVER,
    /** AUTH in clear text for clients connecting from a loopback address; everyone else after STARTTLS. */
    LOOPBACK;

    /** Whether a session from {@code client} that has not started TLS may log in. */
    boolean allows(SocketAddress client) {
        if (this == NEVER) return false;
        InetAddress a = client instanceof InetSocketAddress isa ? isa.getAddress() : null;
        return a != null && a.isLoopbackAddress();
    }

    /** The property's value: {@code never} or {@code loopback}. */
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
