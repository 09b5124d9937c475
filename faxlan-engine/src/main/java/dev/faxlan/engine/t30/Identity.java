package dev.faxlan.engine.t30;

/**
 * TSI, CSI, SUB, SID and PWD fields: 20 characters (digits, '+' and space), sent last character first,
 * each octet bit-reversed on the wire like any HDLC octet; the padding spaces follow the text on the
 * wire, as spandsp and HylaFAX send them and as TSB-85 checks the CSI (MRGN01).
 */
public final class Identity {
    public static final int LENGTH = 20;

    private Identity() {}

    public static byte[] encode(String text) {
        String s = text.length() > LENGTH ? text.substring(0, LENGTH) : text;
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            char c = i < s.length() ? s.charAt(s.length() - 1 - i) : ' ';
            if (c < 0x20 || c > 0x7e) c = ' ';
            out[i] = (byte) reverse(c);
        }
        return out;
    }

    /** Decodes leniently: any length, non-printable characters dropped, padding trimmed. */
    public static String decode(byte[] fif) {
        StringBuilder sb = new StringBuilder(fif.length);
        for (int i = fif.length - 1; i >= 0; i--) {
            int c = reverse(fif[i] & 0xff);
            if (c >= 0x20 && c <= 0x7e) sb.append((char) c);
        }
        return sb.toString().strip();
    }

    static int reverse(int b) {
        return Integer.reverse(b & 0xff) >>> 24;
    }
}
