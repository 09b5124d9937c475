package dev.faxlan.transport;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.FrameBuffer;
import dev.faxlan.protocol.Message;
import io.netty.buffer.ByteBuf;

/**
 * Reads the CPI frame that opens a QUIC stream from the {@link ByteBuf}s the stream delivers, in
 * whatever pieces they arrive. One per stream and direction; the caller still owns (and releases)
 * each buffer. Bytes that follow the frame (upload or fetch data) stay available through {@link #rest()}.
 */
public final class FrameReader {
    private final FrameBuffer frames = new FrameBuffer();
    private final int maxBuffered;

    /** A reader for frames up to {@link CpiCodec#MAX_FRAME}. */
    public FrameReader() {
        this(Integer.MAX_VALUE);
    }

    /** A reader that refuses to hold more than {@code maxBuffered} bytes of an unfinished frame. */
    public FrameReader(int maxBuffered) {
        this.maxBuffered = maxBuffered;
    }

    /**
     * Takes every readable byte of {@code buf}.
     *
     * @return the next complete frame's body, or null while more bytes are needed
     * @throws CpiException when the frame announces more than {@link CpiCodec#MAX_FRAME}, or more than this reader holds
     */
    public byte[] read(ByteBuf buf) throws CpiException {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        frames.append(b, 0, b.length);
        if (frames.buffered() > maxBuffered) {
            throw new CpiException(ErrorCode.BAD_REQUEST, "a frame here is at most " + maxBuffered + " bytes, not " + frames.buffered());
        }
        return frames.poll();
    }

    /** As {@link #read(ByteBuf)}, decoded; null while more bytes are needed. */
    public Message readMessage(ByteBuf buf) throws CpiException {
        byte[] frame = read(buf);
        return frame == null ? null : CpiCodec.decode(frame);
    }

    /** The bytes that arrived after the frame, taken out of the reader. */
    public byte[] rest() {
        return frames.drain();
    }
}
