package dev.faxlan.web.page;

import dev.faxlan.sdk.FaxlanClient;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One logged-in browser: a CPI session of its user (the {@link FaxlanClient}), the CSRF token its
 * forms and scripts must send back, and the live-state feed of its outbox. The session id itself
 * lives only in the cookie and as the key of {@link BrowserSessions}; it is never logged.
 */
public final class BrowserSession implements AutoCloseable {
    private final String user;
    private final String role;
    private final FaxlanClient client;
    private final String csrfToken;
    private final JobFeed jobFeed;
    private final SendDrafts drafts;
    private final AtomicReference<Instant> lastUsed;

    BrowserSession(String user, String role, FaxlanClient client, String csrfToken, String subscriber, Instant now) {
        this.user = user;
        this.role = role;
        this.client = client;
        this.csrfToken = csrfToken;
        this.jobFeed = new JobFeed(client, subscriber);
        this.drafts = new SendDrafts();
        this.lastUsed = new AtomicReference<>(now);
    }

    public String user() {
        return user;
    }

    public boolean administrator() {
        return "admin".equals(role);
    }

    /** The CPI client of this browser's user: every page acts through it, so the server checks every permission. */
    public FaxlanClient client() {
        return client;
    }

    public String csrfToken() {
        return csrfToken;
    }

    /** Whether {@code presented} is this session's CSRF token (compared in constant time). */
    public boolean csrfMatches(String presented) {
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), csrfToken.getBytes(StandardCharsets.UTF_8));
    }

    JobFeed jobFeed() {
        return jobFeed;
    }

    SendDrafts drafts() {
        return drafts;
    }

    void touch(Instant now) {
        lastUsed.set(now);
    }

    Instant lastUsed() {
        return lastUsed.get();
    }

    /** Starts the alert subscription that feeds the outbox's live state. */
    void startFeed() {
        jobFeed.start();
    }

    /** Ends the CPI session: the feed, its subscription and the client's connection; drafts' files are deleted. */
    @Override
    public void close() {
        jobFeed.close();
        drafts.close();
        client.close();
    }

    /** For tests and logs: never the session id. */
    @Override
    public String toString() {
        return "browser session of " + user;
    }
}
