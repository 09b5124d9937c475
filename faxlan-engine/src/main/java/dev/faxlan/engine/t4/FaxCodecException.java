package dev.faxlan.engine.t4;

import java.io.IOException;

/**
 * Coded fax data that cannot be turned into a page at all: not a damaged line (those are
 * repaired and counted, see {@link DecodeResult#badLineCount()}) but, for example, a page that
 * runs past the row limit. It is an {@link IOException} because it is a fault of the input, like
 * the read errors the streaming API can also raise.
 */
public class FaxCodecException extends IOException {

    private static final long serialVersionUID = 1L;

    public FaxCodecException(String message) {
        super(message);
    }
}
