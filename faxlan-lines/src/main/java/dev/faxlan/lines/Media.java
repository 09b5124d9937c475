package dev.faxlan.lines;

import java.util.Locale;

/** What a fax call's media is: T.38 over UDPTL, or the fax modems' audio over G.711 RTP. */
public enum Media {
    T38("t38", "T.38"),
    G711("g711", "G.711");

    private final String setting;
    private final String shown;

    Media(String setting, String shown) {
        this.setting = setting;
        this.shown = shown;
    }

    /** As written in settings and stored in the database. */
    public String setting() {
        return setting;
    }

    /** As people read it in a job's reason. */
    public String shown() {
        return shown;
    }

    /** The other one: what a fallback turns to. */
    public Media other() {
        return this == T38 ? G711 : T38;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Media parse(String s) {
        String v = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        for (Media m : values()) {
            if (m.setting.equals(v)) return m;
        }
        throw new IllegalArgumentException("'" + s + "' is not a fax media: t38 or g711");
    }
}
