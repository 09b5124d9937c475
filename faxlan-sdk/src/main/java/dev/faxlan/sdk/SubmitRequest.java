package dev.faxlan.sdk;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fax to send: recipients, documents (uploaded first, then referenced by SHA-256) and options.
 *
 * @param resolution standard, fine or superfine; null for the server's default (fine)
 * @param at earliest send time, or null for now
 * @param priority 0 to 9, higher sent first among due jobs (default 5)
 * @param fields cover page fields (to, comment, urgent, ...; docs/cover-pages.md), used with a cover page
 * @param owner the user the jobs are to belong to, or null for the caller; naming another user needs an
 *     administrator or a gateway account (the documents are still uploaded by, and must be, the caller's)
 */
public record SubmitRequest(List<String> to, List<Path> documents, String subject, String cover, String resolution, Instant at, int priority,
        Map<String, String> fields, String owner) {
    public static final int DEFAULT_PRIORITY = 5;

    public SubmitRequest {
        to = List.copyOf(to);
        documents = List.copyOf(documents);
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public SubmitRequest(List<String> to, List<Path> documents, String subject, String cover, String resolution, Instant at, int priority,
            Map<String, String> fields) {
        this(to, documents, subject, cover, resolution, at, priority, fields, null);
    }

    public SubmitRequest(List<String> to, List<Path> documents, String subject, String cover, String resolution, Instant at, int priority) {
        this(to, documents, subject, cover, resolution, at, priority, Map.of());
    }

    public SubmitRequest(List<String> to, List<Path> documents, String subject, String cover, String resolution, Instant at) {
        this(to, documents, subject, cover, resolution, at, DEFAULT_PRIORITY);
    }

    public SubmitRequest withPriority(int p) {
        return new SubmitRequest(to, documents, subject, cover, resolution, at, p, fields, owner);
    }

    public static SubmitRequest of(String to, Path document) {
        return new SubmitRequest(List.of(to), List.of(document), null, null, null, null);
    }

    public SubmitRequest withSubject(String s) {
        return new SubmitRequest(to, documents, s, cover, resolution, at, priority, fields, owner);
    }

    public SubmitRequest withFields(Map<String, String> f) {
        return new SubmitRequest(to, documents, subject, cover, resolution, at, priority, f, owner);
    }

    /** The same request with jobs that belong to {@code user} (null: the caller). */
    public SubmitRequest withOwner(String user) {
        return new SubmitRequest(to, documents, subject, cover, resolution, at, priority, fields, user);
    }
}
