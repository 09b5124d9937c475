package dev.faxlan.modem.v17;

import java.util.Arrays;

/**
 * Maximum-likelihood decoder for V.17's 8-state trellis code. Each received point is scored
 * against the nearest point of each of the eight subsets (labels Y0 Y1 Y2); the survivors of the
 * eight coder states are traced back {@code depth} symbols, so a symbol's decision comes out
 * {@code depth - 1} symbols after it went in. The decoder starts with every state equally likely,
 * although the transmitter's coder starts in state 0: a carrier phase a quarter turn off (which the
 * differential coding makes harmless) turns the path into one from another state, and the first 48
 * symbols of a carrier are the training's ones, never data.
 */
final class V17Viterbi {
    private static final int[][] FROM_STATE = new int[8][4];
    private static final int[][] FROM_LABEL = new int[8][4];

    static {
        int[] seen = new int[8];
        for (int s = 0; s < 8; s++) {
            for (int pair = 0; pair < 4; pair++) {
                int next = V17Trellis.NEXT_STATE[s][pair];
                FROM_STATE[next][seen[next]] = s;
                FROM_LABEL[next][seen[next]] = V17Trellis.label(s, pair);
                seen[next]++;
            }
        }
    }

    private final V17Constellation constellation;
    private final int depth;
    private final double[] metric = new double[8];
    private final double[] next = new double[8];
    private final double[] subsetDistance = new double[8];
    private final int[] subsetPoint = new int[8];
    private final int[][] previous;
    private final int[][] point;
    private int now = -1;
    private int filled;
    private int nearest;

    V17Viterbi(V17Constellation constellation, int depth) {
        this.constellation = constellation;
        this.depth = depth;
        this.previous = new int[depth][8];
        this.point = new int[depth][8];
        reset();
    }

    void reset() {
        Arrays.fill(metric, 0);
        filled = 0;
        now = -1;
    }

    /** The point nearest the last symbol taken, whatever the trellis says: a quick decision for tracking. */
    int nearest() {
        return nearest;
    }

    /**
     * Takes one received point; returns the decided point index of the symbol {@code depth - 1}
     * symbols back, or -1 while the first {@code depth - 1} symbols are still undecided.
     */
    int decode(double re, double im) {
        double[] cre = constellation.re;
        double[] cim = constellation.im;
        Arrays.fill(subsetDistance, Double.MAX_VALUE);
        for (int i = 0; i < cre.length; i++) {
            double dr = re - cre[i];
            double di = im - cim[i];
            double d = dr * dr + di * di;
            int label = i & 7;
            if (d < subsetDistance[label]) {
                subsetDistance[label] = d;
                subsetPoint[label] = i;
            }
        }
        int best = 0;
        for (int l = 1; l < 8; l++) {
            if (subsetDistance[l] < subsetDistance[best]) {
                best = l;
            }
        }
        nearest = subsetPoint[best];

        now = now + 1 == depth ? 0 : now + 1;
        int[] prev = previous[now];
        int[] pts = point[now];
        double lowest = Double.MAX_VALUE;
        int lowestState = 0;
        for (int s = 0; s < 8; s++) {
            double m = Double.MAX_VALUE;
            int from = 0;
            int label = 0;
            for (int k = 0; k < 4; k++) {
                double c = metric[FROM_STATE[s][k]] + subsetDistance[FROM_LABEL[s][k]];
                if (c < m) {
                    m = c;
                    from = FROM_STATE[s][k];
                    label = FROM_LABEL[s][k];
                }
            }
            next[s] = m;
            prev[s] = from;
            pts[s] = subsetPoint[label];
            if (m < lowest) {
                lowest = m;
                lowestState = s;
            }
        }
        // Keep the metrics small: only their differences matter.
        for (int s = 0; s < 8; s++) {
            metric[s] = next[s] - lowest;
        }
        if (filled < depth) {
            filled++;
            if (filled < depth) {
                return -1;
            }
        }
        int state = lowestState;
        int t = now;
        for (int i = 0; i < depth - 1; i++) {
            state = previous[t][state];
            t = t == 0 ? depth - 1 : t - 1;
        }
        return point[t][state];
    }
}
