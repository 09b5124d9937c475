package dev.faxlan.sdk;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A fax to send: recipients, documents (uploaded first, then referenced by SHA-256) and options.
 *
 * @param resolution standard, fine or superfine; null for the server's default (fine)
 * @param at earliest send time, or null for now
 * @param priority 0 to 9, higher sent first among due jobs (default 5)
 */
public record SubmitRequest(List<String> to, List<Path> documents, String subject, String cover, String resolution, Instant at, int priority) {
    public static final int DEFAULT_PRIORITY = 5;

    public SubmitRequest {
        to = List.copyOf(to);
        documents = List.copyOf(documents);
    }

    public SubmitRequest(List<String> to, List<Path> documents, String subject, String cover, String resolution, Instant at) {
        this(to, documents, subject, cover, resolution, at, DEFAULT_PRIORITY);
    }

    public SubmitRequest withPriority(int p) {
        return new SubmitRequest(to, documents, subject, cover, resolution, at, p);
    }

    public static SubmitRequest of(String to, Path document) {
        return new SubmitRequest(List.of(to), List.of(document), null, null, null, null);
    }

    public SubmitRequest withSubject(String s) {
        return new SubmitRequest(to, documents, s, cover, resolution, at, priority);
    }
}
