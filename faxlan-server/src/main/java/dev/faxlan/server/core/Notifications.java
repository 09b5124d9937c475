package dev.faxlan.server.core;

import dev.faxlan.server.service.AlertSink;
import java.util.function.LongConsumer;

/**
 * Where the core tells the rest of the server what a committed change means for it: alert
 * subscribers (a user's event log grew, sessions ended) and the dispatcher (jobs were submitted, a
 * job was cancelled). The listeners are set once at start-up, after the core is built.
 */
public final class Notifications {
    private volatile AlertSink alerts = userId -> {};
    private volatile Runnable jobsSubmitted = () -> {};
    private volatile LongConsumer jobCancelled = id -> {};

    public void setAlertSink(AlertSink sink) {
        this.alerts = sink;
    }

    public void onJobsSubmitted(Runnable r) {
        this.jobsSubmitted = r;
    }

    public void onJobCancelled(LongConsumer c) {
        this.jobCancelled = c;
    }

    public void eventsAppended(long userId) {
        alerts.eventsAppended(userId);
    }

    public void sessionsEnded() {
        alerts.sessionsEnded();
    }

    public void jobsSubmitted() {
        jobsSubmitted.run();
    }

    public void jobCancelled(long jobId) {
        jobCancelled.accept(jobId);
    }
}
