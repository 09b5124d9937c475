package dev.faxlan.modem.v27ter;

import dev.faxlan.modem.testsupport.ByteBits;
import dev.faxlan.modem.testsupport.Line;

/** Test plumbing for V.27ter: bytes to our transmitter's samples, samples through our receiver to bytes and events, a frequency-shifted line. */
final class V27terLink {
    private V27terLink() {
    }

    static short[] transmit(int bitRate, double dbm0, byte[] data) {
        return Line.drain(new V27terTransmitter(bitRate, dbm0, ByteBits.source(data)), 8000 * 600);
    }

    static ByteBits.Collector receive(int bitRate, short[] samples, int block) {
        ByteBits.Collector r = new ByteBits.Collector();
        Line.feed(new V27terReceiver(bitRate, r), samples, block);
        return r;
    }

    /**
     * The line as a channel with a carrier frequency offset (an analogue FDM link's) of {@code hz}
     * shifts it: the signal's Hilbert transform (a Hamming-windowed FIR, 129 taps) gives the analytic
     * signal, which is turned by {@code hz}.
     */
    static double[] shiftFrequency(double[] x, double hz) {
        int half = 64;
        double[] h = new double[2 * half + 1];
        for (int k = -half; k <= half; k++) {
            if (k % 2 != 0) {
                h[k + half] = 2 / (Math.PI * k) * (0.54 + 0.46 * Math.cos(Math.PI * k / half));
            }
        }
        double[] y = new double[x.length];
        for (int n = 0; n < x.length; n++) {
            double q = 0;
            for (int k = -half; k <= half; k++) {
                int j = n - k;
                if (j >= 0 && j < x.length) {
                    q += h[k + half] * x[j];
                }
            }
            double w = 2 * Math.PI * hz * n / 8000;
            y[n] = x[n] * Math.cos(w) - q * Math.sin(w);
        }
        return y;
    }
}
