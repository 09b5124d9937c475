package dev.faxlan.engine.t38;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * IFP packets in ASN.1 aligned PER as T.38 Annex A defines them, for T.38 versions 0 to 3.
 *
 * <p>Versions differ in the field-type octet: version 0 (the 1998 ASN.1 with its "typo") has no
 * extension bit, so a field header is four bits {@code present|type} and a field without data leaves
 * the next header in the same octet's low half; versions 1 to 3 use a whole octet
 * {@code present<<7 | ext<<6 | type<<3}. Only the basic indicators, data types and field types
 * (no V.8/V.34/V.33 extensions) are supported; extension values are refused with a clear error.
 */
public final class IfpCodec {
    private IfpCodec() {}

    public static byte[] encode(Ifp ifp, int version) {
        checkVersion(version);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        if (ifp instanceof Ifp.Indication ind) {
            out.write(ind.indicator().code() << 1);
            return out.toByteArray();
        }
        Ifp.Data data = (Ifp.Data) ifp;
        List<Ifp.Field> fields = data.fields();
        out.write((fields.isEmpty() ? 0 : 0x80) | 0x40 | (data.type().code() << 1));
        if (fields.isEmpty()) return out.toByteArray();
        writeLength(out, fields.size());
        byte[] buf;
        if (version == 0) {
            // Field headers are 4-bit nibbles; data always starts octet-aligned.
            boolean lowHalfFree = false;
            for (Ifp.Field f : fields) {
                boolean present = f.length() > 0;
                int nibble = (present ? 8 : 0) | f.type().ordinal();
                if (lowHalfFree) {
                    buf = out.toByteArray();
                    buf[buf.length - 1] |= (byte) nibble;
                    out.reset();
                    out.writeBytes(buf);
                    lowHalfFree = false;
                } else {
                    out.write(nibble << 4);
                    lowHalfFree = !present;
                }
                if (present) writeFieldData(out, f);
            }
        } else {
            for (Ifp.Field f : fields) {
                boolean present = f.length() > 0;
                out.write((present ? 0x80 : 0) | (f.type().ordinal() << 3));
                if (present) writeFieldData(out, f);
            }
        }
        return out.toByteArray();
    }

    private static void writeFieldData(ByteArrayOutputStream out, Ifp.Field f) {
        int n = f.length();
        if (n > 65536) throw new IllegalArgumentException("T.38 field data is at most 65536 octets, not " + n);
        out.write((n - 1) >>> 8);
        out.write(n - 1);
        out.writeBytes(f.data());
    }

    /** PER length determinant for counts below 16384 (we never send more fields than that). */
    static void writeLength(ByteArrayOutputStream out, int n) {
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x4000) {
            out.write(0x80 | (n >>> 8));
            out.write(n);
        } else {
            throw new IllegalArgumentException("length " + n + " needs PER fragmentation, which T.38 peers do not use");
        }
    }

    public static Ifp decode(byte[] b, int version) throws T38FormatException {
        return decode(b, 0, b.length, version);
    }

    public static Ifp decode(byte[] b, int off, int len, int version) throws T38FormatException {
        return decode(b, off, len, version, false);
    }

    /**
     * Decodes an IFP rebuilt from UDPTL FEC parity, which carries no lengths: the rebuilt packet is as
     * long as the longest in its group, so octets after the IFP's end are padding, not an error.
     */
    public static Ifp decodePadded(byte[] b, int version) throws T38FormatException {
        return decode(b, 0, b.length, version, true);
    }

    private static Ifp decode(byte[] b, int off, int len, int version, boolean padded) throws T38FormatException {
        checkVersion(version);
        if (len < 1) throw new T38FormatException("empty IFP packet");
        int end = off + len;
        int p = off;
        int first = b[p++] & 0xff;
        boolean dataFieldPresent = (first & 0x80) != 0;
        boolean isData = (first & 0x40) != 0;
        if ((first & 0x20) != 0) throw new T38FormatException("IFP uses an extension " + (isData ? "data type" : "indicator") + " (V.8/V.34/V.33), not supported");
        int code = (first >>> 1) & 0x0f;
        if (!isData) {
            if (dataFieldPresent) throw new T38FormatException("IFP indicator with a data field");
            if (p != end && !padded) throw new T38FormatException("IFP indicator followed by " + (end - p) + " extra octets");
            return new Ifp.Indication(Indicator.of(code));
        }
        DataType type = DataType.of(code);
        if (!dataFieldPresent) {
            if (p != end && !padded) throw new T38FormatException("IFP data without data field followed by " + (end - p) + " octets");
            return new Ifp.Data(type, List.of());
        }
        if (p >= end) throw new T38FormatException("IFP truncated before the field count");
        int count;
        int c0 = b[p++] & 0xff;
        if ((c0 & 0x80) == 0) {
            count = c0;
        } else if ((c0 & 0x40) == 0) {
            if (p >= end) throw new T38FormatException("IFP truncated in the field count");
            count = ((c0 & 0x3f) << 8) | (b[p++] & 0xff);
        } else {
            throw new T38FormatException("IFP field count uses PER fragmentation");
        }
        if (count == 0) throw new T38FormatException("IFP data field with no fields");
        // Each field takes at least half an octet: a larger count is a lie about the length.
        if (count > 2L * (end - p)) throw new T38FormatException("IFP claims " + count + " fields in " + (end - p) + " octets");
        List<Ifp.Field> fields = new ArrayList<>(count);
        boolean inLowHalf = false;
        for (int i = 0; i < count; i++) {
            if (p >= end) throw new T38FormatException("IFP truncated at field " + i);
            boolean present;
            int ft;
            if (version == 0) {
                int octet = b[p] & 0xff;
                int nibble = inLowHalf ? octet & 0x0f : octet >>> 4;
                present = (nibble & 8) != 0;
                ft = nibble & 7;
                if (inLowHalf || present) {
                    p++;
                    inLowHalf = false;
                } else {
                    inLowHalf = true;
                }
            } else {
                int octet = b[p++] & 0xff;
                if ((octet & 0x40) != 0) throw new T38FormatException("IFP field uses an extension type (CM/JM/CI/V34rate), not supported");
                present = (octet & 0x80) != 0;
                ft = (octet >>> 3) & 7;
            }
            FieldType fieldType = FieldType.of(ft);
            byte[] data = new byte[0];
            if (present) {
                if (p + 2 > end) throw new T38FormatException("IFP truncated in the length of field " + i);
                int n = (((b[p] & 0xff) << 8) | (b[p + 1] & 0xff)) + 1;
                p += 2;
                if (p + n > end) throw new T38FormatException("IFP field " + i + " claims " + n + " octets, " + (end - p) + " left");
                data = new byte[n];
                System.arraycopy(b, p, data, 0, n);
                p += n;
            }
            fields.add(new Ifp.Field(fieldType, data));
        }
        if (inLowHalf) p++;
        if (p != end && !padded) throw new T38FormatException("IFP has " + (end - p) + " octets after its last field");
        return new Ifp.Data(type, fields);
    }

    private static void checkVersion(int version) {
        if (version < 0 || version > 3) throw new IllegalArgumentException("T.38 version must be 0 to 3, not " + version);
    }
}
