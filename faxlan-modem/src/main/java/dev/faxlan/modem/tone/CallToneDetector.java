package dev.faxlan.modem.tone;

import dev.faxlan.modem.Levels;

/**
 * Detects CNG (1100 Hz) and CED or ANSam (2100 Hz) in 8 kHz samples.
 *
 * <p>Each 10 ms block goes through a Goertzel filter at both frequencies. A block counts as tone
 * when its level is at least -43 dBm0 and the bin holds most of the block's energy (which accepts
 * the tone within about ±40 Hz and rejects it beyond ±80 Hz, and rejects speech and noise). Once
 * the tone is present the thresholds relax to -48 dBm0 and a smaller share (hysteresis), and a
 * single bad block (a phase reversal of ANS/ or a lost packet) does not break the run.
 *
 * <p>A tone is reported when it has lasted {@value #CNG_MIN_MS} ms (CNG) or {@value #ANS_MIN_MS} ms
 * (2100 Hz), shorter than the tones' shortest legal bursts (0.425 s and 2.6 s), and ended after
 * {@value #END_BLOCKS} bad blocks in a row. A 2100 Hz tone whose block levels swing by more than
 * {@value #ANSAM_MIN_DEPTH} around their mean (V.8's 15 Hz modulation is ±0.2) is ANSam, else CED.
 *
 * <p>Memory is fixed: a few numbers per frequency, whatever arrives.
 */
public final class CallToneDetector {
    /** Told when a tone has been present long enough, and when it has gone. */
    public interface Listener {
        void toneStarted(CallTone tone, long sample);

        void toneEnded(CallTone tone, long sample);
    }

    static final int BLOCK = 80;
    static final int CNG_MIN_MS = 400;
    static final int ANS_MIN_MS = 500;
    static final int END_BLOCKS = 3;
    static final double ANSAM_MIN_DEPTH = 0.1;
    private static final double ON_SHARE = 0.45;
    private static final double HOLD_SHARE = 0.3;
    private static final double ON_MEAN_SQUARE = Levels.meanSquare(-43);
    private static final double HOLD_MEAN_SQUARE = Levels.meanSquare(-48);

    private final Listener listener;
    private final Channel cng = new Channel(1100.0, CNG_MIN_MS * 8 / BLOCK, false);
    private final Channel ans = new Channel(2100.0, ANS_MIN_MS * 8 / BLOCK, true);
    private double blockEnergy;
    private int inBlock;
    private long sample;

    public CallToneDetector(Listener listener) {
        this.listener = listener;
    }

    public void receive(short[] samples, int off, int len) {
        for (int i = off; i < off + len; i++) {
            double x = samples[i];
            cng.goertzel.update(x);
            ans.goertzel.update(x);
            blockEnergy += x * x;
            sample++;
            if (++inBlock == BLOCK) {
                double meanSquare = blockEnergy / BLOCK;
                cng.block(meanSquare, blockEnergy);
                ans.block(meanSquare, blockEnergy);
                blockEnergy = 0;
                inBlock = 0;
            }
        }
    }

    /** The tone being heard now, or null. */
    public CallTone present() {
        if (cng.reported != null) {
            return cng.reported;
        }
        return ans.reported;
    }

    /** One frequency's state. */
    private final class Channel {
        final Goertzel goertzel;
        final int minBlocks;
        final boolean classifyAnsam;
        int goodBlocks;
        int badRun;
        boolean active;
        CallTone reported;
        double minAmplitude = Double.MAX_VALUE;
        double maxAmplitude;

        Channel(double hz, int minBlocks, boolean classifyAnsam) {
            this.goertzel = new Goertzel(hz, 8000);
            this.minBlocks = minBlocks;
            this.classifyAnsam = classifyAnsam;
        }

        void block(double meanSquare, double energy) {
            double bin = goertzel.energyAndReset();
            // 1 for a pure tone on the bin: (a N / 2)^2 against N/2 times the energy a^2 N / 2.
            double share = energy > 0 ? bin / (energy * BLOCK / 2.0) : 0;
            boolean tone = active
                    ? meanSquare >= HOLD_MEAN_SQUARE && share >= HOLD_SHARE
                    : meanSquare >= ON_MEAN_SQUARE && share >= ON_SHARE;
            if (tone) {
                badRun = 0;
                active = true;
                goodBlocks++;
                if (goodBlocks > 2) {
                    // The first blocks may hold the tone's onset only: they say nothing about its envelope.
                    double amplitude = Math.sqrt(bin);
                    minAmplitude = Math.min(minAmplitude, amplitude);
                    maxAmplitude = Math.max(maxAmplitude, amplitude);
                }
                if (reported == null && goodBlocks >= minBlocks) {
                    reported = classifyAnsam ? classify() : CallTone.CNG;
                    listener.toneStarted(reported, sample);
                }
            } else if (active && ++badRun >= (reported != null ? END_BLOCKS : 2)) {
                // Before the report one bad block is forgiven, after it END_BLOCKS - 1.
                if (reported != null) {
                    listener.toneEnded(reported, sample);
                }
                active = false;
                reported = null;
                goodBlocks = 0;
                badRun = 0;
                minAmplitude = Double.MAX_VALUE;
                maxAmplitude = 0;
            }
        }

        private CallTone classify() {
            double depth = (maxAmplitude - minAmplitude) / (maxAmplitude + minAmplitude);
            return depth > ANSAM_MIN_DEPTH ? CallTone.ANSAM : CallTone.CED;
        }
    }
}
