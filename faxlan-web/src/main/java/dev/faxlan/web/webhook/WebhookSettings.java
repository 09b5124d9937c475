package dev.faxlan.web.webhook;

import dev.faxlan.cli.settings.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The webhook settings of {@code faxlan web} (docs/web.md, "Webhooks").
 *
 * @param retryFor how long a failing delivery is tried again before it is given up (at least a day by default)
 * @param firstRetry the wait before the first retry; each later wait doubles, up to {@link RetrySchedule#MAX_WAIT}
 * @param allowPrivate whether webhook URLs may reach loopback, link-local and private addresses
 * @param logKept how long the delivery log keeps an attempt
 * @param queuedEvents the events of one webhook held in memory while its receiver fails; the rest wait in the server's event log
 */
public record WebhookSettings(Duration retryFor, Duration firstRetry, boolean allowPrivate, Duration logKept, int queuedEvents) {
    public static final List<String> KEYS = List.of("webhook.retry.hours", "webhook.retry.first.seconds", "webhook.allow.private", "webhook.log.days",
            "webhook.queue.events");

    /** The defaults: retried for 24 h, first after 10 s, public addresses only, the log kept 7 days, 1,000 events in memory per webhook. */
    public static WebhookSettings defaults() {
        return new WebhookSettings(Duration.ofHours(24), Duration.ofSeconds(10), false, Duration.ofDays(7), 1000);
    }

    /** The webhook settings in {@code p}; problems go to {@code r}'s list. */
    public static WebhookSettings parse(Properties p, SettingsReader r, List<String> problems) {
        int hours = r.number("webhook.retry.hours", 24, 1, 24 * 30);
        int first = r.number("webhook.retry.first.seconds", 10, 1, 3600);
        int days = r.number("webhook.log.days", 7, 1, 365);
        int queued = r.number("webhook.queue.events", 1000, 10, 100_000);
        String allow = p.getProperty("webhook.allow.private", "false").strip();
        if (!allow.equals("true") && !allow.equals("false")) {
            problems.add("webhook.allow.private must be true or false, not '" + allow + "'");
        }
        return new WebhookSettings(Duration.ofHours(hours), Duration.ofSeconds(first), allow.equals("true"), Duration.ofDays(days), queued);
    }

    /** When failed deliveries are tried again under these settings. */
    public RetrySchedule retrySchedule() {
        return new RetrySchedule(firstRetry, retryFor);
    }
}
