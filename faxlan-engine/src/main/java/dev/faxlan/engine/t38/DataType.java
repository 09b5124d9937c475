package dev.faxlan.engine.t38;

/** T.38 data types: the modulation whose data an IFP carries, with its bit rate. */
public enum DataType {
    V21(0, 300), V27TER_2400(1, 2400), V27TER_4800(2, 4800), V29_7200(3, 7200), V29_9600(4, 9600),
    V17_7200(5, 7200), V17_9600(6, 9600), V17_12000(7, 12000), V17_14400(8, 14400);

    private final int code;
    private final int bitRate;

    DataType(int code, int bitRate) {
        this.code = code;
        this.bitRate = bitRate;
    }

    public int code() {
        return code;
    }

    public int bitRate() {
        return bitRate;
    }

    static DataType of(int code) throws T38FormatException {
        if (code < 0 || code >= values().length) throw new T38FormatException("unknown or unsupported T.38 data type " + code);
        return values()[code];
    }
}
