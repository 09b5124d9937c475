package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Uploads;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * The upload writers alive on the event loop. A new stream for an upload takes over from an older one
 * (whose connection may be dead but not yet timed out), so a client that reconnects can resume at once.
 * Used only from the event loop thread.
 */
final class UploadRegistry {
    private final Spool spool;
    private final Map<String, Writer> active = new HashMap<>();

    UploadRegistry(Spool spool) {
        this.spool = spool;
    }

    Writer acquire(Uploads.Upload u, long offset) throws CpiException, IOException {
        Writer old = active.remove(u.id());
        if (old != null) old.close();
        long have = spool.partLength(u.id());
        if (offset != have) {
            throw new CpiException(ErrorCode.UPLOAD_OFFSET_MISMATCH, "upload " + u.id() + " continues at offset " + have + ", not " + offset);
        }
        Writer w = new Writer(u, spool.openPart(u.id(), offset), offset);
        active.put(u.id(), w);
        return w;
    }

    void release(Writer w) {
        active.remove(w.upload.id(), w);
        try {
            w.close();
        } catch (IOException ignored) {
            // bytes written so far stay; the client resumes from the part file's length
        }
    }

    static final class Writer {
        private final Uploads.Upload upload;
        private final FileChannel channel;
        private long length;
        private boolean closed;

        Writer(Uploads.Upload upload, FileChannel channel, long length) {
            this.upload = upload;
            this.channel = channel;
            this.length = length;
        }

        Uploads.Upload upload() {
            return upload;
        }

        boolean closed() {
            return closed;
        }

        void write(ByteBuf buf) throws IOException, CpiException {
            int n = buf.readableBytes();
            checkSize(n);
            for (ByteBuffer b : buf.nioBuffers(buf.readerIndex(), n)) {
                while (b.hasRemaining()) channel.write(b);
            }
            buf.skipBytes(n);
            length += n;
        }

        void write(byte[] bytes) throws IOException, CpiException {
            checkSize(bytes.length);
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) channel.write(b);
            length += bytes.length;
        }

        private void checkSize(int n) throws CpiException {
            if (closed) throw new CpiException(ErrorCode.CONFLICT, "upload " + upload.id() + " was taken over by a newer stream");
            if (length + n > upload.size()) {
                throw new CpiException(ErrorCode.UPLOAD_TOO_LARGE, "upload " + upload.id() + " announced " + upload.size() + " bytes but more arrived");
            }
        }

        /** Closes the part file and returns its length. */
        long close() throws IOException {
            if (!closed) {
                closed = true;
                channel.close();
            }
            return length;
        }
    }
}
