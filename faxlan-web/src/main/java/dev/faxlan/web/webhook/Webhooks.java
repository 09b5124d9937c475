package dev.faxlan.web.webhook;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.message.ApiKeyMessage;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.web.api.ApiProblem;
import dev.faxlan.web.api.Idempotency;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhooks of the web process: registration and removal on a user's behalf, and one
 * {@link WebhookWorker} per webhook that delivers its owner's events. Each webhook reads the event log
 * with an API key of its owner made at registration, so the fax server decides what it may see.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    /** Webhooks one user may have: each is a subscription, a connection and a thread of the web process. */
    public static final int MAX_PER_USER = 20;
    /** Attempts the delivery log keeps per webhook, besides its age limit. */
    public static final int LOG_KEPT_PER_WEBHOOK = 1000;

    private final WebhookStore store;
    private final WebhookSettings settings;
    private final Function<char[], FaxlanClient> clientByKey;
    private final Duration serverTimeout;
    private final Clock clock;
    private final WebhookPoster poster;
    private final Map<Long, WebhookWorker> workers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService housekeeping;

    private Webhooks(WebhookStore store, WebhookSettings settings, Function<char[], FaxlanClient> clientByKey, Duration serverTimeout, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clientByKey = clientByKey;
        this.serverTimeout = serverTimeout;
        this.clock = clock;
        this.poster = new WebhookPoster(clock, settings.allowPrivate());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "webhook-housekeeping");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens the webhook database in {@code dataDir} and starts delivering for every webhook in it, each
     * from its stored cursor.
     *
     * @param clientByKey makes a client that logs in with an API key
     */
    public static Webhooks start(Path dataDir, WebhookSettings settings, Function<char[], FaxlanClient> clientByKey, Duration serverTimeout, Clock clock) {
        Webhooks w = new Webhooks(WebhookStore.open(dataDir), settings, clientByKey, serverTimeout, clock);
        for (Webhook webhook : w.store.all()) {
            if (webhook.cursor() != null && webhook.stopped() == null) w.startWorker(webhook);
        }
        w.housekeeping.scheduleWithFixedDelay(w::houseKeeping, 0, 1, TimeUnit.HOURS);
        return w;
    }

    /**
     * Registers a webhook for the caller: makes its API key (under the request's idempotency key, so a
     * repeated request finds the webhook the first one made), stores it and waits until its subscription
     * has told where its events start. Returns it with its secret.
     */
    public Webhook register(FaxlanClient caller, byte[] idempotencyKey, String url, List<String> events) {
        Set<String> types = types(events);
        URI target;
        try {
            target = WebhookUrl.check(url, settings.allowPrivate());
        } catch (WebhookUrl.Refused e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        ApiKeyMessage.CreatedKey key = Idempotency.call(caller, new ApiKeyMessage.CreateKey("webhook " + target, null), idempotencyKey);
        if (key.key() == null) {
            // A repeat of a request the server already answered: the webhook it made, if that request got so far.
            return store.byApiKey(key.id()).orElseThrow(() -> new ApiProblem(409, "Conflict",
                    "an earlier request with this Idempotency-Key did not complete; send it again with a new key", "CONFLICT"));
        }
        if (store.ownedBy(key.user()).size() >= MAX_PER_USER) {
            revoke(caller, key.id());
            throw new ApiProblem(409, "Conflict", "a user may have at most " + MAX_PER_USER + " webhooks; remove one first", "CONFLICT");
        }
        Webhook webhook = store.add(key.user(), target, types, WebhookSignature.newSecret(), key.id(), key.key(), clock.instant());
        WebhookWorker worker = newWorker(webhook);
        workers.put(webhook.id(), worker); // before it has a cursor, so housekeeping does not take it for an abandoned one
        boolean started = false;
        try {
            worker.start();
            started = worker.awaitFirstCursor(serverTimeout.multipliedBy(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!started) {
                workers.remove(webhook.id());
                worker.close();
                store.remove(webhook.id());
                revoke(caller, key.id());
            }
        }
        if (!started) throw new ApiProblem(503, "Fax server unreachable", "the fax server did not start the webhook's subscription; try again", "UNREACHABLE");
        log.info("{} registered for {}", webhook, types.isEmpty() ? "every event" : types);
        return store.get(webhook.id()).orElseThrow();
    }

    /** The webhooks of {@code owner}. */
    public List<Webhook> list(String owner) {
        return store.ownedBy(owner);
    }

    /** Webhook {@code id} if {@code owner} has it: another user's is not found, as the fax server answers for jobs. */
    public Optional<Webhook> owned(String owner, long id) {
        return store.get(id).filter(w -> w.owner().equals(owner));
    }

    /** Removes the webhook and revokes its key with the caller's rights; false if the owner has no such webhook. */
    public boolean remove(FaxlanClient caller, String owner, long id) {
        Optional<Webhook> webhook = owned(owner, id);
        if (webhook.isEmpty()) return false;
        revoke(caller, webhook.get().apiKeyId());
        WebhookWorker worker = workers.remove(id);
        if (worker != null) worker.close();
        store.remove(id);
        log.info("{} removed", webhook.get());
        return true;
    }

    /** The newest {@code limit} attempts of the owner's webhook, or empty if there is no such webhook. */
    public Optional<List<DeliveryAttempt>> deliveries(String owner, long id, int limit) {
        return owned(owner, id).map(w -> store.deliveries(id, limit));
    }

    private static Set<String> types(List<String> events) {
        Set<String> types = new LinkedHashSet<>();
        if (events == null) return types;
        for (String e : events) {
            if (!WebhookEvent.TYPES.contains(e)) {
                throw ApiProblem.badRequest("unknown event type '" + e + "'; the types are " + String.join(", ", WebhookEvent.TYPES));
            }
            types.add(e);
        }
        return types;
    }

    /** Revokes a webhook's key; one already gone (revoked by its user meanwhile) is fine. */
    private static void revoke(FaxlanClient client, long keyId) {
        try {
            client.call(new ApiKeyMessage.RevokeKey(keyId));
        } catch (FaxlanException.Refused e) {
            if (e.code() != ErrorCode.NOT_FOUND) throw e;
        }
    }

    private WebhookWorker newWorker(Webhook webhook) {
        return new WebhookWorker(webhook, clientByKey.apply(webhook.apiKey().toCharArray()), store, poster, settings.retrySchedule(), clock, settings.queuedEvents());
    }

    private void startWorker(Webhook webhook) {
        WebhookWorker worker = newWorker(webhook);
        workers.put(webhook.id(), worker);
        worker.start();
    }

    /**
     * Hourly: prunes the delivery log, and removes webhooks whose registration never answered (the
     * process stopped in between: nobody has their secret), revoking their keys with those keys themselves.
     */
    private void houseKeeping() {
        try {
            int pruned = store.prune(clock.instant().minus(settings.logKept()), LOG_KEPT_PER_WEBHOOK);
            if (pruned > 0) log.debug("delivery log: {} old attempts dropped", pruned);
            for (Webhook w : store.all()) {
                if (w.cursor() != null || workers.containsKey(w.id())) continue;
                try (FaxlanClient own = clientByKey.apply(w.apiKey().toCharArray())) {
                    revoke(own, w.apiKeyId());
                } catch (FaxlanException.AuthenticationFailed e) {
                    // already revoked
                }
                store.remove(w.id());
                log.info("{}: its registration never completed; removed, and its key revoked", w);
            }
        } catch (RuntimeException e) {
            log.warn("webhook housekeeping failed; it runs again in an hour", e);
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        workers.values().parallelStream().forEach(WebhookWorker::close);
        workers.clear();
        store.close();
    }
}
