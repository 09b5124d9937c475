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
final class FaxServer implements AutoCloseable {
    private final InetSocketAddress address;
    private final Duration timeout;
    private final AtomicReference<byte[]> pin;
    private FaxlanClient shared;

    FaxServer(InetSocketAddress address, Duration timeout, byte[] pin) {
        this.address = address;
        this.timeout = timeout;
        this.pin = new AtomicReference<>(pin);
    }

    InetSocketAddress address() {
        return address;
    }

    /**
     * The client of the gateway's own account, shared by all sessions without AUTH (the SDK client
     * is thread-safe and logs in again by itself when its session expired); made at first use.
     */
    synchronized FaxlanClient shared(String user, char[] password) {
        if (shared == null) shared = as(user, password);
        return shared;
    }

    /** Closes the shared client, when the gateway stops. */
    @Override
    public synchronized void close() {
        if (shared != null) shared.close();
        shared = null;
    }

    /** A client acting as {@code user}; it logs in on its first call. */
    FaxlanClient as(String user, char[] password) {
        return FaxlanClient.builder().server(address).user(user).password(password).timeout(timeout).pin(pin.get())
                .onNewIdentity(fp -> pin.compareAndSet(null, fp)).build();
    }
}
