package dev.faxlan.modem.v17;

/**
 * V.17's signal points: the four training points A, B, C, D and the trellis-coded constellation of
 * each data rate. A data point's index is its label: bit 0 is the redundant bit Y0 of the
 * convolutional coder, bits 1-2 the differentially encoded pair Y1 Y2, bits 3 up the uncoded bits
 * Q3... in line order. Coordinates are the recommendation's, in its units (about 40 mean energy at
 * every rate, so one gain serves training and data).
 */
final class V17Constellation {
    /** The training points A, B, C, D (re, im pairs). B is A turned 90 degrees; C and D are A and B reversed. */
    static final int[] ABCD = {-6, -2, 2, -6, 6, 2, -2, 6};

    private static final int[] P14400 = {
        -8, -3, 9, 2, 2, -9, -3, 8, 8, 3, -9, -2, -2, 9, 3, -8, -8, 1, 9, -2, -2, -9, 1, 8, 8, -1, -9, 2, 2, 9,
        -1, -8, -4, -3, 5, 2, 2, -5, -3, 4, 4, 3, -5, -2, -2, 5, 3, -4, -4, 1, 5, -2, -2, -5, 1, 4, 4, -1, -5, 2,
        2, 5, -1, -4, 4, -3, -3, 2, 2, 3, -3, -4, -4, 3, 3, -2, -2, -3, 3, 4, 4, 1, -3, -2, -2, 3, 1, -4, -4, -1,
        3, 2, 2, -3, -1, 4, 0, -3, 1, 2, 2, -1, -3, 0, 0, 3, -1, -2, -2, 1, 3, 0, 0, 1, 1, -2, -2, -1, 1, 0,
        0, -1, -1, 2, 2, 1, -1, 0, 8, -3, -7, 2, 2, 7, -3, -8, -8, 3, 7, -2, -2, -7, 3, 8, 8, 1, -7, -2, -2, 7,
        1, -8, -8, -1, 7, 2, 2, -7, -1, 8, -4, -7, 5, 6, 6, -5, -7, 4, 4, 7, -5, -6, -6, 5, 7, -4, -4, 5, 5, -6,
        -6, -5, 5, 4, 4, -5, -5, 6, 6, 5, -5, -4, 4, -7, -3, 6, 6, 3, -7, -4, -4, 7, 3, -6, -6, -3, 7, 4, 4, 5,
        -3, -6, -6, 3, 5, -4, -4, -5, 3, 6, 6, -3, -5, 4, 0, -7, 1, 6, 6, -1, -7, 0, 0, 7, -1, -6, -6, 1, 7, 0,
        0, 5, 1, -6, -6, -1, 5, 0, 0, -5, -1, 6, 6, 1, -5, 0};
    private static final int[] P12000 = {
        7, 1, -5, -1, -1, 5, 1, -7, -7, -1, 5, 1, 1, -5, -1, 7, 3, -3, -1, 3, 3, 1, -3, -3, -3, 3, 1, -3, -3, -1,
        3, 3, 7, -7, -5, 7, 7, 5, -7, -7, -7, 7, 5, -7, -7, -5, 7, 7, -1, -7, 3, 7, 7, -3, -7, 1, 1, 7, -3, -7,
        -7, 3, 7, -1, 3, 5, -1, -5, -5, 1, 5, -3, -3, -5, 1, 5, 5, -1, -5, 3, -1, 1, 3, -1, -1, -3, 1, 1, 1, -1,
        -3, 1, 1, 3, -1, -1, -5, 5, 7, -5, -5, -7, 5, 5, 5, -5, -7, 5, 5, 7, -5, -5, -5, -3, 7, 3, 3, -7, -3, 5,
        5, 3, -7, -3, -3, 7, 3, -5};
    private static final int[] P9600 = {
        -8, 2, -6, -4, -4, 6, 2, 8, 8, -2, 6, 4, 4, -6, -2, -8, 0, 2, -6, 4, 4, 6, 2, 0, 0, -2, 6, -4, -4, -6,
        -2, 0, 0, -6, 2, -4, -4, -2, -6, 0, 0, 6, -2, 4, 4, 2, 6, 0, 8, 2, 2, 4, 4, -2, 2, -8, -8, -2, -2, -4,
        -4, 2, -2, 8};
    private static final int[] P7200 = {
        6, -6, -2, 6, 6, 2, -6, -6, -6, 6, 2, -6, -6, -2, 6, 6, -2, 2, 6, -2, -2, -6, 2, 2, 2, -2, -6, 2, 2, 6,
        -2, -2};

    /** Mean energy the transmitter's level refers to: that of A, B, C and D. */
    static final double REFERENCE_ENERGY = 40.0;

    final int bitRate;
    /** Data bits per symbol (the trellis adds one more). */
    final int bitsPerSymbol;
    final double[] re;
    final double[] im;
    /** The smallest distance between two points, as the training checks measure against. */
    final double spacing;

    private V17Constellation(int bitRate, int bitsPerSymbol, int[] pairs, double spacing) {
        this.bitRate = bitRate;
        this.bitsPerSymbol = bitsPerSymbol;
        this.re = new double[pairs.length / 2];
        this.im = new double[pairs.length / 2];
        for (int i = 0; i < re.length; i++) {
            re[i] = pairs[2 * i];
            im[i] = pairs[2 * i + 1];
        }
        this.spacing = spacing;
    }

    static V17Constellation forRate(int bitRate) {
        return switch (bitRate) {
            case 14400 -> new V17Constellation(14400, 6, P14400, Math.sqrt(2));
            case 12000 -> new V17Constellation(12000, 5, P12000, 2);
            case 9600 -> new V17Constellation(9600, 4, P9600, 2 * Math.sqrt(2));
            case 7200 -> new V17Constellation(7200, 3, P7200, 4);
            default -> throw new IllegalArgumentException(
                    "V.17 runs at 7200, 9600, 12000 or 14400 bit/s, not " + bitRate);
        };
    }

    int size() {
        return re.length;
    }
}
