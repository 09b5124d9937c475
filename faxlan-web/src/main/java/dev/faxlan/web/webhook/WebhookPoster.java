package dev.faxlan.web.webhook;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Posts one event to one webhook, once: the signed JSON body, an answer within {@link #TIMEOUT}. Redirects
 * are not followed (a 3xx is a failure), since a redirect could lead to an address the URL check refused.
 */
public final class WebhookPoster {
    /** How long a receiver has to answer; a slower one counts as failed, and the event is tried again. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String USER_AGENT = "faxlan-web-webhooks/1";

    private final HttpClient http;
    private final Clock clock;
    private final boolean allowPrivate;

    public WebhookPoster(Clock clock, boolean allowPrivate) {
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.clock = clock;
        this.allowPrivate = allowPrivate;
    }

    /** What one attempt came to: the status, or the error that left none. */
    public record Result(Integer status, String error, Instant at, Duration duration) {
        public boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }

        /** The status or error in words, for the log. */
        public String describe() {
            return status != null ? "HTTP " + status : error;
        }
    }

    /** Posts {@code event} to {@code webhook}'s URL, signed with its secret at this moment. */
    public Result post(Webhook webhook, WebhookEvent event) throws InterruptedException {
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        try {
            WebhookUrl.checkAddress(webhook.url(), allowPrivate);
        } catch (WebhookUrl.Refused e) {
            return new Result(null, "refused: " + e.getMessage(), start, elapsed(t0));
        }
        byte[] body = event.body();
        String timestamp = Long.toString(start.getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(webhook.url()).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("Faxlan-Event-Id", event.id())
                .header("Faxlan-Timestamp", timestamp)
                .header("Faxlan-Signature", WebhookSignature.sign(webhook.secret(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        CompletableFuture<HttpResponse<Void>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // The request's own timeout covers the headers only: a receiver that trickles its body out is cut off here.
            HttpResponse<Void> r = answer.get(TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            return new Result(r.statusCode(), null, start, elapsed(t0));
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new Result(null, "no answer within " + TIMEOUT.toSeconds() + " s", start, elapsed(t0));
        } catch (ExecutionException e) {
            return new Result(null, describe(e.getCause(), webhook.url()), start, elapsed(t0));
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        }
    }

    private static String describe(Throwable t, URI url) {
        if (t instanceof HttpTimeoutException) return "no answer within " + TIMEOUT.toSeconds() + " s";
        if (t instanceof java.net.ConnectException) return "cannot connect to " + url.getHost() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        if (t instanceof IOException && t.getMessage() != null) return t.getMessage();
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static Duration elapsed(long t0) {
        return Duration.ofNanos(System.nanoTime() - t0);
    }
}
