package dev.faxlan.modem.tone;

import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemTransmitter;

/**
 * CNG, CED or ANSam as 8 kHz samples: a phase-continuous sine at the tone's frequency and level,
 * gated by its cadence (CNG repeats 0.5 s on, 3 s off until the caller stops asking) or for a fixed
 * length (CED, ANSam), after which {@link #fill} returns short.
 */
public final class ToneGenerator implements ModemTransmitter {
    private static final int RATE = 8000;
    /** CNG's cadence (T.30): 0.5 s on, 3 s off. */
    static final int CNG_ON = RATE / 2;
    static final int CNG_PERIOD = CNG_ON + 3 * RATE;
    /** ANSam's amplitude modulation (V.8): 15 Hz, envelope 0.8 to 1.2. */
    private static final double ANSAM_AM_HZ = 15.0;
    private static final double ANSAM_AM_DEPTH = 0.2;

    private final CallTone tone;
    private final double peak;
    private final long length;
    private final double step;
    private double phase;
    private long position;

    private ToneGenerator(CallTone tone, double dbm0, long length) {
        this.tone = tone;
        this.peak = Levels.sinePeak(dbm0);
        this.length = length;
        this.step = 2.0 * Math.PI * tone.hz() / RATE;
    }

    /** CNG at {@code dbm0}, on and off for as long as samples are asked for (spandsp sends -11 dBm0). */
    public static ToneGenerator cng(double dbm0) {
        return new ToneGenerator(CallTone.CNG, dbm0, Long.MAX_VALUE);
    }

    /** CED for {@code samples} samples (T.30: 2.6 to 4 s). */
    public static ToneGenerator ced(double dbm0, long samples) {
        return new ToneGenerator(CallTone.CED, dbm0, samples);
    }

    /** ANSam for {@code samples} samples; {@code dbm0} is the level of the unmodulated carrier. */
    public static ToneGenerator ansam(double dbm0, long samples) {
        return new ToneGenerator(CallTone.ANSAM, dbm0, samples);
    }

    @Override
    public int fill(short[] samples, int off, int len) {
        int n = (int) Math.min(len, length - position);
        for (int i = 0; i < n; i++) {
            double a = 0;
            switch (tone) {
                case CNG -> a = (position % CNG_PERIOD) < CNG_ON ? peak : 0.0;
                case CED -> a = peak;
                case ANSAM -> a = peak * (1.0 + ANSAM_AM_DEPTH * Math.sin(2.0 * Math.PI * ANSAM_AM_HZ * position / RATE));
            }
            samples[off + i] = (short) Math.round(a * Math.sin(phase));
            phase += step;
            if (phase > 2.0 * Math.PI) {
                phase -= 2.0 * Math.PI;
            }
            position++;
        }
        return n;
    }
}
