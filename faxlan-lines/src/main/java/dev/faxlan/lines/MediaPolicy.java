package dev.faxlan.lines;

import java.util.Locale;
import java.util.Optional;

/**
 * How a line carries a fax call's media ({@code line.<name>.policy}): T.38 over UDPTL, or the fax's
 * audio as G.711 over RTP.
 */
public enum MediaPolicy {
    /** Offer and accept T.38 only; a caller with audio is answered and re-INVITEd to T.38. Today's behaviour, the default. */
    T38("t38"),
    /** Offer audio only (PCMU, PCMA) and answer with audio; the fax runs on the audio modems over RTP. */
    G711("g711");

    private final String setting;

    MediaPolicy(String setting) {
        this.setting = setting;
    }

    /** The value as written in the settings. */
    public String setting() {
        return setting;
    }

    public static Optional<MediaPolicy> parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (MediaPolicy p : values()) {
            if (p.setting.equals(v)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
