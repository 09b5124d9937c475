package dev.faxlan.web.webhook;

import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one webhook's events: an alert subscription to its owner's event log (as the webhook's API
 * key, so with the owner's rights alone) feeds a queue, and one thread posts the events in order, each
 * until it is delivered or given up, and then stores the event's sequence number as the cursor. A
 * restart subscribes from that cursor, so an event is delivered at least once, whatever stopped the
 * process; a failing event holds back the ones after it.
 */
final class WebhookWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookWorker.class);

    private final Webhook webhook;
    private final FaxlanClient client;
    private final WebhookStore store;
    private final WebhookPoster poster;
    private final RetrySchedule schedule;
    private final Clock clock;
    /** Events held in memory at most: past this the subscription pauses, and resumes from the log once the queue is down to a tenth. */
    private final int queueHigh;
    private final int queueLow;
    private final BlockingQueue<Alert> queue = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;
    private volatile AlertSubscription subscription;
    private volatile boolean paused;
    private volatile long lastQueued = -1;
    private volatile long firstQueued = -1;

    WebhookWorker(Webhook webhook, FaxlanClient client, WebhookStore store, WebhookPoster poster, RetrySchedule schedule, Clock clock, int queuedEvents) {
        this.webhook = webhook;
        this.client = client;
        this.store = store;
        this.poster = poster;
        this.schedule = schedule;
        this.clock = clock;
        this.queueHigh = queuedEvents;
        this.queueLow = Math.max(1, queuedEvents / 10);
        this.thread = new Thread(this::run, "webhook-" + webhook.id());
        this.thread.setDaemon(true);
    }

    /**
     * Subscribes from the stored cursor and starts delivering. A new webhook (no cursor) subscribes from
     * the newest event and delivers once {@link #awaitFirstCursor} has stored where that was.
     */
    void start() {
        subscription = client.subscribe(webhook.subscriber(), webhook.cursor(), this::onAlert);
        if (webhook.cursor() != null) thread.start();
    }

    /**
     * For a new webhook: waits until the server answered the first subscription, and stores where its
     * events begin, so a restart from here on resumes there. False if the server did not answer in time.
     */
    boolean awaitFirstCursor(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until && closed.getCount() > 0) {
            AlertSubscription s = subscription;
            long delivered = s.lastDelivered();
            if (delivered >= 0) {
                // The listener sees every event up to 'delivered' before that number moves, so an event already
                // queued tells the subscription's start even if the number has moved past it.
                long first = firstQueued;
                store.setCursor(webhook.id(), first >= 0 ? first - 1 : delivered);
                thread.start();
                return true;
            }
            if (s.failure() != null) return false;
            closed.await(50, TimeUnit.MILLISECONDS);
        }
        return false;
    }

    private void onAlert(Alert alert) {
        if (firstQueued < 0) firstQueued = alert.seq();
        queue.add(alert);
        lastQueued = alert.seq();
        if (queue.size() >= queueHigh && !paused) {
            // Called inside the subscription: closing it there delivers nothing more. What follows stays in the
            // server's log and is read again from lastQueued once the queue has drained.
            paused = true;
            subscription.close();
            log.info("{}: {} events wait for delivery; the next ones stay in the event log until fewer than {} wait", webhook, queueHigh, queueLow);
        }
    }

    private void run() {
        try {
            while (closed.getCount() > 0) {
                Alert alert = queue.poll(1, TimeUnit.SECONDS);
                if (stoppedByServer()) return;
                if (paused && queue.size() < queueLow) {
                    paused = false;
                    log.info("{}: reading the event log again after event {}", webhook, lastQueued);
                    subscription = client.subscribe(webhook.subscriber(), lastQueued, this::onAlert);
                }
                if (alert == null) continue;
                WebhookEvent event = WebhookEvent.of(webhook.id(), alert);
                if (webhook.wants(event.type()) && !deliver(event)) return;
                store.setCursor(webhook.id(), alert.seq());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (closed.getCount() > 0) log.error("{}: deliveries stopped by an unexpected failure; they resume at the next start", webhook, e);
        }
    }

    /** Posts {@code event} until it is delivered or given up (true), or the worker stops first (false: the cursor stays before it). */
    private boolean deliver(WebhookEvent event) throws InterruptedException {
        var tried = store.tried(webhook.id(), event.id());
        int attempt = tried.map(WebhookStore.Tried::attempts).orElse(0);
        Instant first = tried.map(WebhookStore.Tried::first).orElse(null);
        while (closed.getCount() > 0 && !stoppedByServer()) {
            attempt++;
            WebhookPoster.Result r = poster.post(webhook, event);
            if (first == null) first = r.at();
            DeliveryAttempt.Outcome outcome = r.delivered() ? DeliveryAttempt.Outcome.DELIVERED
                    : schedule.givesUp(first, clock.instant()) ? DeliveryAttempt.Outcome.GIVEN_UP : DeliveryAttempt.Outcome.RETRY;
            store.record(new DeliveryAttempt(webhook.id(), event.id(), event.type(), attempt, r.at(), r.status(), r.error(), r.duration(), outcome));
            if (outcome == DeliveryAttempt.Outcome.DELIVERED) return true;
            if (outcome == DeliveryAttempt.Outcome.GIVEN_UP) {
                log.warn("{}: event {} ({}) given up after {} attempts since {}: {}", webhook, event.id(), event.type(), attempt, first, r.describe());
                return true;
            }
            Duration wait = schedule.waitAfter(attempt, ThreadLocalRandom.current());
            log.info("{}: event {} ({}) attempt {} failed: {}; next attempt in {} s", webhook, event.id(), event.type(), attempt, r.describe(),
                    wait.toSeconds());
            if (closed.await(wait.toMillis(), TimeUnit.MILLISECONDS)) return false;
        }
        return false;
    }

    /** Whether the server refused the webhook's key (revoked, or its user removed): deliveries stop, and the store says why. */
    private boolean stoppedByServer() {
        Throwable failure = subscription.failure();
        if (failure == null) return false;
        String why = "the fax server refused the webhook's key: " + failure.getMessage();
        log.warn("{}: deliveries stopped: {}", webhook, why);
        store.setStopped(webhook.id(), why);
        closed.countDown();
        return true;
    }

    /** Stops delivering (an attempt under way ends first, within the poster's time-out) and closes the webhook's client. */
    @Override
    public void close() {
        closed.countDown();
        AlertSubscription s = subscription;
        if (s != null) s.close();
        try {
            if (thread.isAlive()) thread.join(WebhookPoster.TIMEOUT.toMillis() + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
