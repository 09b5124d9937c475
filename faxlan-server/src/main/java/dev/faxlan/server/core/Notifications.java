package dev.faxlan.server.core;

import dev.faxlan.server.core.port.BusMessage;
import dev.faxlan.server.core.port.EventBus;
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
    /** When set, news for alert subscribers travels on it, so it reaches them on every node; else straight to the sink. */
    private volatile EventBus bus;

    public void setAlertSink(AlertSink sink) {
        this.alerts = sink;
    }

    public void onJobsSubmitted(Runnable r) {
        this.jobsSubmitted = r;
    }

    public void onJobCancelled(LongConsumer c) {
        this.jobCancelled = c;
    }

    /**
     * Sends the news for alert subscribers over {@code bus} from now on, and hands what arrives on
     * it to the alert sink: a user connected to another node hears of a change made on this one.
     */
    public void publishOn(EventBus bus) {
        bus.subscribe(this::deliver);
        this.bus = bus;
    }

    public void eventsAppended(long userId) {
        EventBus b = bus;
        if (b != null) b.publish(new BusMessage.EventsAppended(userId));
        else alerts.eventsAppended(userId);
    }

    public void sessionsEnded() {
        EventBus b = bus;
        if (b != null) b.publish(new BusMessage.SessionsEnded());
        else alerts.sessionsEnded();
    }

    /** A message from the bus, for this node's alert subscribers. */
    private void deliver(BusMessage m) {
        if (m instanceof BusMessage.ForUser u) alerts.eventsAppended(u.userId());
        else if (m instanceof BusMessage.SessionsEnded) alerts.sessionsEnded();
        else if (m instanceof BusMessage.Resync) alerts.catchUp();
    }

    public void jobsSubmitted() {
        jobsSubmitted.run();
    }

    public void jobCancelled(long jobId) {
        jobCancelled.accept(jobId);
    }
}
