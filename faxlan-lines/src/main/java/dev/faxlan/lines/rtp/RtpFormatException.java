package dev.faxlan.lines.rtp;

/** A datagram that is not an RTP or RTCP packet we can read; the message says what is wrong with it. */
public final class RtpFormatException extends Exception {
    public RtpFormatException(String message) {
        super(message, null, false, false);
    }
}
