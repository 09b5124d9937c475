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

    /** The candidate table covers received points with both coordinates in [-GRID, GRID). */
    private static final int GRID = 12;
    private static final int CELLS = 2 * GRID;
    private static final NearestTable[] TABLES = new NearestTable[4];

    private final V17Constellation constellation;
    private final NearestTable table;
    private final int depth;
    private final double[] metric = new double[8];
    private final double[] next = new double[8];
    final double[] subsetDistance = new double[8];
    final int[] subsetPoint = new int[8];
    /** Per symbol slot t and state s, at [8 t + s]: the state before, and the point that led here. */
    private final int[] previous;
    private final int[] point;
    private int now = -1;
    private int filled;
    private int nearest;

    V17Viterbi(V17Constellation constellation, int depth) {
        this.constellation = constellation;
        this.table = NearestTable.of(constellation);
        this.depth = depth;
        this.previous = new int[depth * 8];
        this.point = new int[depth * 8];
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
        scoreSubsets(re, im);
        int best = 0;
        for (int l = 1; l < 8; l++) {
            if (subsetDistance[l] < subsetDistance[best]) {
                best = l;
            }
        }
        nearest = subsetPoint[best];

        now = now + 1 == depth ? 0 : now + 1;
        int slot = now * 8;
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
            previous[slot + s] = from;
            point[slot + s] = subsetPoint[label];
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
            state = previous[t * 8 + state];
            t = t == 0 ? depth - 1 : t - 1;
        }
        return point[t * 8 + state];
    }

    /** The nearest point of each subset to (re, im) and its squared distance, into subsetPoint and subsetDistance. */
    void scoreSubsets(double re, double im) {
        // Rounding may put a point a hair outside its cell (re + GRID rounds up to the next integer);
        // the table's margin covers that, and the check below the table's far edge.
        int x = (int) (re + GRID);
        int y = (int) (im + GRID);
        if (re >= -GRID && im >= -GRID && x < CELLS && y < CELLS) {
            Arrays.fill(subsetDistance, Double.MAX_VALUE);
            double[] cre = constellation.re;
            double[] cim = constellation.im;
            // Only the points that can be nearest anywhere in the received point's unit cell, in index
            // order: the same decisions as scoring all of them (up to 128), at a fraction of the cost.
            int cell = (x * CELLS + y) * 8;
            int[] start = table.start;
            int[] candidates = table.candidates;
            for (int label = 0; label < 8; label++) {
                for (int c = start[cell + label]; c < start[cell + label + 1]; c++) {
                    int i = candidates[c];
                    double dr = re - cre[i];
                    double di = im - cim[i];
                    double d = dr * dr + di * di;
                    if (d < subsetDistance[label]) {
                        subsetDistance[label] = d;
                        subsetPoint[label] = i;
                    }
                }
            }
        } else {
            scoreAll(constellation, re, im, subsetDistance, subsetPoint);
        }
    }

    /** As {@link #scoreSubsets}, scoring every point of the constellation. */
    static void scoreAll(V17Constellation k, double re, double im, double[] distance, int[] nearest) {
        Arrays.fill(distance, Double.MAX_VALUE);
        for (int i = 0; i < k.re.length; i++) {
            double dr = re - k.re[i];
            double di = im - k.im[i];
            double d = dr * dr + di * di;
            int label = i & 7;
            if (d < distance[label]) {
                distance[label] = d;
                nearest[label] = i;
            }
        }
    }

    /**
     * For each unit cell of the plane near the constellation and each subset (label Y0 Y1 Y2), the
     * points of the subset that can be the nearest to some point of the cell: those whose distance to
     * the cell is at most the smallest farthest-corner distance of any point of the subset (with a
     * margin for rounding), in index order, so that scoring them finds the same point as scoring all.
     */
    static final class NearestTable {
        final int[] start;
        final int[] candidates;

        private NearestTable(V17Constellation k) {
            int n = k.size();
            start = new int[CELLS * CELLS * 8 + 1];
            int[] list = new int[CELLS * CELLS * n];
            int count = 0;
            for (int x = 0; x < CELLS; x++) {
                for (int y = 0; y < CELLS; y++) {
                    double x0 = x - GRID;
                    double y0 = y - GRID;
                    for (int label = 0; label < 8; label++) {
                        int cell = (x * CELLS + y) * 8 + label;
                        start[cell] = count;
                        double bound = Double.MAX_VALUE;
                        for (int i = label; i < n; i += 8) {
                            double fx = Math.max(Math.abs(k.re[i] - x0), Math.abs(k.re[i] - x0 - 1));
                            double fy = Math.max(Math.abs(k.im[i] - y0), Math.abs(k.im[i] - y0 - 1));
                            bound = Math.min(bound, fx * fx + fy * fy);
                        }
                        for (int i = label; i < n; i += 8) {
                            double nx = Math.max(0, Math.max(x0 - k.re[i], k.re[i] - x0 - 1));
                            double ny = Math.max(0, Math.max(y0 - k.im[i], k.im[i] - y0 - 1));
                            if (nx * nx + ny * ny <= bound + 1e-6) list[count++] = i;
                        }
                    }
                }
            }
            start[CELLS * CELLS * 8] = count;
            candidates = Arrays.copyOf(list, count);
        }

        static NearestTable of(V17Constellation k) {
            int slot = switch (k.bitRate) {
                case 14400 -> 0;
                case 12000 -> 1;
                case 9600 -> 2;
                default -> 3;
            };
            synchronized (TABLES) {
                if (TABLES[slot] == null) TABLES[slot] = new NearestTable(k);
                return TABLES[slot];
            }
        }
    }
}
