package dev.faxlan.mail.smtp;

import dev.faxlan.sdk.FaxlanClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fax server the gateway is a client of. Each mail user's calls go out under that user's own
 * faxlan account, so the server's permissions apply and the gateway keeps no passwords of its own.
 * Without a configured fingerprint the first certificate seen is trusted and then pinned for the
 * life of the process, as the command line does for a new server.
 */
final class FaxServer {
    private final InetSocketAddress address;
    private final Duration timeout;
    private final AtomicReference<byte[]> pin;

    FaxServer(InetSocketAddress address, Duration timeout, byte[] pin) {
        this.address = address;
        this.timeout = timeout;
        this.pin = new AtomicReference<>(pin);
    }

    InetSocketAddress address() {
        return address;
    }

    /** A client acting as {@code user}; it logs in on its first call. */
    FaxlanClient as(String user, char[] password) {
        return FaxlanClient.builder().server(address).user(user).password(password).timeout(timeout).pin(pin.get())
                .onNewIdentity(fp -> pin.compareAndSet(null, fp)).build();
    }
}
