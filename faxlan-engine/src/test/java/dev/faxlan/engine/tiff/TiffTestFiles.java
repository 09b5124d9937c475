package dev.faxlan.engine.tiff;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Byte-level surgery on little-endian TIFFs written by {@link TiffWriter}, for tests. */
final class TiffTestFiles {

    private TiffTestFiles() {
    }

    /** Position of the 12-byte IFD entry for {@code tag} in the first IFD, or -1. */
    static int entry(byte[] tiff, int tag) {
        ByteBuffer b = ByteBuffer.wrap(tiff).order(ByteOrder.LITTLE_ENDIAN);
        int ifd = b.getInt(4);
        int n = b.getShort(ifd) & 0xFFFF;
        for (int i = 0; i < n; i++) {
            int p = ifd + 2 + 12 * i;
            if ((b.getShort(p) & 0xFFFF) == tag) {
                return p;
            }
        }
        return -1;
    }

    /** An uncompressed single-page file converted to min-is-black with inverted pixels. */
    static byte[] toMinIsBlack(byte[] uncompressed) {
        byte[] t = uncompressed.clone();
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(entry(t, TiffTags.PHOTOMETRIC) + 8, (short) 1);
        int off = b.getInt(entry(t, TiffTags.STRIP_OFFSETS) + 8);
        int len = b.getInt(entry(t, TiffTags.STRIP_BYTE_COUNTS) + 8);
        for (int i = off; i < off + len; i++) {
            t[i] = (byte) ~t[i];
        }
        return t;
    }
}
