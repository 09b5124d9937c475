package dev.faxlan.protocol;

import java.util.Arrays;

/**
 * Reassembles length-prefixed CPI frames from the chunks a stream delivers. Holds at most one frame
 * plus its prefix, so a peer announcing a huge frame is refused before any memory is spent on it.
 */
public final class FrameBuffer {
    private byte[] buf = new byte[256];
    private int len;

    /** Appends bytes; throws as soon as the pending frame is known to exceed {@link CpiCodec#MAX_FRAME}. */
    public void append(byte[] src, int off, int n) throws CpiException {
        if (len + n > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) len + n);
            if (want > 4L + CpiCodec.MAX_FRAME + (1 << 16)) want = Math.max(len + n, 4 + CpiCodec.MAX_FRAME);
            buf = Arrays.copyOf(buf, (int) Math.min(want, Integer.MAX_VALUE - 8));
        }
        System.arraycopy(src, off, buf, len, n);
        len += n;
        if (len >= 4) CpiCodec.frameLength(buf);
    }

    /** The next complete frame's CBOR body, or null when more bytes are needed. */
    public byte[] poll() throws CpiException {
        if (len < 4) return null;
        int frame = CpiCodec.frameLength(buf);
        if (len < 4 + frame) return null;
        byte[] body = Arrays.copyOfRange(buf, 4, 4 + frame);
        System.arraycopy(buf, 4 + frame, buf, 0, len - 4 - frame);
        len -= 4 + frame;
        return body;
    }

    /** Bytes after the last polled frame (raw upload data that followed a header frame). */
    public byte[] drain() {
        byte[] rest = Arrays.copyOf(buf, len);
        len = 0;
        return rest;
    }

    public int buffered() {
        return len;
    }
}
