package dev.faxlan.sdk;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;
import java.util.List;

/** An outgoing fax job as the server reports it. Times are epoch milliseconds; {@code at} may be null. */
public record Job(long id, String owner, String submission, String to, String state, String subject, String cover,
        String resolution, Long at, long created, long updated, String reason, List<String> documents) {

    static Job from(Fields f) throws CpiException {
        return new Job(f.integer("id"), f.string("owner", ""), f.string("submission", ""), f.string("to"), f.string("state"),
                f.string("subject", null), f.string("cover", null), f.string("resolution", "fine"),
                f.has("at") ? f.integer("at") : null, f.integer("created", 0), f.integer("updated", 0), f.string("reason", null),
                f.has("documents") ? f.strings("documents") : List.of());
    }

    /** True once the job will not change any more (done, failed or cancelled). */
    public boolean finished() {
        return state.equals("done") || state.equals("failed") || state.equals("cancelled");
    }
}
