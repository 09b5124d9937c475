package dev.faxlan.lines.rtp;

/**
 * The RTCP a fax call sends (RFC 3550 §6.4): a sender report with one reception report block, at a
 * low rate, so that peers and monitoring that want RTCP see the stream alive. What the peer sends is
 * only recognised and ignored: nothing in a fax call depends on it. Pure functions over bytes.
 */
public final class Rtcp {
    private Rtcp() {}

    /** RTCP packet type of a sender report. */
    public static final int SR = 200;
    /** Seconds between 1900 (NTP's epoch) and 1970. */
    static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    /**
     * What we know of the stream we receive, for the report block.
     *
     * @param ssrc the peer's SSRC; 0 when nothing was received yet (then no block is written)
     * @param highestSequence extended highest sequence number received
     * @param lost cumulative packets lost (24 bits, clamped)
     */
    public record Reception(int ssrc, long highestSequence, long lost) {}

    /**
     * A sender report: our SSRC, the wall time ({@code unixMillis}) and the RTP timestamp that belongs
     * to it, packets and octets sent, and a report block on what we received when there is anything.
     */
    public static byte[] senderReport(int ssrc, long unixMillis, int rtpTimestamp, long packets, long octets, Reception reception) {
        boolean block = reception != null && reception.ssrc() != 0;
        byte[] d = new byte[28 + (block ? 24 : 0)];
        d[0] = (byte) (0x80 | (block ? 1 : 0));
        d[1] = (byte) SR;
        int words = d.length / 4 - 1;
        d[2] = (byte) (words >>> 8);
        d[3] = (byte) words;
        RtpPacket.writeInt(d, 4, ssrc);
        long seconds = unixMillis / 1000 + NTP_EPOCH_OFFSET;
        long fraction = ((unixMillis % 1000) << 32) / 1000;
        RtpPacket.writeInt(d, 8, (int) seconds);
        RtpPacket.writeInt(d, 12, (int) fraction);
        RtpPacket.writeInt(d, 16, rtpTimestamp);
        RtpPacket.writeInt(d, 20, (int) packets);
        RtpPacket.writeInt(d, 24, (int) octets);
        if (block) {
            RtpPacket.writeInt(d, 28, reception.ssrc());
            int lost = (int) Math.min(0x7FFFFF, Math.max(0, reception.lost()));
            RtpPacket.writeInt(d, 32, lost); // fraction lost 0: we do not keep per-interval counts
            RtpPacket.writeInt(d, 36, (int) reception.highestSequence());
            // jitter, last SR and delay since last SR stay 0: we do not time the peer's reports
        }
        return d;
    }
}
