package dev.faxlan.engine.tiff;

import java.io.IOException;

/**
 * A file that is not a TIFF this reader can turn into fax pages: malformed structure, a feature
 * outside bilevel TIFF, or a size beyond the limits. The message names the offending value.
 */
public class TiffFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public TiffFormatException(String message) {
        super(message);
    }
}
