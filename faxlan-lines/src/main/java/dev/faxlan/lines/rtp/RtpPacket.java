package dev.faxlan.lines.rtp;

import java.util.Arrays;

/**
 * One RTP packet (RFC 3550 §5.1) as a fax call needs it: payload type, sequence number, timestamp,
 * SSRC, marker and the payload. CSRCs, a header extension and padding are read past on decoding and
 * never written. {@link #decode} and {@link #encode} are pure functions over bytes.
 *
 * @param sequence 16 bits, unsigned
 * @param timestamp 32 bits, unsigned (held in an int: compare with subtraction)
 */
public record RtpPacket(int payloadType, boolean marker, int sequence, int timestamp, int ssrc, byte[] payload) {
    /** RTP version 2, the only one. */
    public static final int VERSION = 2;
    /** Fixed header: V/P/X/CC, M/PT, sequence, timestamp, SSRC. */
    public static final int HEADER = 12;
    /** G.711 µ-law (RFC 3551 table 4). */
    public static final int PCMU = 0;
    /** G.711 A-law. */
    public static final int PCMA = 8;

    public RtpPacket {
        if (payloadType < 0 || payloadType > 127) throw new IllegalArgumentException("RTP payload type " + payloadType + " is not 0..127");
        if (sequence < 0 || sequence > 0xFFFF) throw new IllegalArgumentException("RTP sequence " + sequence + " is not 0..65535");
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The payload's length without copying it. */
    public int payloadLength() {
        return payload.length;
    }

    /** Copies the payload into {@code dst} at {@code off}. */
    public void payloadInto(byte[] dst, int off) {
        System.arraycopy(payload, 0, dst, off, payload.length);
    }

    /**
     * Whether {@code datagram} is RTCP rather than RTP on a shared port (RFC 5761 §4: the second octet
     * of RTCP is a packet type 192..223, which as RTP would be marker set and payload type 64..95).
     */
    public static boolean isRtcp(byte[] datagram) {
        if (datagram.length < 2) return false;
        int pt = datagram[1] & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    /** Reads one RTP packet; anything that is not one is an {@link RtpFormatException} naming why. */
    public static RtpPacket decode(byte[] d) throws RtpFormatException {
        if (d.length < HEADER) throw new RtpFormatException("RTP packet of " + d.length + " octets is shorter than the 12-octet header");
        int version = (d[0] & 0xFF) >>> 6;
        if (version != VERSION) throw new RtpFormatException("RTP version " + version + ", not 2");
        boolean padding = (d[0] & 0x20) != 0;
        boolean extension = (d[0] & 0x10) != 0;
        int csrcs = d[0] & 0x0F;
        int at = HEADER + 4 * csrcs;
        if (extension) {
            if (d.length < at + 4) throw new RtpFormatException("RTP header extension cut off at " + d.length + " octets");
            int words = ((d[at + 2] & 0xFF) << 8) | (d[at + 3] & 0xFF);
            at += 4 + 4 * words;
        }
        int end = d.length;
        if (padding) {
            if (end == 0 || end <= at) throw new RtpFormatException("RTP padding flag set but no payload");
            int pad = d[end - 1] & 0xFF;
            if (pad == 0 || pad > end - at) throw new RtpFormatException("RTP padding of " + pad + " octets in " + (end - at) + " after the header");
            end -= pad;
        }
        if (at > end) throw new RtpFormatException("RTP header of " + at + " octets (" + csrcs + " CSRCs" + (extension ? ", extension" : "")
                + ") is longer than the packet's " + d.length);
        int pt = d[1] & 0x7F;
        boolean marker = (d[1] & 0x80) != 0;
        int seq = ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
        return new RtpPacket(pt, marker, seq, readInt(d, 4), readInt(d, 8), Arrays.copyOfRange(d, at, end));
    }

    /** The packet on the wire: the 12-octet header and the payload. */
    public byte[] encode() {
        byte[] d = new byte[HEADER + payload.length];
        d[0] = (byte) (VERSION << 6);
        d[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        d[2] = (byte) (sequence >>> 8);
        d[3] = (byte) sequence;
        writeInt(d, 4, timestamp);
        writeInt(d, 8, ssrc);
        System.arraycopy(payload, 0, d, HEADER, payload.length);
        return d;
    }

    static int readInt(byte[] d, int at) {
        return ((d[at] & 0xFF) << 24) | ((d[at + 1] & 0xFF) << 16) | ((d[at + 2] & 0xFF) << 8) | (d[at + 3] & 0xFF);
    }

    static void writeInt(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 24);
        d[at + 1] = (byte) (v >>> 16);
        d[at + 2] = (byte) (v >>> 8);
        d[at + 3] = (byte) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpPacket p && p.payloadType == payloadType && p.marker == marker && p.sequence == sequence && p.timestamp == timestamp
                && p.ssrc == ssrc && Arrays.equals(p.payload, payload);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(payload) * 31 + sequence;
    }

    @Override
    public String toString() {
        return "RtpPacket[pt=" + payloadType + ", m=" + marker + ", seq=" + sequence + ", ts=" + Integer.toUnsignedString(timestamp) + ", ssrc="
                + Integer.toHexString(ssrc) + ", " + payload.length + " octets]";
    }
}
