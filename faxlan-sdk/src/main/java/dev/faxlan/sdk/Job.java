package dev.faxlan.sdk;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An outgoing fax job as the server reports it. Times are epoch milliseconds; {@code at} may be null.
 *
 * @param names the documents' file names as uploaded, in the order of {@code documents} ("" where unknown)
 * @param fields the cover page fields the job carries (submit's fields, and To/Company from a phonebook entry)
 */
public record Job(long id, String owner, String submission, String to, String state, String subject, String cover,
        String resolution, Long at, long created, long updated, String reason, List<String> documents,
        int priority, int attempts, List<String> names, Map<String, String> fields) {

    static Job from(Fields f) throws CpiException {
        Map<String, String> fields = new LinkedHashMap<>();
        if (f.has("fields")) {
            for (Map.Entry<String, Object> e : f.map("fields").asMap().entrySet()) fields.put(e.getKey(), String.valueOf(e.getValue()));
        }
        return new Job(f.integer("id"), f.string("owner", ""), f.string("submission", ""), f.string("to"), f.string("state"),
                f.string("subject", null), f.string("cover", null), f.string("resolution", "fine"),
                f.has("at") ? f.integer("at") : null, f.integer("created", 0), f.integer("updated", 0), f.string("reason", null),
                f.has("documents") ? f.strings("documents") : List.of(), (int) f.integer("priority", SubmitRequest.DEFAULT_PRIORITY),
                (int) f.integer("attempts", 0), f.has("names") ? f.strings("names") : List.of(), Map.copyOf(fields));
    }

    /** True once the job will not change any more (done, failed or cancelled). */
    public boolean finished() {
        return state.equals("done") || state.equals("failed") || state.equals("cancelled");
    }
}
