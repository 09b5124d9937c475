package dev.faxlan.documents.convert;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Which character encoding a plain-text file is in, and whether it is text at all. Pure functions
 * over the file's bytes (or its first bytes), tested on their own.
 *
 * <p>A byte-order mark decides first (UTF-8, UTF-16 LE/BE); then UTF-16 without a mark, by its
 * zero bytes; then strict UTF-8; anything else is a single-byte Western text: Windows-1252 when
 * it uses the bytes 0x80-0x9F (which are C1 controls, never text, in ISO-8859-1), ISO-8859-15
 * when it has byte 0xA4 (a euro sign there is far likelier than ISO-8859-1's currency sign),
 * else ISO-8859-1. Every byte sequence decodes in these, so no text is refused for its encoding;
 * other legacy encodings (Cyrillic, Greek, CJK) are read with an explicit charset.
 */
public final class TextEncoding {

    /** Windows' Western code page: ISO-8859-1 with printable characters (€, „, “) in 0x80-0x9F. */
    public static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    /** ISO-8859-1 with the euro sign (0xA4), Š, š, Ž, ž, Œ, œ and Ÿ. */
    public static final Charset ISO_8859_15 = Charset.forName("ISO-8859-15");

    private TextEncoding() {
    }

    /**
     * The encoding of a text starting with {@code head}.
     *
     * @param truncated whether {@code head} may end in the middle of a character (a probe of the
     *     file's first bytes rather than all of it)
     */
    public static Charset detect(byte[] head, boolean truncated) {
        Charset marked = byBom(head);
        if (marked != null) {
            return marked;
        }
        Charset wide = utf16WithoutBom(head);
        if (wide != null) {
            return wide;
        }
        if (isUtf8(head, truncated)) {
            return StandardCharsets.UTF_8;
        }
        boolean c1 = false;
        boolean euro = false;
        for (byte b : head) {
            int u = b & 0xFF;
            c1 |= u >= 0x80 && u <= 0x9F;
            euro |= u == 0xA4;
        }
        return c1 ? WINDOWS_1252 : euro ? ISO_8859_15 : StandardCharsets.ISO_8859_1;
    }

    /**
     * Whether {@code head} is text in some encoding: no NUL and few control characters other than
     * tab, line feed, form feed and carriage return (escape and backspace, used by printers for
     * bold and underline, count as few).
     */
    public static boolean isText(byte[] head) {
        Charset cs = byBom(head);
        if (cs == null) {
            cs = utf16WithoutBom(head);
        }
        if (cs != null && cs != StandardCharsets.UTF_8) {
            // Wide text: judge its characters, not its bytes (half of which are zero).
            String s = decode(head, cs);
            int controls = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == 0) {
                    return false;
                }
                if (isBinaryControl(c)) {
                    controls++;
                }
            }
            return controls <= s.length() / 100 + 1;
        }
        int controls = 0;
        for (byte value : head) {
            int b = value & 0xFF;
            if (b == 0) {
                return false;
            }
            if (isBinaryControl(b)) {
                controls++;
            }
        }
        return controls <= head.length / 100 + 1;
    }

    /** {@code bytes} as text in {@code cs}, malformed sequences as U+FFFD. */
    public static String decode(byte[] bytes, Charset cs) {
        try {
            return cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder reported " + e, e); // cannot happen
        }
    }

    private static boolean isBinaryControl(int c) {
        return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B && c != 0x08;
    }

    private static Charset byBom(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            return StandardCharsets.UTF_16LE;
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    /**
     * UTF-16 of mostly Latin script without a mark: zero in nearly every high byte and in no low
     * byte. Needs a few characters, as "A\0" alone is too little to tell.
     */
    private static Charset utf16WithoutBom(byte[] b) {
        int pairs = b.length / 2;
        if (pairs < 4) {
            return null;
        }
        int zeroEven = 0;
        int zeroOdd = 0;
        for (int i = 0; i + 1 < b.length; i += 2) {
            zeroEven += b[i] == 0 ? 1 : 0;
            zeroOdd += b[i + 1] == 0 ? 1 : 0;
        }
        if (zeroOdd >= pairs * 9 / 10 && zeroEven == 0) {
            return StandardCharsets.UTF_16LE;
        }
        if (zeroEven >= pairs * 9 / 10 && zeroOdd == 0) {
            return StandardCharsets.UTF_16BE;
        }
        return null;
    }

    /** Valid UTF-8; when {@code truncated}, a character cut off at the end is allowed. */
    static boolean isUtf8(byte[] head, boolean truncated) {
        int end = head.length;
        if (truncated) {
            // Drop up to 3 trailing bytes of a character cut by the probe length.
            for (int i = 1; i <= 3 && end - i >= 0; i++) {
                int b = head[end - i] & 0xFF;
                if ((b & 0xC0) == 0xC0) {
                    end -= i;
                    break;
                }
                if ((b & 0x80) == 0) {
                    break;
                }
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head, 0, end));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
