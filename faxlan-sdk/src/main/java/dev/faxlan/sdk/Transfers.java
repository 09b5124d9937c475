package dev.faxlan.sdk;

import static dev.faxlan.sdk.FaxlanClient.FIRST_BACKOFF_MS;
import static dev.faxlan.sdk.FaxlanClient.MAX_ATTEMPT_MS;
import static dev.faxlan.sdk.FaxlanClient.MAX_BACKOFF_MS;
import static dev.faxlan.sdk.FaxlanClient.sha256;
import static dev.faxlan.sdk.ServerLink.get;
import static dev.faxlan.sdk.ServerLink.sleep;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.InboxMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.UploadMessage;
import dev.faxlan.sdk.transport.CpiConnection;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Uploads and downloads, which carry raw bytes after their frame on one stream and so cannot use the
 * client's plain retry loop: they resume at the offset the bytes reached, and their deadline counts
 * from the last progress, not from the start.
 */
final class Transfers {
    private final ServerLink client;
    private final long timeoutMs;

    Transfers(ServerLink client) {
        this.client = client;
        this.timeoutMs = client.timeoutMs();
    }

    /** Uploads a file (resuming after failures) and returns its SHA-256 as the server knows it. */
    String upload(Path file, LongConsumer progress) {
        long size;
        String sha;
        try {
            size = Files.size(file);
            sha = sha256(file);
        } catch (IOException e) {
            throw new FaxlanException("cannot read " + file + ": " + e.getMessage(), 1, e);
        }
        UploadMessage.State begin = client.call(new UploadMessage.Begin(size, sha, file.getFileName().toString()));
        String id = begin.upload();
        long offset = begin.offset();
        if (begin.complete()) {
            progress.accept(size);
            return sha;
        }
        Retries retries = new Retries();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                retries.checkDeadline("upload of " + file, "offset " + offset);
                try {
                    CpiConnection conn = client.connection(retries.deadline);
                    Message.Request header = client.sessionRequest(Op.UPLOAD_DATA, new UploadMessage.Data(id, offset), retries.deadline);
                    long start = offset;
                    AtomicLong sent = new AtomicLong(offset);
                    Message m = awaitProgress(conn.upload(header, ch, offset, size, p -> {
                        sent.set(p);
                        progress.accept(p);
                    }), sent);
                    if (m instanceof Message.Ok ok) {
                        UploadMessage.State state = get(() -> MessageCodec.decode(UploadMessage.State.class, ok.body()));
                        if (state.complete()) return sha;
                        offset = state.offset();
                    } else if (m instanceof Message.Error e) {
                        if (e.code() == ErrorCode.UPLOAD_OFFSET_MISMATCH) {
                            offset = status(id).offset();
                        } else if (e.code() == ErrorCode.SESSION_EXPIRED) {
                            client.sessionExpired();
                        } else if (e.code() == ErrorCode.CONFLICT && status(id).complete()) {
                            return sha;
                        } else if (!e.code().retryable()) {
                            throw new FaxlanException.Refused(e.code(), e.message());
                        }
                    }
                    if (offset > start) retries.progressed();
                } catch (InterruptedException e) {
                    throw interrupted(e);
                } catch (IOException | TimeoutException e) {
                    retries.connectionFailed(e);
                    try {
                        // One status call tells both where to resume and whether the server already has it all.
                        UploadMessage.State status = status(id);
                        if (status.complete()) return sha;
                        long before = offset;
                        offset = status.offset();
                        if (offset > before) retries.restartDeadline();
                    } catch (FaxlanException.Unreachable u) {
                        retries.last = u;
                    }
                }
            }
        } catch (IOException e) {
            throw new FaxlanException("cannot read " + file + ": " + e.getMessage(), 1, e);
        }
    }

    private UploadMessage.State status(String id) {
        return client.call(new UploadMessage.Status(id));
    }

    /**
     * Downloads a received fax's document to {@code out} through {@code out.part}, resuming after
     * failures, and checks its SHA-256 against {@code fax}'s.
     */
    InboxFax download(long id, InboxFax fax, Path part, Path out, LongConsumer progress) {
        Retries retries = new Retries();
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ)) {
            long offset = 0;
            while (true) {
                retries.checkDeadline("download of fax " + id, "byte " + offset);
                AtomicLong got = new AtomicLong(offset);
                try {
                    CpiConnection conn = client.connection(retries.deadline);
                    Message.Request req = client.sessionRequest(Op.INBOX_FETCH, new InboxMessage.Fetch(id, offset), retries.deadline);
                    Message m = awaitProgress(conn.fetch(req, ch, p -> {
                        got.set(p);
                        progress.accept(p);
                    }), got);
                    if (m instanceof Message.Ok) break;
                    if (m instanceof Message.Error e) {
                        if (e.code() == ErrorCode.SESSION_EXPIRED) {
                            client.sessionExpired();
                            continue;
                        }
                        if (!e.code().retryable()) throw new FaxlanException.Refused(e.code(), e.message());
                        retries.failed(e.toException());
                    }
                } catch (InterruptedException e) {
                    throw interrupted(e);
                } catch (IOException | TimeoutException e) {
                    retries.connectionFailed(e);
                }
                // Resume after the bytes that arrived; the deadline counts from the last progress.
                if (got.get() > offset) {
                    offset = got.get();
                    retries.restartDeadline();
                }
                ch.truncate(offset);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new FaxlanException("cannot write " + part + ": " + e.getMessage(), 1, e);
        }
        try {
            String sha = sha256(part);
            if (fax.sha256() != null && !sha.equals(fax.sha256())) {
                throw new FaxlanException("fax " + id + " arrived with SHA-256 " + sha + ", not the server's " + fax.sha256() + "; fetch it again", 1);
            }
            Files.move(part, out, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new FaxlanException("cannot write " + out + ": " + e.getMessage(), 1, e);
        }
        return fax;
    }

    private static FaxlanException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new FaxlanException("interrupted", 1, e);
    }

    /**
     * The pace of one transfer's attempts: it gives up when no byte moved for the timeout (the deadline
     * moves with progress), and waits between failed attempts twice as long each time, with jitter.
     */
    private final class Retries {
        long deadline = client.deadline();
        long backoff = FIRST_BACKOFF_MS;
        /** Why the last attempt failed, for the message when the transfer gives up. */
        Throwable last;

        /** Gives up with {@code what} and {@code where} it stood once the deadline has passed. */
        void checkDeadline(String what, String where) {
            if (System.currentTimeMillis() > deadline) {
                throw new FaxlanException.Unreachable(what + " made no progress for " + timeoutMs + " ms at " + where
                        + (last != null ? " (" + last.getMessage() + ")" : ""), last);
            }
        }

        /** Bytes moved: a whole timeout again from now. */
        void restartDeadline() {
            deadline = client.deadline();
        }

        /** An attempt moved bytes: a whole timeout again, and the next failure waits the shortest time. */
        void progressed() {
            restartDeadline();
            backoff = FIRST_BACKOFF_MS;
        }

        /** The connection failed or stalled: it is dropped (the next attempt opens a new one) and the attempt waits. */
        void connectionFailed(Exception e) {
            client.dropConnection();
            failed(e);
        }

        /** An attempt failed with {@code e}: waits the backoff (never past the deadline), then doubles it. */
        void failed(Throwable e) {
            last = e;
            sleep(backoff, deadline);
            backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
        }
    }

    private Message awaitProgress(CompletableFuture<Message> f, AtomicLong sent) throws IOException, TimeoutException, InterruptedException {
        // A transfer may take long; it fails only when no byte moved for the whole timeout.
        long lastSent = sent.get();
        long lastMove = System.currentTimeMillis();
        while (true) {
            try {
                return f.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long s = sent.get();
                long now = System.currentTimeMillis();
                if (s != lastSent) {
                    lastSent = s;
                    lastMove = now;
                } else if (now - lastMove > Math.min(timeoutMs, MAX_ATTEMPT_MS)) {
                    throw new TimeoutException("upload stalled at byte " + s);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
    }
}
