package dev.faxlan.engine.t30;

import java.util.Arrays;

/**
 * One T.30 HDLC frame as T.38 carries it (no flags, no FCS, no bit stuffing): address 0xFF, control
 * 0xC0 or 0xC8 (final frame), the FCF, and the facsimile information field.
 */
public record T30Frame(Fcf fcf, boolean xBit, boolean finalFrame, byte[] fif) {
    public static final int ADDRESS = 0xFF;
    public static final int CONTROL = 0xC0;
    public static final int CONTROL_FINAL = 0xC8;
    /** Largest frame carried: 3 header octets plus a 256-octet ECM block frame and its frame number. */
    public static final int MAX_LENGTH = 3 + 1 + 256;

    public T30Frame {
        fif = fif == null ? new byte[0] : fif.clone();
    }

    public static T30Frame of(Fcf fcf, boolean xBit, byte[] fif) {
        return new T30Frame(fcf, xBit, true, fif);
    }

    @Override
    public byte[] fif() {
        return fif.clone();
    }

    public byte[] encode() {
        byte[] out = new byte[3 + fif.length];
        out[0] = (byte) ADDRESS;
        out[1] = (byte) (finalFrame ? CONTROL_FINAL : CONTROL);
        out[2] = (byte) (fcf.code() | (xBit && fcf.carriesXBit() ? 0x80 : 0));
        System.arraycopy(fif, 0, out, 3, fif.length);
        return out;
    }

    public static T30Frame decode(byte[] b) throws T30FormatException {
        if (b.length < 3) throw new T30FormatException("T.30 frame of " + b.length + " octets is shorter than its header");
        if (b.length > MAX_LENGTH) throw new T30FormatException("T.30 frame of " + b.length + " octets is longer than " + MAX_LENGTH);
        if ((b[0] & 0xff) != ADDRESS) throw new T30FormatException(String.format("T.30 frame address is 0x%02X, not 0xFF", b[0] & 0xff));
        int control = b[1] & 0xff;
        if (control != CONTROL && control != CONTROL_FINAL) throw new T30FormatException(String.format("T.30 control field 0x%02X is neither 0xC0 nor 0xC8", control));
        Fcf fcf = Fcf.of(b[2]);
        if (fcf == null) throw new T30FormatException(String.format("unknown T.30 FCF 0x%02X", b[2] & 0xff));
        return new T30Frame(fcf, (b[2] & 0x80) != 0 && fcf.carriesXBit(), control == CONTROL_FINAL, Arrays.copyOfRange(b, 3, b.length));
    }

    /** Reverses the bits of an octet: integers in FIFs (frame and page numbers) go LSB first on the line. */
    public static int reverseBits(int octet) {
        return Integer.reverse(octet & 0xff) >>> 24;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof T30Frame f && f.fcf == fcf && f.xBit == xBit && f.finalFrame == finalFrame && Arrays.equals(f.fif, fif);
    }

    @Override
    public int hashCode() {
        return fcf.hashCode() * 31 + Arrays.hashCode(fif);
    }

    @Override
    public String toString() {
        return fcf + (fif.length > 0 ? "(" + fif.length + ")" : "");
    }
}
