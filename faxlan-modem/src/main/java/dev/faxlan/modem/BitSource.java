package dev.faxlan.modem;

/** Where a transmitter takes the bits it modulates, one at a time, in the order they go on the line. */
@FunctionalInterface
public interface BitSource {
    /** Returned by {@link #nextBit()} when there is nothing more to send: the carrier then stops. */
    int END = -1;

    /** The next bit, 0 or 1, or {@link #END}. */
    int nextBit();
}
