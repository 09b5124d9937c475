package dev.faxlan.modem.v27ter;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.testsupport.Line;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Test plumbing for V.27ter: bytes to our transmitter's samples, samples through our receiver to bytes and events. */
final class V27terLink {
    private V27terLink() {
    }

    /** The bits of {@code data}, least significant first, then END. */
    static BitSource source(byte[] data) {
        int[] pos = {0};
        return () -> {
            if (pos[0] >= data.length * 8) {
                return BitSource.END;
            }
            int b = (data[pos[0] >> 3] >> (pos[0] & 7)) & 1;
            pos[0]++;
            return b;
        };
    }

    static short[] transmit(int bitRate, double dbm0, byte[] data) {
        return Line.drain(new V27terTransmitter(bitRate, dbm0, source(data)), 8000 * 600);
    }

    /** What a receiver made of a line: the bytes of each carrier and the events in order. */
    static final class Received implements BitSink {
        final List<ByteArrayOutputStream> carriers = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        long bits;
        private int acc;
        private int n;
        private boolean up;

        @Override
        public void bit(int bit) {
            bits++;
            if (!up) {
                events.add("bit without carrier");
                return;
            }
            acc |= (bit & 1) << n;
            if (++n == 8) {
                carriers.get(carriers.size() - 1).write(acc);
                acc = 0;
                n = 0;
            }
        }

        @Override
        public void carrierUp(long sample) {
            events.add("up");
            up = true;
            carriers.add(new ByteArrayOutputStream());
            acc = 0;
            n = 0;
        }

        @Override
        public void trainingFailed(long sample) {
            events.add("failed");
        }

        @Override
        public void carrierDown(long sample) {
            events.add("down");
            up = false;
        }

        /** The first {@code count} bytes of carrier {@code i} (fewer if it brought fewer). */
        byte[] data(int i, int count) {
            byte[] all = carriers.get(i).toByteArray();
            return java.util.Arrays.copyOf(all, Math.min(count, all.length));
        }
    }

    static Received receive(int bitRate, short[] samples, int block) {
        Received r = new Received();
        V27terReceiver rx = new V27terReceiver(bitRate, r);
        for (int off = 0; off < samples.length; off += block) {
            rx.receive(samples, off, Math.min(block, samples.length - off));
        }
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
