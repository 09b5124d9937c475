package dev.faxlan.engine.tiff;

/**
 * What the IFD of one page says, after validation.
 *
 * @param width ImageWidth
 * @param height ImageLength
 * @param xRes horizontal resolution in dpi, converted from centimetres if needed
 * @param yRes vertical resolution in dpi
 * @param compression TIFF Compression value (1, 2, 3, 4 or 32773)
 * @param photometric 0 min-is-white or 1 min-is-black
 * @param fillOrder 1 or 2
 * @param t4Options T4Options (0 if absent)
 * @param rowsPerStrip rows per strip, at most height
 * @param stripCount number of strips
 * @param badFaxLines BadFaxLines tag, or -1 if absent
 */
public record TiffPageInfo(
        int width, int height, int xRes, int yRes, int compression, int photometric,
        int fillOrder, long t4Options, int rowsPerStrip, int stripCount, long badFaxLines) {
}
