package dev.faxlan.engine.interop;

import java.util.List;
import java.util.Locale;

/** Command-line pieces shared by the spandsp peers' option records ({@link SpandspPeer}, {@link AudioPeer}). */
final class PeerArgs {
    private PeerArgs() {
    }

    /** Adds {@code flag value} when {@code value} is set. */
    static void add(List<String> a, String flag, String value) {
        if (value != null) {
            a.add(flag);
            a.add(value);
        }
    }

    /** {@code d} as the C helpers parse it: whole numbers without a decimal point. */
    static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
