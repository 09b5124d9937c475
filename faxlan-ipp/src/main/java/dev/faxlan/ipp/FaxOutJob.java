package dev.faxlan.ipp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One IPP job: made by Print-Job, or by Create-Job and filled by Send-Document. Until its last
 * document it holds the received documents here; then it is the fax jobs it became, one per number.
 * Guarded by its own monitor.
 */
final class FaxOutJob {
    final int id;
    final String owner;
    final String name;
    final List<String> numbers;
    final long createdSeconds;
    private final List<Path> documents = new ArrayList<>();
    private List<Long> faxes = List.of();
    private boolean submitted;
    private boolean canceled;
    private Long completedSeconds;
    private Long processingSeconds;

    FaxOutJob(int id, String owner, String name, List<String> numbers, long createdSeconds) {
        this.id = id;
        this.owner = owner;
        this.name = name;
        this.numbers = List.copyOf(numbers);
        this.createdSeconds = createdSeconds;
    }

    synchronized List<Path> documents() {
        return List.copyOf(documents);
    }

    synchronized void addDocument(Path file) {
        documents.add(file);
    }

    synchronized boolean submitted() {
        return submitted;
    }

    synchronized void submitted(List<Long> faxIds) {
        submitted = true;
        faxes = List.copyOf(faxIds);
        documents.clear();
    }

    synchronized List<Long> faxes() {
        return faxes;
    }

    /** Canceled before it was submitted: it never becomes a fax. */
    synchronized boolean canceled() {
        return canceled;
    }

    synchronized List<Path> cancelUnsubmitted(long nowSeconds) {
        canceled = true;
        completedSeconds = nowSeconds;
        List<Path> dropped = List.copyOf(documents);
        documents.clear();
        return dropped;
    }

    synchronized Long completedSeconds() {
        return completedSeconds;
    }

    synchronized Long processingSeconds() {
        return processingSeconds;
    }

    /** Seen processing (or past it) at {@code nowSeconds}; the first time counts. */
    synchronized void processing(long nowSeconds) {
        if (processingSeconds == null) processingSeconds = nowSeconds;
    }

    synchronized void completed(long nowSeconds) {
        if (completedSeconds == null) completedSeconds = nowSeconds;
    }
}
