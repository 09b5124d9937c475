package dev.faxlan.web.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import io.javalin.http.Context;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * Who calls the API: the bearer key of the request made into a CPI client logged in with that key, so
 * the fax server checks every permission as that user's. Clients are kept per SHA-256 of the key (the
 * key itself is kept nowhere, and never logged) and closed after {@code idle} without a request. A
 * missing, wrong or revoked key is a 401 problem.
 */
public final class ApiCaller implements AutoCloseable {
    private static final String BEARER = "Bearer ";

    private final Function<char[], FaxlanClient> byKey;
    private final Cache<String, FaxlanClient> clients;

    /**
     * @param byKey makes a client that logs in with the given API key (on its first call)
     * @param idle how long a key's client lives without a request
     */
    public ApiCaller(Function<char[], FaxlanClient> byKey, Duration idle) {
        this.byKey = byKey;
        this.clients = Caffeine.newBuilder().expireAfterAccess(idle)
                .removalListener((String hash, FaxlanClient c, RemovalCause cause) -> {
                    if (c != null) c.close();
                })
                .build();
    }

    /** The client of the request's key, logged in; a 401 problem when the key is missing or refused. */
    public FaxlanClient client(Context ctx) {
        char[] key = bearerKey(ctx.header("Authorization"));
        try {
            String hash = hash(key);
            try {
                return clients.get(hash, h -> loggedIn(key));
            } catch (FaxlanException.AuthenticationFailed e) {
                throw unauthorized("the API key is wrong or was revoked");
            }
        } finally {
            Arrays.fill(key, '\0');
        }
    }

    /**
     * Runs {@code call} with the request's client. A call the server refuses as unauthenticated (the key
     * revoked meanwhile, its user removed) forgets the client, so the next request logs in afresh and is refused.
     */
    public <T> T with(Context ctx, Function<FaxlanClient, T> call) {
        FaxlanClient client = client(ctx);
        try {
            return call.apply(client);
        } catch (FaxlanException.AuthenticationFailed e) {
            forget(ctx);
            throw unauthorized("the API key is wrong or was revoked");
        }
    }

    /** Forgets the client of the request's key (after its key was revoked through it). */
    public void forget(Context ctx) {
        char[] key = bearerKey(ctx.header("Authorization"));
        try {
            clients.invalidate(hash(key));
        } finally {
            Arrays.fill(key, '\0');
        }
    }

    private FaxlanClient loggedIn(char[] key) {
        FaxlanClient c = byKey.apply(key);
        try {
            c.login();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static char[] bearerKey(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("this request needs an API key: Authorization: Bearer <key> (create one with faxlan apikey create)");
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length()) || authorization.length() == BEARER.length()) {
            throw unauthorized("the Authorization header must be Bearer <key>");
        }
        return authorization.substring(BEARER.length()).strip().toCharArray();
    }

    static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", detail, "AUTH_FAILED");
    }

    /** Hex SHA-256 of the key: the cache's name for it, so the key is not kept in memory longer than a request. */
    static String hash(char[] key) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            var bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(key));
            md.update(bytes);
            Arrays.fill(bytes.array(), (byte) 0);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        clients.invalidateAll();
        clients.cleanUp();
    }
}
