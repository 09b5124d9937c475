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
}
