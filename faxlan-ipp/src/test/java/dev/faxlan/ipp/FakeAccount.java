package dev.faxlan.ipp;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.JobState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fax server account in memory: submissions are recorded, states are set by the test. */
final class FakeAccount implements FaxAccount {
    record Submission(List<String> numbers, List<String> documents, String subject) {}

    private final String user;
    private final Map<Long, Fax> faxes;
    final List<Submission> submissions = new ArrayList<>();
    final List<Long> cancelled = new ArrayList<>();
    private long nextId;
    /** Numbers the "server" refuses, as a number plan does. */
    final List<String> refused = new ArrayList<>();

    FakeAccount(String user, Map<Long, Fax> shared, long firstId) {
        this.user = user;
        this.faxes = shared;
        this.nextId = firstId;
    }

    FakeAccount(String user) {
        this(user, new LinkedHashMap<>(), 100);
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public List<Long> submit(List<String> numbers, List<Path> documents, String subject) {
        for (String n : numbers) if (refused.contains(n)) throw new FaxlanException.Refused(ErrorCode.BAD_REQUEST, "no line dials " + n);
        List<String> contents = new ArrayList<>();
        for (Path d : documents) {
            try {
                contents.add(Files.readString(d));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        submissions.add(new Submission(numbers, contents, subject));
        List<Long> ids = new ArrayList<>();
        for (String n : numbers) {
            long id = nextId++;
            faxes.put(id, new Fax(id, JobState.QUEUED, null));
            ids.add(id);
        }
        return ids;
    }

    void set(long id, JobState state, String reason) {
        faxes.put(id, new Fax(id, state, reason));
    }

    @Override
    public Map<Long, Fax> faxes(Collection<Long> ids) {
        Map<Long, Fax> m = new HashMap<>();
        for (Long id : ids) if (faxes.containsKey(id)) m.put(id, faxes.get(id));
        return m;
    }

    @Override
    public void cancel(long id) {
        cancelled.add(id);
        set(id, JobState.CANCELLED, "cancelled by " + user);
    }
}
