package dev.faxlan.lines;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How phone numbers are written where the server stands, and how a trunk wants them dialled.
 *
 * <p>{@link #normalise} turns what a person types into E.164 ({@code +} and 7 to 15 digits), or
 * leaves a short internal number (an extension, the loopback's {@code 0000}) as it is.
 * {@link #dialString} turns that back into the user part of a SIP request-URI for one trunk.
 *
 * @param countryCode the own country code, 1 to 3 digits ({@code "1"}, {@code "44"}, {@code "49"}),
 *     or {@code ""} when unknown: then only international numbers are understood
 * @param nationalPrefix trunk prefix before a national number ({@code "0"}, NANP {@code "1"}),
 *     or {@code ""} for countries without one: then a number without prefix is national
 * @param internationalPrefix prefix before a country code ({@code "00"}, NANP {@code "011"})
 * @param areaCode area code added to local numbers (written without any prefix), or {@code ""}
 * @param nationalLength digits of a national number written without prefix (NANP: 10), or 0
 *     when national numbers have no fixed length
 * @param shortMax numbers of at most this many digits are internal and pass through unchanged
 * @param dial how the trunk wants numbers in its request-URI
 * @param trunkPrefix digits dialled before the national form when {@code dial} is
 *     {@link Dial#PREFIX} (a PBX's "9" for an outside line); {@code ""} otherwise
 */
public record NumberPlan(String countryCode, String nationalPrefix, String internationalPrefix, String areaCode,
        int nationalLength, int shortMax, Dial dial, String trunkPrefix) {

    /** The form of the request-URI user part a trunk expects. */
    public enum Dial {
        /** {@code +} and the E.164 digits. */
        E164,
        /** National prefix and national number at home, international prefix and E.164 digits abroad. */
        NATIONAL,
        /** {@link #trunkPrefix} followed by the {@link #NATIONAL} form. */
        PREFIX
    }

    /** Shortest E.164 number in use (e.g. +290 and four digits, Saint Helena). */
    public static final int MIN_E164_DIGITS = 7;
    /** ITU-T E.164: at most 15 digits including the country code. */
    public static final int MAX_E164_DIGITS = 15;
    public static final int DEFAULT_SHORT_MAX = 6;
    /** Short numbers must stay shorter than any E.164 number, or the two could be confused. */
    public static final int MAX_SHORT_MAX = MIN_E164_DIGITS - 1;

    private static final Pattern DIGITS = Pattern.compile("[0-9]*");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{" + (MIN_E164_DIGITS - 1) + "," + (MAX_E164_DIGITS - 1) + "}");
    /** Characters people put into numbers for readability. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\s\\-.()/]");

    public NumberPlan {
        requireDigits("country code", countryCode, 0, 3);
        if (countryCode.startsWith("0")) throw new IllegalArgumentException("country code " + countryCode + " cannot start with 0");
        requireDigits("national prefix", nationalPrefix, 0, 4);
        requireDigits("international prefix", internationalPrefix, 1, 4);
        requireDigits("area code", areaCode, 0, 6);
        requireDigits("trunk prefix", trunkPrefix, 0, 6);
        Objects.requireNonNull(dial, "dial");
        if (!nationalPrefix.isEmpty() && internationalPrefix.equals(nationalPrefix)) {
            throw new IllegalArgumentException("national and international prefix are both " + nationalPrefix);
        }
        if (nationalLength < 0 || nationalLength > MAX_E164_DIGITS) {
            throw new IllegalArgumentException("national number length " + nationalLength + " outside 0.." + MAX_E164_DIGITS);
        }
        if (shortMax < 0 || shortMax > MAX_SHORT_MAX) {
            throw new IllegalArgumentException("short number length " + shortMax + " outside 0.." + MAX_SHORT_MAX);
        }
        if ((dial == Dial.PREFIX) == trunkPrefix.isEmpty()) {
            throw new IllegalArgumentException(dial == Dial.PREFIX ? "dialling with a trunk prefix needs the prefix"
                    : "a trunk prefix (" + trunkPrefix + ") is only used when dialling with a prefix");
        }
    }

    /**
     * The usual plan of a country, dialling E.164: for country code 1 (NANP) national prefix "1",
     * international prefix "011" and 10-digit national numbers; elsewhere "0" and "00" (the ITU
     * recommendation). {@code ""} gives a plan that understands only international numbers.
     */
    public static NumberPlan forCountry(String countryCode) {
        if (countryCode.equals("1")) return new NumberPlan("1", "1", "011", "", 10, DEFAULT_SHORT_MAX, Dial.E164, "");
        return new NumberPlan(countryCode, "0", "00", "", 0, DEFAULT_SHORT_MAX, Dial.E164, "");
    }

    public NumberPlan withAreaCode(String code) {
        return new NumberPlan(countryCode, nationalPrefix, internationalPrefix, code, nationalLength, shortMax, dial, trunkPrefix);
    }

    public NumberPlan withPrefixes(String national, String international) {
        return new NumberPlan(countryCode, national, international, areaCode, nationalLength, shortMax, dial, trunkPrefix);
    }

    public NumberPlan withNationalLength(int length) {
        return new NumberPlan(countryCode, nationalPrefix, internationalPrefix, areaCode, length, shortMax, dial, trunkPrefix);
    }

    public NumberPlan withShortMax(int max) {
        return new NumberPlan(countryCode, nationalPrefix, internationalPrefix, areaCode, nationalLength, max, dial, trunkPrefix);
    }

    /** @param prefix the trunk prefix for {@link Dial#PREFIX}, else {@code ""} */
    public NumberPlan withDial(Dial form, String prefix) {
        return new NumberPlan(countryCode, nationalPrefix, internationalPrefix, areaCode, nationalLength, shortMax, form, prefix);
    }

    /**
     * Parses the configuration form of a dial rule: {@code e164}, {@code national} or
     * {@code prefix:<digits>}; returns this plan with it.
     */
    public NumberPlan withDial(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("e164")) return withDial(Dial.E164, "");
        if (s.equals("national")) return withDial(Dial.NATIONAL, "");
        if (s.startsWith("prefix:")) {
            String p = s.substring("prefix:".length());
            if (p.isEmpty() || !DIGITS.matcher(p).matches()) {
                throw new IllegalArgumentException("the trunk prefix in '" + spec + "' must be digits, e.g. prefix:9");
            }
            return withDial(Dial.PREFIX, p);
        }
        throw new IllegalArgumentException("'" + spec + "' is not a dial rule (e164, national or prefix:<digits>)");
    }

    /** True for {@code +} and 7 to 15 digits, the first not 0. */
    public static boolean isE164(String s) {
        return s != null && E164.matcher(s).matches();
    }

    /** True for a number of 1 to {@link #shortMax} digits, which {@link #normalise} leaves alone. */
    public boolean isShort(String s) {
        return s != null && !s.isEmpty() && s.length() <= shortMax && DIGITS.matcher(s).matches();
    }

    /**
     * The number typed as {@code userInput} in E.164, or the short internal number it is.
     *
     * <p>Spaces, dashes, dots, slashes and parentheses are dropped, and so is a "(0)" after an
     * international country code ({@code +49 (0)30 ...}). Then, in this order: at most
     * {@link #shortMax} digits is a short number, returned as it is; {@code +} or the
     * international prefix starts a country code; the national prefix starts a national number;
     * with no national prefix in this country, or {@link #nationalLength} digits, the number is
     * national; otherwise it is local and gets the {@link #areaCode}.
     *
     * @throws IllegalArgumentException naming the input when it has letters or other characters,
     *     no digits, or cannot be a phone number (too short, too long, unknown country or area)
     */
    public String normalise(String userInput) {
        if (userInput == null || userInput.isBlank()) throw new IllegalArgumentException("no fax number given");
        String s = userInput.strip();
        boolean plus = s.startsWith("+");
        String body = plus ? s.substring(1) : s;
        String compact = SEPARATORS.matcher(body).replaceAll("");
        for (int i = 0; i < compact.length(); i++) {
            char ch = compact.charAt(i);
            if (Character.isLetter(ch)) {
                throw new IllegalArgumentException("'" + userInput + "' is not a fax number: letters are not allowed");
            }
            if (ch < '0' || ch > '9') {
                throw new IllegalArgumentException("'" + userInput + "' is not a fax number: '" + ch + "' is not allowed"
                        + (ch == '+' ? " except at the start" : ""));
            }
        }
        if (compact.isEmpty()) throw new IllegalArgumentException("'" + userInput + "' is not a fax number: it has no digits");
        if (!plus && compact.length() <= shortMax) return compact;
        boolean viaPrefix = !plus && compact.startsWith(internationalPrefix);
        if (plus || viaPrefix) {
            // In "+49 (0)30 ..." the (0) is the national prefix, there for readers dialling at home.
            String digits = SEPARATORS.matcher(dropBracketedZero(body, viaPrefix ? internationalPrefix.length() : 0)).replaceAll("");
            return international(userInput, viaPrefix ? digits.substring(internationalPrefix.length()) : digits);
        }
        if (!nationalPrefix.isEmpty() && compact.startsWith(nationalPrefix)) {
            return national(userInput, compact.substring(nationalPrefix.length()));
        }
        if (nationalPrefix.isEmpty() || (nationalLength > 0 && compact.length() == nationalLength)) {
            return national(userInput, compact);
        }
        if (!areaCode.isEmpty()) return national(userInput, areaCode + compact);
        throw new IllegalArgumentException("'" + userInput + "' is a local number, but no area code is configured: write it with "
                + "the national prefix " + nationalPrefix + " and area code, or as +" + (countryCode.isEmpty() ? "<country code>" : countryCode) + "...");
    }

    /** Drops the first "(0)" if a country code comes before it (more than {@code prefixDigits} digits). */
    private static String dropBracketedZero(String body, int prefixDigits) {
        int i = body.indexOf("(0)");
        if (i > 0 && SEPARATORS.matcher(body.substring(0, i)).replaceAll("").length() > prefixDigits) {
            return body.substring(0, i) + body.substring(i + 3);
        }
        return body;
    }

    private String national(String input, String nationalNumber) {
        if (countryCode.isEmpty()) {
            throw new IllegalArgumentException("'" + input + "' is a national number, but no country code is configured: write it as +<country code>...");
        }
        return international(input, countryCode + nationalNumber);
    }

    private static String international(String input, String digits) {
        if (digits.startsWith("0")) {
            throw new IllegalArgumentException("'" + input + "' is not a fax number: no country code starts with 0");
        }
        if (digits.length() < MIN_E164_DIGITS) {
            throw new IllegalArgumentException("'" + input + "' is too short for a phone number: " + digits.length()
                    + " digits with the country code, at least " + MIN_E164_DIGITS + " needed");
        }
        if (digits.length() > MAX_E164_DIGITS) {
            throw new IllegalArgumentException("'" + input + "' is too long for a phone number: " + digits.length()
                    + " digits with the country code, at most " + MAX_E164_DIGITS + " allowed (E.164)");
        }
        return "+" + digits;
    }

    /**
     * The user part of the SIP request-URI that dials {@code number} on this trunk. Short numbers
     * are dialled as they are.
     *
     * @param number a result of {@link #normalise}
     * @throws IllegalArgumentException if it is neither E.164 nor a short number
     */
    public String dialString(String number) {
        if (isShort(number)) return number;
        if (!isE164(number)) throw new IllegalArgumentException("'" + number + "' is neither an E.164 number nor a short number");
        return switch (dial) {
            case E164 -> number;
            case NATIONAL -> nationalForm(number);
            case PREFIX -> trunkPrefix + nationalForm(number);
        };
    }

    private String nationalForm(String e164) {
        String digits = e164.substring(1);
        if (!countryCode.isEmpty() && digits.startsWith(countryCode)) {
            return nationalPrefix + digits.substring(countryCode.length());
        }
        return internationalPrefix + digits;
    }

    private static void requireDigits(String what, String value, int min, int max) {
        Objects.requireNonNull(value, what);
        if (value.length() < min || value.length() > max || !DIGITS.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' must be " + (min == 0 ? "up to " + max : min + " to " + max) + " digits");
        }
    }
}
