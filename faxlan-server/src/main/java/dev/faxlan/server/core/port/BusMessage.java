package dev.faxlan.server.core.port;

import dev.faxlan.server.service.JobState;

/** What travels on the {@link EventBus}: news for a user's subscribers, and commands for whichever node can act. */
public sealed interface BusMessage {
    /** News about one user's jobs or faxes: delivered to that user's subscriptions. */
    sealed interface ForUser extends BusMessage {
        long userId();
    }

    /** A job changed state; its event is already in the user's event log. */
    record JobChanged(long userId, long jobId, JobState state) implements ForUser {}

    /** A fax arrived for the user (or a mailbox the user reads); its event is already in the log. */
    record FaxReceived(long userId, long faxId) implements ForUser {}

    /** A command: the node holding job {@code jobId}'s call hangs it up (the job was cancelled). */
    record HangUp(long jobId) implements BusMessage {}

    /** The user's event log grew (a submit, a cancel, a transition): their subscribers read it from where they are. */
    record EventsAppended(long userId) implements ForUser {}

    /** Sessions ended (logout, expiry, password change, account removed): alert subscriptions they made end, on every node. */
    record SessionsEnded() implements BusMessage {}

    /**
     * The bus was cut off from the other nodes for a while (its database connection was lost) and
     * may have missed their messages: listeners re-read from storage what they rely on (the event
     * log, the state of the jobs whose calls they hold). A user's subscription gets it as
     * {@link EventsAppended} for that user.
     */
    record Resync() implements BusMessage {}
}
