package dev.faxlan.modem;

/**
 * A modem's sending half: turns the bits of its {@link BitSource} into 8 kHz 16-bit linear samples.
 * Time is the samples asked for; the transmitter does no I/O and keeps no clock of its own.
 */
public interface ModemTransmitter {
    /**
     * Writes up to {@code len} samples into {@code samples[off..off+len)} and returns how many it
     * wrote: fewer than {@code len} (possibly 0) once the bit source has ended and the carrier is off.
     */
    int fill(short[] samples, int off, int len);
}
