package dev.faxlan.modem.level;

import dev.faxlan.modem.Levels;

/**
 * Signal or silence, with hysteresis in level and in time: the signal is on once the power has been
 * at or above {@code onDbm0} for {@code onSamples}, and off once it has stayed below
 * {@code offDbm0} for {@code offSamples}. The gap between the two levels keeps a signal near the
 * threshold from chattering; the hold times ride over clicks and short drop-outs.
 *
 * <p>Defaults for fax ({@link #forFax()}): on at -43 dBm0, off at -48 dBm0, as spandsp's fax
 * receivers; 10 ms to rise, 20 ms to fall.
 */
public final class EnergyDetector {
    /** Told when the detector changes its mind; {@code sample} counts samples since the start. */
    public interface Listener {
        void changed(boolean signal, long sample);
    }

    private final double onMeanSquare;
    private final double offMeanSquare;
    private final int onSamples;
    private final int offSamples;
    private final PowerMeter meter;
    private final Listener listener;
    private boolean signal;
    private int run;
    private long sample;

    public EnergyDetector(double onDbm0, double offDbm0, int onSamples, int offSamples, Listener listener) {
        if (offDbm0 > onDbm0) {
            throw new IllegalArgumentException("off level " + offDbm0 + " dBm0 is above on level " + onDbm0 + " dBm0");
        }
        if (onSamples < 1 || offSamples < 1) {
            throw new IllegalArgumentException("hold times must be at least 1 sample: on " + onSamples + ", off " + offSamples);
        }
        this.onMeanSquare = Levels.meanSquare(onDbm0);
        this.offMeanSquare = Levels.meanSquare(offDbm0);
        this.onSamples = onSamples;
        this.offSamples = offSamples;
        // Averaging over about 4 ms: short against the hold times, long against one cycle of 300 Hz.
        this.meter = new PowerMeter(32);
        this.listener = listener;
    }

    /** The fax defaults (see the class comment). */
    public static EnergyDetector forFax(Listener listener) {
        return new EnergyDetector(-43, -48, 80, 160, listener);
    }

    public void receive(short[] samples, int off, int len) {
        for (int i = off; i < off + len; i++) {
            update(samples[i]);
        }
    }

    /** Takes one sample. */
    public void update(int s) {
        double p = meter.update(s);
        sample++;
        if (!signal) {
            run = p >= onMeanSquare ? run + 1 : 0;
            if (run >= onSamples) {
                signal = true;
                run = 0;
                listener.changed(true, sample);
            }
        } else {
            run = p < offMeanSquare ? run + 1 : 0;
            if (run >= offSamples) {
                signal = false;
                run = 0;
                listener.changed(false, sample);
            }
        }
    }

    public boolean signal() {
        return signal;
    }

    /** The level now, per the detector's meter. */
    public double dbm0() {
        return meter.dbm0();
    }
}
