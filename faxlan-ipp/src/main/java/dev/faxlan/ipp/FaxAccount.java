package dev.faxlan.ipp;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.JobState;
import dev.faxlan.sdk.SubmitRequest;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the IPP service asks of the fax server on behalf of one authenticated user. The real one is
 * that user's own CPI session ({@link #of}), so the server checks every permission; tests put a fake
 * in its place.
 */
public interface FaxAccount {
    /** One fax job as the server reports it: its CPI state and, once finished, why. */
    record Fax(long id, JobState state, String reason) {}

    /** The user the account acts as. */
    String user();

    /** Uploads {@code documents} and creates one fax job per number; their ids, in the numbers' order. */
    List<Long> submit(List<String> numbers, List<Path> documents, String subject);

    /** The user's fax jobs among {@code ids}; an id the server no longer knows is missing from the map. */
    Map<Long, Fax> faxes(Collection<Long> ids);

    /** Cancels one fax job. */
    void cancel(long id);

    /** The account of {@code client}'s user. */
    static FaxAccount of(FaxlanClient client) {
        return new FaxAccount() {
            @Override
            public String user() {
                return client.user();
            }

            @Override
            public List<Long> submit(List<String> numbers, List<Path> documents, String subject) {
                return client.submit(new SubmitRequest(numbers, documents, subject, null, null, null)).stream().map(Job::id).toList();
            }

            @Override
            public Map<Long, Fax> faxes(Collection<Long> ids) {
                Set<Long> wanted = new HashSet<>(ids);
                Map<Long, Fax> found = new HashMap<>();
                if (wanted.size() == 1) {
                    Job j = client.job(wanted.iterator().next());
                    found.put(j.id(), new Fax(j.id(), j.status(), j.reason()));
                    return found;
                }
                for (Job j : client.jobs(true)) if (wanted.contains(j.id())) found.put(j.id(), new Fax(j.id(), j.status(), j.reason()));
                return found;
            }

            @Override
            public void cancel(long id) {
                client.cancel(id);
            }
        };
    }
}
