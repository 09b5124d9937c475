package dev.faxlan.modem.v21;

/**
 * The two channels of V.21, 300 bit/s FSK. Fax uses channel 2 in both directions (half duplex).
 */
public enum V21Channel {
    /** Channel 1: 1080 ± 100 Hz (mark 980 Hz, space 1180 Hz). */
    CHANNEL_1(980, 1180),
    /** Channel 2, T.30's: 1750 ± 100 Hz (mark 1650 Hz, space 1850 Hz). */
    CHANNEL_2(1650, 1850);

    /** Bits per second. */
    public static final int BIT_RATE = 300;

    private final int markHz;
    private final int spaceHz;

    V21Channel(int markHz, int spaceHz) {
        this.markHz = markHz;
        this.spaceHz = spaceHz;
    }

    /** The frequency of a 1. */
    public int markHz() {
        return markHz;
    }

    /** The frequency of a 0. */
    public int spaceHz() {
        return spaceHz;
    }
}
