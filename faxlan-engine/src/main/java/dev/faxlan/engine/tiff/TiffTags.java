package dev.faxlan.engine.tiff;

/** TIFF 6.0 and TIFF Class F (RFC 2306) tag numbers and field types used here. */
final class TiffTags {

    private TiffTags() {
    }

    static final int NEW_SUBFILE_TYPE = 254;
    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    static final int BITS_PER_SAMPLE = 258;
    static final int COMPRESSION = 259;
    static final int PHOTOMETRIC = 262;
    static final int FILL_ORDER = 266;
    static final int STRIP_OFFSETS = 273;
    static final int SAMPLES_PER_PIXEL = 277;
    static final int ROWS_PER_STRIP = 278;
    static final int STRIP_BYTE_COUNTS = 279;
    static final int X_RESOLUTION = 282;
    static final int Y_RESOLUTION = 283;
    static final int T4_OPTIONS = 292;
    static final int T6_OPTIONS = 293;
    static final int RESOLUTION_UNIT = 296;
    static final int PAGE_NUMBER = 297;
    static final int SOFTWARE = 305;
    static final int TILE_WIDTH = 322;
    static final int BAD_FAX_LINES = 326;
    static final int CLEAN_FAX_DATA = 327;
    static final int CONSECUTIVE_BAD_FAX_LINES = 328;

    static final int TYPE_BYTE = 1;
    static final int TYPE_ASCII = 2;
    static final int TYPE_SHORT = 3;
    static final int TYPE_LONG = 4;
    static final int TYPE_RATIONAL = 5;

    static final int COMPRESSION_NONE = 1;
    static final int COMPRESSION_CCITT_RLE = 2;
    static final int COMPRESSION_CCITT_T4 = 3;
    static final int COMPRESSION_CCITT_T6 = 4;
    static final int COMPRESSION_PACKBITS = 32773;

    static final int T4_2D = 1;
    static final int T4_UNCOMPRESSED = 2;
    static final int T4_FILL_BITS = 4;
}
