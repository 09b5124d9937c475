package dev.faxlan.modem.testsupport;

import dev.faxlan.modem.Levels;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.ModemTransmitter;
import dev.faxlan.modem.g711.G711;
import java.util.Arrays;
import java.util.Random;

/** A simulated telephone line for modem tests: level, sample clock offset, white noise, G.711. */
public final class Line {
    private Line() {
    }

    /** Everything a transmitter sends until it stops (at most {@code max} samples). */
    public static short[] drain(ModemTransmitter tx, int max) {
        short[] out = new short[max];
        int n = 0;
        while (n < max) {
            int want = Math.min(160, max - n);
            int got = tx.fill(out, n, want);
            n += got;
            if (got < want) {
                break;
            }
        }
        return n == max ? out : Arrays.copyOf(out, n);
    }

    /** Feeds {@code samples} to a receiver in blocks of {@code block} (the last one shorter). */
    public static void feed(ModemReceiver rx, short[] samples, int block) {
        for (int off = 0; off < samples.length; off += block) {
            rx.receive(samples, off, Math.min(block, samples.length - off));
        }
    }

    /** {@code silence} samples, the signal, {@code silence} samples. */
    public static double[] pad(short[] signal, int silence) {
        double[] out = new double[signal.length + 2 * silence];
        for (int i = 0; i < signal.length; i++) {
            out[silence + i] = signal[i];
        }
        return out;
    }

    /** Multiplies by {@code gainDb} dB. */
    public static void scale(double[] x, double gainDb) {
        double g = Math.pow(10, gainDb / 20.0);
        for (int i = 0; i < x.length; i++) {
            x[i] *= g;
        }
    }

    /**
     * The same signal sampled by a clock {@code ppm} parts per million fast (positive) or slow:
     * windowed-sinc interpolation (Hann window, 16 taps each side), band-limited as a real codec is.
     */
    public static double[] resample(double[] x, double ppm) {
        double ratio = 1.0 + ppm * 1e-6;
        int n = (int) Math.floor((x.length - 1) / ratio);
        double[] y = new double[n];
        final int half = 16;
        for (int k = 0; k < n; k++) {
            double t = k * ratio;
            int c = (int) Math.floor(t);
            double acc = 0;
            for (int j = c - half + 1; j <= c + half; j++) {
                if (j < 0 || j >= x.length) {
                    continue;
                }
                double d = t - j;
                double sinc = d == 0 ? 1.0 : Math.sin(Math.PI * d) / (Math.PI * d);
                double w = 0.5 + 0.5 * Math.cos(Math.PI * d / half);
                acc += x[j] * sinc * w;
            }
            y[k] = acc;
        }
        return y;
    }

    /** Adds white Gaussian noise at {@code dbm0}. */
    public static void addNoise(double[] x, double dbm0, Random random) {
        double sigma = Math.sqrt(Levels.meanSquare(dbm0));
        for (int i = 0; i < x.length; i++) {
            x[i] += sigma * random.nextGaussian();
        }
    }

    /** Rounds and clips to 16 bits, then through G.711 {@code law} and back, as a codec path does. */
    public static short[] throughG711(double[] x, G711 law) {
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            long v = Math.round(x[i]);
            int clipped = (int) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
            out[i] = law == null ? (short) clipped : law.decode(law.encode(clipped));
        }
        return out;
    }

    /** Mean square of a signal's non-silent stretch. */
    public static double meanSquare(short[] x) {
        double e = 0;
        for (short s : x) {
            e += (double) s * s;
        }
        return e / Math.max(1, x.length);
    }

    /** Little-endian 16-bit bytes of samples, as the C helper reads and writes them. */
    public static byte[] toLittleEndian(short[] x) {
        byte[] b = new byte[x.length * 2];
        for (int i = 0; i < x.length; i++) {
            b[2 * i] = (byte) x[i];
            b[2 * i + 1] = (byte) (x[i] >> 8);
        }
        return b;
    }

    public static short[] fromLittleEndian(byte[] b) {
        return fromLittleEndian(b, 0);
    }

    /** The samples in {@code b} from {@code off} on, little-endian 16-bit (an odd last byte is dropped). */
    public static short[] fromLittleEndian(byte[] b, int off) {
        short[] x = new short[(b.length - off) / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (short) ((b[off + 2 * i] & 0xFF) | (b[off + 2 * i + 1] << 8));
        }
        return x;
    }
}
