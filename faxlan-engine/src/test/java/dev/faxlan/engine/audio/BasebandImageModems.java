package dev.faxlan.engine.audio;

import dev.faxlan.engine.t30.Modem;
import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.ModemTransmitter;
import java.util.EnumSet;
import java.util.Set;

/**
 * A stand-in image modem for testing the audio front end's phase C on its own, before and apart from
 * the real V.27ter/V.29/V.17: one bit per sample as the sign of a 4000 Hz carrier (which G.711 carries
 * unharmed), after a preamble of 200 samples of carrier and a marker of 8 inverted ones. Its receiver
 * trains on the preamble and drops the carrier after 8 quiet samples. Not a fax modem: it ignores the
 * rate, and only a clean line carries it.
 */
final class BasebandImageModems implements ImageModems {
    static final int AMPLITUDE = 8000;
    static final int PREAMBLE = 200;
    static final int MARKER = 8;

    private final Set<Modem.Family> families;
    int transmitters;
    int longTrainings;

    BasebandImageModems(Set<Modem.Family> families) {
        this.families = EnumSet.copyOf(families);
    }

    static BasebandImageModems all() {
        return new BasebandImageModems(EnumSet.allOf(Modem.Family.class));
    }

    @Override
    public Set<Modem.Family> families() {
        return families;
    }

    @Override
    public ModemTransmitter transmitter(Modem modem, boolean longTraining, BitSource source) {
        transmitters++;
        if (longTraining) longTrainings++;
        return new ModemTransmitter() {
            private long k;
            private boolean ended;

            @Override
            public int fill(short[] samples, int off, int len) {
                for (int i = 0; i < len; i++, k++) {
                    int s;
                    if (k < PREAMBLE) {
                        s = 1;
                    } else if (k < PREAMBLE + MARKER) {
                        s = -1;
                    } else {
                        int bit = ended ? BitSource.END : source.nextBit();
                        if (bit == BitSource.END) {
                            ended = true;
                            return i;
                        }
                        s = bit == 1 ? 1 : -1;
                    }
                    samples[off + i] = (short) ((k & 1) == 0 ? s * AMPLITUDE : -s * AMPLITUDE);
                }
                return len;
            }
        };
    }

    @Override
    public ModemReceiver receiver(Modem modem, BitSink sink) {
        return new ModemReceiver() {
            private long sample;
            private int previous;
            private int run;
            private int marker;
            private int quiet;
            private boolean up;
            /** Carrier phase: the sign a +1 symbol has on the samples where this is true. */
            private boolean even;

            @Override
            public void receive(short[] samples, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    sample++;
                    int x = samples[i];
                    int sign = x > AMPLITUDE / 2 ? 1 : x < -AMPLITUDE / 2 ? -1 : 0;
                    even = !even;
                    if (up) {
                        if (sign == 0) {
                            if (++quiet == 8) {
                                up = false;
                                run = 0;
                                sink.carrierDown(sample);
                            }
                            continue;
                        }
                        quiet = 0;
                        sink.bit((even ? sign : -sign) > 0 ? 1 : 0);
                        continue;
                    }
                    if (run >= 64 && sign != 0 && sign == previous) {
                        // The carrier's phase flips: the marker begins. Align the phase so its symbols read -1.
                        even = sign < 0;
                        marker = 1;
                        run = 0;
                    } else if (marker > 0) {
                        marker = (even ? sign : -sign) < 0 ? marker + 1 : 0;
                        if (marker == MARKER) {
                            marker = 0;
                            up = true;
                            quiet = 0;
                            sink.carrierUp(sample);
                        }
                    } else {
                        run = sign != 0 && sign == -previous ? run + 1 : 0;
                    }
                    previous = sign;
                }
            }
        };
    }
}
