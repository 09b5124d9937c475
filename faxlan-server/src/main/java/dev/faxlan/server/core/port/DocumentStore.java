package dev.faxlan.server.core.port;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Finished documents by the SHA-256 of their content, and scratch files for documents the server
 * writes itself. A document is either complete, synced and checked against its hash, or absent.
 */
public interface DocumentStore {
    /** Where document {@code sha256} is (or would be); a name that is not a SHA-256 hex digest is refused. */
    Path document(String sha256);

    boolean hasDocument(String sha256);

    /** A new, empty scratch file; the caller {@link #adopt}s it or deletes it. */
    Path newTempFile() throws IOException;

    /**
     * Makes scratch file {@code tempFile} document {@code sha256}.
     *
     * @throws IOException if its content does not hash to {@code sha256} (the file stays)
     */
    Path adopt(Path tempFile, String sha256) throws IOException;

    /** Deletes the scratch files a previous process left; only at start. Returns the bytes freed. */
    long clearTemp() throws IOException;
}
