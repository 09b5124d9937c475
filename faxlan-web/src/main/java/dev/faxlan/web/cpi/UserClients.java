package dev.faxlan.web.cpi;

import dev.faxlan.sdk.FaxlanClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fax server the web process is a client of. The process holds no privilege of its own: every
 * browser session and every API key becomes a CPI session of its user, made here, so the server
 * checks every permission. Without a configured fingerprint the first identity seen is trusted and
 * then pinned for the life of the process, as the command line does for a new server.
 */
public final class UserClients {
    private final InetSocketAddress server;
    private final Duration timeout;
    private final AtomicReference<byte[]> pin;

    public UserClients(InetSocketAddress server, byte[] pin, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
        this.pin = new AtomicReference<>(pin);
    }

    public InetSocketAddress server() {
        return server;
    }

    /** A client acting as {@code user}; it logs in on its first call (a wrong password fails there). */
    public FaxlanClient withPassword(String user, char[] password) {
        return builder().user(user).password(password).build();
    }

    /** A client acting as the user of API key {@code key}; it logs in on its first call (a wrong or revoked key fails there). */
    public FaxlanClient withApiKey(char[] key) {
        return builder().apiKey(key).build();
    }

    /** A builder with the server, its pinned identity and the timeout filled in. */
    public FaxlanClient.Builder builder() {
        return FaxlanClient.builder().server(server).timeout(timeout).pin(pin.get())
                .onNewIdentity(fp -> pin.compareAndSet(null, fp));
    }
}
