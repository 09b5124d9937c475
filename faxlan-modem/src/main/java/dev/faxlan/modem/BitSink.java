package dev.faxlan.modem;

/** Where a receiver delivers demodulated bits and the carrier's coming and going. */
public interface BitSink {
    /** One demodulated bit, 0 or 1, in line order. */
    void bit(int bit);

    /** The carrier was detected; bits follow. {@code sample} counts samples since the receiver started. */
    default void carrierUp(long sample) {
    }

    /** The carrier ended; no bits until the next {@link #carrierUp}. */
    default void carrierDown(long sample) {
    }
}
