package dev.faxlan.sdk;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A fax to send: recipients, documents (uploaded first, then referenced by SHA-256) and options.
 *
 * @param resolution standard, fine or superfine; null for the server's default (fine)
 * @param at earliest send time, or null for now
 */
public record SubmitRequest(List<String> to, List<Path> documents, String subject, String cover, String resolution, Instant at) {
    public SubmitRequest {
        to = List.copyOf(to);
        documents = List.copyOf(documents);
    }

    public static SubmitRequest of(String to, Path document) {
        return new SubmitRequest(List.of(to), List.of(document), null, null, null, null);
    }

    public SubmitRequest withSubject(String s) {
        return new SubmitRequest(to, documents, s, cover, resolution, at);
    }
}
