package dev.faxlan.engine.tiff;

/** Compression of the pages a {@link TiffWriter} writes. */
public enum TiffEncoding {
    /** Compression 1: packed rows as they are; for interchange with tools, never for sending. */
    UNCOMPRESSED(1),
    /** Compression 3, T4Options bit 0 clear: MH. */
    G3_1D(3),
    /** Compression 3, T4Options bit 0 set: MR with K = 2 below 150 dpi and 4 above, as libtiff. */
    G3_2D(3),
    /** Compression 4: MMR. */
    G4(4);

    private final int tiffCode;

    TiffEncoding(int tiffCode) {
        this.tiffCode = tiffCode;
    }

    /** Value of the TIFF Compression tag. */
    public int tiffCode() {
        return tiffCode;
    }
}
