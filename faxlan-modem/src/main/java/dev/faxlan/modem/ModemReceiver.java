package dev.faxlan.modem;

/**
 * A modem's receiving half: takes 8 kHz 16-bit linear samples as they arrive, in blocks of any size,
 * and delivers bits and carrier events to its {@link BitSink}. It does no I/O; its clock is the
 * number of samples received.
 */
public interface ModemReceiver {
    void receive(short[] samples, int off, int len);
}
