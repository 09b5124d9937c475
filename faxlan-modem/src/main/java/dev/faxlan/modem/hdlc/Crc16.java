package dev.faxlan.modem.hdlc;

/**
 * The HDLC frame check sequence of T.30 and ISO/IEC 13239: CRC-16-ITU, x^16 + x^12 + x^5 + 1,
 * processed LSB first (reflected polynomial 0x8408), preset to 0xFFFF, sent as the ones' complement
 * low byte first. Run over a frame and its FCS, a good frame leaves {@link #GOOD_RESIDUE}.
 */
public final class Crc16 {
    public static final int PRESET = 0xFFFF;
    public static final int GOOD_RESIDUE = 0xF0B8;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int b = 0; b < 8; b++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x8408 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc16() {
    }

    /** The register after {@code octet}. */
    public static int update(int crc, int octet) {
        return (crc >>> 8) ^ TABLE[(crc ^ octet) & 0xFF];
    }

    /** The register after {@code data[off..off+len)}, starting from {@code crc}. */
    public static int update(int crc, byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = update(crc, data[i]);
        }
        return crc;
    }

    /** The FCS to send after {@code data}: the complemented register, to go out low byte first. */
    public static int fcs(byte[] data, int off, int len) {
        return ~update(PRESET, data, off, len) & 0xFFFF;
    }
}
