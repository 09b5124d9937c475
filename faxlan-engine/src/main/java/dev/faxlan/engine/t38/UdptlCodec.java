package dev.faxlan.engine.t38;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Encoding and decoding of {@link UdptlPacket}s in aligned PER. Pure functions over bytes. */
public final class UdptlCodec {
    /** Most recovery items accepted in one packet; real peers send at most a handful. */
    public static final int MAX_RECOVERY_ITEMS = 32;

    private UdptlCodec() {}

    public static byte[] encode(UdptlPacket p) {
        // Sized exactly, so that the packet is built in one array (one packet per IFP at every call).
        Exact out = new Exact(encodedSize(p));
        out.write(p.seq() >>> 8);
        out.write(p.seq());
        openType(out, p.primary());
        if (p.recovery() instanceof UdptlPacket.Fec fec) {
            out.write(0x80);
            out.write(1);
            out.write(fec.span());
            out.write(fec.entries().size());
            for (byte[] e : fec.entries()) openType(out, e);
        } else {
            List<byte[]> sec = ((UdptlPacket.Redundancy) p.recovery()).secondaries();
            out.write(0x00);
            IfpCodec.writeLength(out, sec.size());
            for (byte[] s : sec) openType(out, s);
        }
        return out.bytes();
    }

    private static int encodedSize(UdptlPacket p) {
        int size = 2 + openTypeSize(p.primary().length) + 1;
        List<byte[]> items;
        if (p.recovery() instanceof UdptlPacket.Fec fec) {
            size += 3;
            items = fec.entries();
        } else {
            items = ((UdptlPacket.Redundancy) p.recovery()).secondaries();
            size += items.size() < 0x80 ? 1 : 2;
        }
        for (byte[] item : items) size += openTypeSize(item.length);
        return size;
    }

    /** An output stream whose array is handed out as it is when it was filled exactly. */
    private static final class Exact extends ByteArrayOutputStream {
        Exact(int size) {
            super(size);
        }

        byte[] bytes() {
            return count == buf.length ? buf : toByteArray();
        }
    }

    /** Encoded size of an open type holding {@code n} octets. */
    static int openTypeSize(int n) {
        return (n < 0x80 ? 1 : 2) + Math.max(1, n);
    }

    private static void openType(ByteArrayOutputStream out, byte[] data) {
        if (data.length == 0) {
            // PER: an empty open type is carried as one zero octet.
            out.write(1);
            out.write(0);
            return;
        }
        IfpCodec.writeLength(out, data.length);
        out.writeBytes(data);
    }

    public static UdptlPacket decode(byte[] b) throws T38FormatException {
        return decode(b, 0, b.length);
    }

    public static UdptlPacket decode(byte[] b, int off, int len) throws T38FormatException {
        Cursor c = new Cursor(b, off, off + len);
        if (len < 2) throw new T38FormatException("UDPTL packet of " + len + " octets is too short");
        int seq = c.u8() << 8 | c.u8();
        byte[] primary = c.openType("primary IFP", -1);
        int kind = c.u8();
        UdptlPacket.Recovery recovery;
        if ((kind & 0x80) == 0) {
            int n = c.length("secondary count", -1, "");
            if (n > MAX_RECOVERY_ITEMS) throw new T38FormatException("UDPTL packet carries " + n + " secondary IFPs, more than " + MAX_RECOVERY_ITEMS);
            List<byte[]> sec = new ArrayList<>(n);
            for (int i = 0; i < n; i++) sec.add(c.openType("secondary IFP", i));
            recovery = new UdptlPacket.Redundancy(sec);
        } else {
            if (c.u8() != 1) throw new T38FormatException("UDPTL FEC span is not a one-octet integer");
            int span = c.u8();
            int n = c.u8();
            if (n > MAX_RECOVERY_ITEMS) throw new T38FormatException("UDPTL packet carries " + n + " FEC entries, more than " + MAX_RECOVERY_ITEMS);
            List<byte[]> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) entries.add(c.openType("FEC entry", i));
            recovery = new UdptlPacket.Fec(span, entries);
        }
        if (c.p != c.end) throw new T38FormatException("UDPTL packet has " + (c.end - c.p) + " octets after its recovery data");
        return new UdptlPacket(seq, primary, recovery);
    }

    private static final class Cursor {
        final byte[] b;
        int p;
        final int end;

        Cursor(byte[] b, int p, int end) {
            this.b = b;
            this.p = p;
            this.end = end;
        }

        int u8() throws T38FormatException {
            if (p >= end) throw new T38FormatException("UDPTL packet truncated at octet " + p);
            return b[p++] & 0xff;
        }

        /** What is read, for an error: {@code what}, then its {@code index} unless negative, then {@code part}. */
        private static String name(String what, int index, String part) {
            return (index < 0 ? what : what + " " + index) + part;
        }

        // Names are put together only for an error: this runs for every item of every packet.
        int length(String what, int index, String part) throws T38FormatException {
            int l0 = u8();
            if ((l0 & 0x80) == 0) return l0;
            if ((l0 & 0x40) == 0) return (l0 & 0x3f) << 8 | u8();
            throw new T38FormatException("UDPTL " + name(what, index, part) + " uses PER fragmentation");
        }

        byte[] openType(String what, int index) throws T38FormatException {
            int n = length(what, index, " length");
            if (n > end - p) throw new T38FormatException("UDPTL " + name(what, index, "") + " claims " + n + " octets, " + (end - p) + " left");
            byte[] out = new byte[n];
            System.arraycopy(b, p, out, 0, n);
            p += n;
            return out;
        }
    }
}
