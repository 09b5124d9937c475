package dev.faxlan.ipp;

import dev.faxlan.sdk.FaxlanClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The fax server's sessions of the users who print: one CPI client per user, logged in with the
 * password of their HTTP Basic authentication. A later request with another password logs in anew
 * (the server decides, so a changed password takes effect). Passwords are kept only as a salted
 * hash, to recognise the next request of the same user.
 */
public final class Callers implements AutoCloseable {
    private record Session(byte[] passwordHash, FaxlanClient client) {}

    private final InetSocketAddress server;
    private final Duration timeout;
    private final AtomicReference<byte[]> pin;
    private final byte[] salt = new byte[16];
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public Callers(InetSocketAddress server, byte[] pin, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
        this.pin = new AtomicReference<>(pin);
        new SecureRandom().nextBytes(salt);
    }

    public InetSocketAddress server() {
        return server;
    }

    /**
     * The account of {@code user} if {@code password} is theirs; throws the SDK's
     * AuthenticationFailed when the server refuses it, Unreachable when it does not answer.
     */
    public FaxAccount login(String user, char[] password) {
        byte[] hash = hash(user, password);
        Session s = sessions.get(user);
        if (s != null && MessageDigest.isEqual(s.passwordHash(), hash)) return FaxAccount.of(s.client());
        FaxlanClient c = FaxlanClient.builder().server(server).timeout(timeout).pin(pin.get())
                .onNewIdentity(fp -> pin.compareAndSet(null, fp)).user(user).password(password).build();
        try {
            c.login();
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        Session old = sessions.put(user, new Session(hash, c));
        if (old != null) old.client().close();
        return FaxAccount.of(c);
    }

    private byte[] hash(String user, char[] password) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            d.update(user.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            byte[] pw = new String(password).getBytes(StandardCharsets.UTF_8);
            d.update(pw);
            Arrays.fill(pw, (byte) 0);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sessions.values().forEach(s -> s.client().close());
        sessions.clear();
    }
}
