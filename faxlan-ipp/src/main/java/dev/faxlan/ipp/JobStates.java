package dev.faxlan.ipp;

import com.hp.jipp.model.JobState;
import java.util.Collection;

/**
 * Where an IPP job stands, from the states of the fax jobs it became (one per destination). The
 * IPP job is pending while any fax waits and none is being sent, processing while any is converted,
 * dialled or sent, and once all are finished: completed when all were sent, aborted when any failed,
 * else canceled.
 */
public final class JobStates {
    private JobStates() {}

    /** The IPP state of one fax job in CPI state {@code cpi} (docs/protocol.md's names). */
    public static JobState of(dev.faxlan.sdk.JobState cpi) {
        return switch (cpi) {
            case QUEUED, RETRY_WAIT -> JobState.pending;
            case CONVERTING, DIALING, SENDING, UNKNOWN -> JobState.processing;
            case DONE -> JobState.completed;
            case FAILED -> JobState.aborted;
            case CANCELLED -> JobState.canceled;
        };
    }

    /** The IPP state of a job whose faxes are in {@code states}; none yet: pending-held (awaiting its document). */
    public static JobState combined(Collection<dev.faxlan.sdk.JobState> states) {
        if (states.isEmpty()) return JobState.pendingHeld;
        boolean anyProcessing = false;
        boolean anyPending = false;
        boolean anyFailed = false;
        boolean anyCancelled = false;
        for (dev.faxlan.sdk.JobState s : states) {
            JobState ipp = of(s);
            if (ipp == JobState.processing) anyProcessing = true;
            else if (ipp == JobState.pending) anyPending = true;
            else if (ipp == JobState.aborted) anyFailed = true;
            else if (ipp == JobState.canceled) anyCancelled = true;
        }
        if (anyProcessing) return JobState.processing;
        if (anyPending) return JobState.pending;
        if (anyFailed) return JobState.aborted;
        return anyCancelled ? JobState.canceled : JobState.completed;
    }

    /** The job-state-reasons keyword that goes with {@code state}. */
    public static String reason(JobState state) {
        if (state == JobState.pendingHeld) return "job-incoming";
        if (state == JobState.pending) return "job-queued";
        if (state == JobState.processing) return "job-transmitting";
        if (state == JobState.completed) return "job-completed-successfully";
        if (state == JobState.aborted) return "aborted-by-system";
        if (state == JobState.canceled) return "job-canceled-by-user";
        return "none";
    }

    /** True for the states a job never leaves. */
    public static boolean finished(JobState state) {
        return state == JobState.completed || state == JobState.aborted || state == JobState.canceled;
    }
}
