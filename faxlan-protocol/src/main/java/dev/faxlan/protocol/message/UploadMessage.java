package dev.faxlan.protocol.message;

/** {@code upload.begin}, {@code upload.data} and {@code upload.status}: all three answer with the upload's {@link State}. */
public sealed interface UploadMessage {
    /** {@code sha256}: 64 hex digits; {@code name}: the file's name, for the job's listing. */
    record Begin(long size, String sha256, @MayBeAbsent String name) implements UploadMessage, CpiRequest<State> {}

    /** The frame before the raw bytes, which run from {@code offset} to the stream's end. */
    record Data(String upload, long offset) implements UploadMessage, CpiRequest<State> {}

    record Status(String upload) implements UploadMessage, CpiRequest<State> {}

    /** Where an upload stands: {@code upload} is its id (hex text), {@code offset} the bytes the server has. */
    record State(String upload, long offset, long size, boolean complete, @MayBeAbsent String sha256) implements UploadMessage {}
}
