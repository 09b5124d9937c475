package dev.faxlan.engine.tiff;

import dev.faxlan.engine.t4.BitOrder;
import java.util.Objects;

/**
 * How a {@link TiffWriter} codes its pages.
 *
 * @param encoding compression of every page
 * @param fillBits G3 only: byte-align every EOL (T4Options bit 2)
 * @param fillOrder {@link BitOrder#MSB_FIRST} writes FillOrder 1 (the TIFF baseline),
 *     {@link BitOrder#LSB_FIRST} FillOrder 2
 * @param totalPages second value of every PageNumber tag; 0 means "not known", as TIFF 6.0
 *     allows, for writers that stream pages
 */
public record TiffWriteOptions(TiffEncoding encoding, boolean fillBits, BitOrder fillOrder, int totalPages) {

    public TiffWriteOptions {
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(fillOrder, "fillOrder");
        if (totalPages < 0 || totalPages > 0xFFFF) {
            throw new IllegalArgumentException("totalPages " + totalPages + " outside 0..65535");
        }
    }

    /** Class F with MMR, FillOrder 1. */
    public static TiffWriteOptions of(TiffEncoding encoding) {
        return new TiffWriteOptions(encoding, false, BitOrder.MSB_FIRST, 0);
    }

    public TiffWriteOptions withFillBits(boolean fill) {
        return new TiffWriteOptions(encoding, fill, fillOrder, totalPages);
    }

    public TiffWriteOptions withFillOrder(BitOrder order) {
        return new TiffWriteOptions(encoding, fillBits, order, totalPages);
    }

    public TiffWriteOptions withTotalPages(int total) {
        return new TiffWriteOptions(encoding, fillBits, fillOrder, total);
    }
}
