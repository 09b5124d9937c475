package dev.faxlan.modem;

/** Where a receiver delivers demodulated bits and the carrier's coming and going. */
public interface BitSink {
    /** One demodulated bit, 0 or 1, in line order. */
    void bit(int bit);

    /**
     * The carrier was detected and, for a modem that trains, its training succeeded; bits follow.
     * {@code sample} counts samples since the receiver started.
     */
    default void carrierUp(long sample) {
    }

    /**
     * A carrier came but its training failed (an image modem's equaliser or carrier did not converge): no
     * bits follow until the next {@link #carrierUp}. T.30 then answers FTT to a TCF, or waits for the next page.
     */
    default void trainingFailed(long sample) {
    }

    /** The carrier ended; no bits until the next {@link #carrierUp}. */
    default void carrierDown(long sample) {
    }
}
