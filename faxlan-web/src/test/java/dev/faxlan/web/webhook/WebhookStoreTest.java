package dev.faxlan.web.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookStoreTest {
    static final Instant T0 = Instant.parse("2026-12-07T02:00:00Z");
    @TempDir
    Path data;

    Webhook add(WebhookStore store, String owner, Set<String> events) {
        return store.add(owner, URI.create("https://hooks.example.org/faxlan?token=1"), events, "whsec_x", 7, "fk_secret", T0);
    }

    @Test
    void aWebhookIsKeptWithItsSecretsAndCursorAcrossAReopen() {
        long id;
        try (WebhookStore store = WebhookStore.open(data)) {
            Webhook w = add(store, "alice", Set.of("fax.sent", "fax.failed"));
            id = w.id();
            assertThat(w.cursor()).isNull();
            store.setCursor(id, 41);
            store.setCursor(id, 42);
        }
        try (WebhookStore store = WebhookStore.open(data)) {
            Webhook w = store.get(id).orElseThrow();
            assertThat(w.owner()).isEqualTo("alice");
            assertThat(w.url()).isEqualTo(URI.create("https://hooks.example.org/faxlan?token=1"));
            assertThat(w.events()).containsExactlyInAnyOrder("fax.sent", "fax.failed");
            assertThat(w.secret()).isEqualTo("whsec_x");
            assertThat(w.apiKeyId()).isEqualTo(7);
            assertThat(w.apiKey()).isEqualTo("fk_secret");
            assertThat(w.cursor()).isEqualTo(42);
            assertThat(w.stopped()).isNull();
            assertThat(w.created()).isEqualTo(T0);
            assertThat(w.wants("fax.sent")).isTrue();
            assertThat(w.wants("fax.received")).isFalse();
            assertThat(w.toString()).doesNotContain("whsec_x", "fk_secret", "token");
        }
    }

    @Test
    void ownersSeeTheirOwnAndNoEventListMeansAll() {
        try (WebhookStore store = WebhookStore.open(data)) {
            Webhook a = add(store, "alice", Set.of());
            Webhook b = add(store, "bob", Set.of());
            Webhook a2 = add(store, "alice", Set.of("fax.received"));
            assertThat(store.ownedBy("alice")).extracting(Webhook::id).containsExactly(a.id(), a2.id());
            assertThat(store.ownedBy("bob")).extracting(Webhook::id).containsExactly(b.id());
            assertThat(store.all()).hasSize(3);
            assertThat(store.get(a.id()).orElseThrow().wants("anything.new")).isTrue();
            assertThat(store.remove(a.id())).isTrue();
            assertThat(store.remove(a.id())).isFalse();
            assertThat(store.get(a.id())).isEmpty();
        }
    }

    @Test
    void theDeliveryLogKeepsEachAttemptNewestFirstAndGoesWithItsWebhook() {
        try (WebhookStore store = WebhookStore.open(data)) {
            Webhook w = add(store, "alice", Set.of());
            Webhook other = add(store, "alice", Set.of());
            store.record(attempt(w.id(), "1-5", 1, T0, 500, null, DeliveryAttempt.Outcome.RETRY));
            store.record(attempt(w.id(), "1-5", 2, T0.plusSeconds(10), null, "no answer within 10 s", DeliveryAttempt.Outcome.RETRY));
            store.record(attempt(w.id(), "1-5", 3, T0.plusSeconds(30), 204, null, DeliveryAttempt.Outcome.DELIVERED));
            store.record(attempt(other.id(), "2-5", 1, T0, 200, null, DeliveryAttempt.Outcome.DELIVERED));
            List<DeliveryAttempt> log = store.deliveries(w.id(), 10);
            assertThat(log).extracting(DeliveryAttempt::attempt).containsExactly(3, 2, 1);
            assertThat(log.get(0).status()).isEqualTo(204);
            assertThat(log.get(1).status()).isNull();
            assertThat(log.get(1).error()).isEqualTo("no answer within 10 s");
            assertThat(log.get(2).outcome()).isEqualTo(DeliveryAttempt.Outcome.RETRY);
            assertThat(log.get(0).duration()).isEqualTo(Duration.ofMillis(12));
            assertThat(store.deliveries(w.id(), 2)).hasSize(2);
            assertThat(store.tried(w.id(), "1-5")).contains(new WebhookStore.Tried(3, T0));
            assertThat(store.tried(w.id(), "1-6")).isEmpty();
            store.remove(w.id());
            assertThat(store.deliveries(w.id(), 10)).isEmpty();
            assertThat(store.deliveries(other.id(), 10)).hasSize(1);
        }
    }

    @Test
    void pruningDropsOldAttemptsAndAllButTheNewestOfEachWebhook() {
        try (WebhookStore store = WebhookStore.open(data)) {
            Webhook w = add(store, "alice", Set.of());
            Webhook other = add(store, "bob", Set.of());
            for (int i = 1; i <= 10; i++) store.record(attempt(w.id(), "1-" + i, 1, T0.plusSeconds(i), 200, null, DeliveryAttempt.Outcome.DELIVERED));
            for (int i = 1; i <= 3; i++) store.record(attempt(other.id(), "2-" + i, 1, T0.plusSeconds(i), 200, null, DeliveryAttempt.Outcome.DELIVERED));
            assertThat(store.prune(T0.plusSeconds(2), 4)).isEqualTo(1 + 5 + 1 + 0);
            assertThat(store.deliveries(w.id(), 100)).extracting(DeliveryAttempt::eventId).containsExactly("1-10", "1-9", "1-8", "1-7");
            assertThat(store.deliveries(other.id(), 100)).extracting(DeliveryAttempt::eventId).containsExactly("2-3", "2-2");
        }
    }

    @Test
    void theDatabaseIsForTheProcesssUserAlone() throws Exception {
        try (WebhookStore store = WebhookStore.open(data)) {
            add(store, "alice", Set.of());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("webhooks")))).isEqualTo("rwx------");
            assertThat(Files.list(data.resolve("webhooks")).toList()).isNotEmpty();
        }
    }

    static DeliveryAttempt attempt(long webhook, String event, int n, Instant at, Integer status, String error, DeliveryAttempt.Outcome outcome) {
        return new DeliveryAttempt(webhook, event, "fax.sent", n, at, status, error, Duration.ofMillis(12), outcome);
    }
}
