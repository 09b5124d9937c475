package dev.faxlan.lines;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How a line carries a fax call's media ({@code line.<name>.policy}, which a route may override): T.38
 * over UDPTL, the fax's audio as G.711 over RTP, or one and then the other. The two fallback policies
 * are also what a per-destination memory may reorder; the single ones never use the other media.
 */
public enum MediaPolicy {
    /** Offer and accept T.38 only; a caller with audio is answered and re-INVITEd to T.38. Today's behaviour, the default. */
    T38("t38", List.of(Media.T38)),
    /** Offer audio only (PCMU, PCMA) and answer with audio; the fax runs on the audio modems over RTP. */
    G711("g711", List.of(Media.G711)),
    /**
     * Offer T.38; when the far end refuses it (488, 606) or the T.38 call fails before page 1, the same
     * attempt calls again offering audio.
     */
    T38_THEN_G711("t38-then-g711", List.of(Media.T38, Media.G711)),
    /** Offer audio first; when that call fails before page 1, the same attempt calls again offering T.38. */
    G711_THEN_T38("g711-then-t38", List.of(Media.G711, Media.T38));

    private final String setting;
    private final List<Media> order;

    MediaPolicy(String setting, List<Media> order) {
        this.setting = setting;
        this.order = order;
    }

    /** The value as written in the settings. */
    public String setting() {
        return setting;
    }

    /** The media in the order this policy tries them, before any memory of the destination. */
    public List<Media> order() {
        return order;
    }

    /** The media a call starts with. */
    public Media first() {
        return order.get(0);
    }

    /** Whether this policy may turn to the other media within one attempt (and so be reordered by memory). */
    public boolean fallsBack() {
        return order.size() > 1;
    }

    /** This policy with {@code first} tried first: the same policy if it allows only one media or already starts so. */
    public MediaPolicy startingWith(Media first) {
        if (!fallsBack() || order.get(0) == first) return this;
        return first == Media.T38 ? T38_THEN_G711 : G711_THEN_T38;
    }

    public static Optional<MediaPolicy> parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (MediaPolicy p : values()) {
            if (p.setting.equals(v)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
