package dev.faxlan.engine.t4;

/** Fax image coding schemes. */
public enum Compression {
    /** ITU-T T.4 one-dimensional coding, Modified Huffman; TIFF Compression 3 without 2-D. */
    MH,
    /**
     * ITU-T T.4 two-dimensional coding, Modified READ: every K-th line one-dimensional, the rest
     * coded against the line above; each EOL carries a tag bit saying which. TIFF Compression 3
     * with T4Options bit 0.
     */
    MR,
    /** ITU-T T.6 Modified Modified READ: all lines 2-D, no EOLs, page ends with EOFB; TIFF 4. */
    MMR,
    /**
     * TIFF Compression 2 ("CCITT RLE"): MH codes without EOLs, each row starting on a byte
     * boundary. Never used on a fax line; supported because libtiff writes it.
     */
    RLE
}
