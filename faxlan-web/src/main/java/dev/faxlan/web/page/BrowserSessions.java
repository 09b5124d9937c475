package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.web.cpi.UserClients;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logged-in browsers: a random session id (the cookie's value) to a {@link BrowserSession}. A
 * session unused for {@code idle} ends: looked up after that it is gone, and a sweep once a minute
 * closes the CPI sessions of browsers that never came back.
 */
public final class BrowserSessions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrowserSessions.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserClients clients;
    private final Duration idle;
    private final Clock clock;
    private final Map<String, BrowserSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    public BrowserSessions(UserClients clients, Duration idle, Clock clock) {
        this.clients = clients;
        this.idle = idle;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "faxlan-web-sessions");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.MINUTES);
    }

    /** A new session id and the session, after the server accepted {@code user}'s password. */
    public record Login(String id, BrowserSession session) {}

    /**
     * Logs {@code user} in on the fax server. The server's refusal (a wrong password, its login
     * throttling) is thrown as the SDK's exception, with the server's words; nothing is kept then.
     */
    public Login logIn(String user, char[] password) {
        FaxlanClient client = clients.withPassword(user, password);
        String role;
        try {
            role = client.login();
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        BrowserSession session = new BrowserSession(user, role, client, token(32), "web-" + HexFormat.of().formatHex(randomBytes(6)),
                clock.instant());
        String id = adopt(session);
        session.startFeed();
        log.info("web login of {} ({} browser sessions)", user, sessions.size());
        return new Login(id, session);
    }

    /** Keeps a logged-in session under a new random id, which is returned (the cookie's value). */
    String adopt(BrowserSession session) {
        String id = token(32);
        sessions.put(id, session);
        return id;
    }

    /** The live session of {@code id}, marked as used now; empty when there is none or it expired. */
    public Optional<BrowserSession> find(String id) {
        if (id == null) return Optional.empty();
        BrowserSession s = sessions.get(id);
        if (s == null) return Optional.empty();
        Instant now = clock.instant();
        if (expired(s, now)) {
            end(id);
            return Optional.empty();
        }
        s.touch(now);
        return Optional.of(s);
    }

    /** Logs the session out: its CPI client closes, so the server ends that CPI session's connection. */
    public void end(String id) {
        BrowserSession s = id == null ? null : sessions.remove(id);
        if (s != null) {
            s.close();
            log.info("web session of {} ended", s.user());
        }
    }

    int size() {
        return sessions.size();
    }

    void expire() {
        Instant now = clock.instant();
        sessions.forEach((id, s) -> {
            if (expired(s, now)) end(id);
        });
    }

    private boolean expired(BrowserSession s, Instant now) {
        return s.lastUsed().plus(idle).isBefore(now);
    }

    /** A random token of {@code bytes} bytes, URL-safe base64: session ids and CSRF tokens. */
    static String token(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        sessions.keySet().forEach(this::end);
    }
}
