package dev.faxlan.lines.policy;

import java.util.List;
import java.util.Locale;

/**
 * Which media a line's fax calls may use and in what order: a line's {@code transport} setting, which
 * a route may override. The two fallback policies are where a per-destination memory may change the
 * order; the single ones never use the other media.
 */
public enum TransportPolicy {
    /** T.38 only: a far end that refuses it (488) is a failed call. */
    T38("t38", List.of(Media.T38)),
    /** G.711 audio only, through the fax modems. */
    G711("g711", List.of(Media.G711)),
    /**
     * Offer T.38; on 488/606, a refused or failed re-INVITE, or a T.38 call that fails before page 1,
     * the same attempt goes on in audio.
     */
    T38_THEN_G711("t38-then-g711", List.of(Media.T38, Media.G711)),
    /** Start in audio; re-INVITE to T.38 when the far end supports it, else stay in audio. */
    G711_THEN_T38("g711-then-t38", List.of(Media.G711, Media.T38));

    private final String setting;
    private final List<Media> order;

    TransportPolicy(String setting, List<Media> order) {
        this.setting = setting;
        this.order = order;
    }

    public String setting() {
        return setting;
    }

    /** The media in the order this policy tries them, before any memory of the destination. */
    public List<Media> order() {
        return order;
    }

    /** Whether this policy may turn to the other media within one attempt (and so be reordered by memory). */
    public boolean fallsBack() {
        return order.size() > 1;
    }

    /** This policy with {@code first} tried first: the same policy if it allows only one media or already starts so. */
    public TransportPolicy startingWith(Media first) {
        if (!fallsBack() || order.get(0) == first) return this;
        return first == Media.T38 ? T38_THEN_G711 : G711_THEN_T38;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static TransportPolicy parse(String s) {
        String v = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        for (TransportPolicy p : values()) {
            if (p.setting.equals(v)) return p;
        }
        throw new IllegalArgumentException("'" + s + "' is not a transport policy: t38, g711, t38-then-g711 or g711-then-t38");
    }
}
