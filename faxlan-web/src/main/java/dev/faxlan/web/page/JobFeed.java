package dev.faxlan.web.page;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faxlan.sdk.Alert;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import io.javalin.http.sse.SseClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's live state: one alert subscription of the browser session's CPI session, fanned out
 * as server-sent events ({@code job}, its data a JSON object of the job's id, state, to, subject and
 * reason) to each outbox page the browser has open. The subscription starts at login, so a job
 * submitted from the pages is never older than the feed.
 */
final class JobFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaxlanClient client;
    private final String subscriber;
    private final List<SseClient> listeners = new CopyOnWriteArrayList<>();
    private volatile AlertSubscription subscription;

    JobFeed(FaxlanClient client, String subscriber) {
        this.client = client;
        this.subscriber = subscriber;
    }

    void start() {
        subscription = client.subscribe(subscriber, null, this::onAlert);
    }

    /**
     * Adds an open outbox page: it is first sent every job's present state, then each change. Both
     * under one lock, so a change is never sent before the older state of the list.
     */
    synchronized void add(SseClient sse) {
        listeners.add(sse);
        sse.onClose(() -> listeners.remove(sse));
        try {
            for (Job j : client.jobs(true)) send(sse, event(j.id(), j.state(), j.to(), j.subject(), j.reason()));
        } catch (RuntimeException e) {
            // the page keeps what it rendered; changes still arrive
            log.debug("outbox feed of {}: no job list: {}", subscriber, e.toString());
        }
    }

    private synchronized void onAlert(Alert a) {
        if (!"job".equals(a.type())) return;
        Map<String, Object> b = a.body();
        String data = event(((Number) b.get("job")).longValue(), (String) b.get("state"), (String) b.get("to"), (String) b.get("subject"),
                (String) b.get("reason"));
        for (SseClient sse : listeners) send(sse, data);
    }

    private void send(SseClient sse, String data) {
        if (sse.terminated()) {
            listeners.remove(sse);
            return;
        }
        sse.sendEvent("job", data);
    }

    static String event(long id, String state, String to, String subject, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", state);
        m.put("to", to);
        m.put("subject", subject);
        m.put("reason", reason);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        AlertSubscription s = subscription;
        if (s != null) s.close();
        for (SseClient sse : listeners) sse.close();
        listeners.clear();
    }
}
