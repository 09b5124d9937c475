package dev.faxlan.engine.t4;

/** Order in which the bits of each byte of coded data are sent. */
public enum BitOrder {
    /** First bit of the code is bit 7 of the byte: TIFF FillOrder 1, the TIFF default. */
    MSB_FIRST,
    /** First bit is bit 0: TIFF FillOrder 2, and the order of bits on a T.4 fax line / T.38. */
    LSB_FIRST
}
