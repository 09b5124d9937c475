package dev.faxlan.engine.t38;

/** T.38 T30-indicator values (T.38 Annex A), the basic ones every version supports. */
public enum Indicator {
    NO_SIGNAL(0), CNG(1), CED(2), V21_PREAMBLE(3),
    V27TER_2400_TRAINING(4), V27TER_4800_TRAINING(5),
    V29_7200_TRAINING(6), V29_9600_TRAINING(7),
    V17_7200_SHORT_TRAINING(8), V17_7200_LONG_TRAINING(9),
    V17_9600_SHORT_TRAINING(10), V17_9600_LONG_TRAINING(11),
    V17_12000_SHORT_TRAINING(12), V17_12000_LONG_TRAINING(13),
    V17_14400_SHORT_TRAINING(14), V17_14400_LONG_TRAINING(15);

    private final int code;

    Indicator(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static Indicator of(int code) throws T38FormatException {
        if (code < 0 || code >= values().length) throw new T38FormatException("unknown T.38 indicator " + code);
        return values()[code];
    }
}
