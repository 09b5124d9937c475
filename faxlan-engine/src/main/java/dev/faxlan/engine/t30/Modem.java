package dev.faxlan.engine.t30;

import dev.faxlan.engine.t38.DataType;
import dev.faxlan.engine.t38.Indicator;

/** Image modems and rates, fastest first, with their DCS code (bits 11-14) and their T.38 names. */
public enum Modem {
    V17_14400(14400, 0x1, DataType.V17_14400, Indicator.V17_14400_LONG_TRAINING, Indicator.V17_14400_SHORT_TRAINING),
    V17_12000(12000, 0x5, DataType.V17_12000, Indicator.V17_12000_LONG_TRAINING, Indicator.V17_12000_SHORT_TRAINING),
    V17_9600(9600, 0x9, DataType.V17_9600, Indicator.V17_9600_LONG_TRAINING, Indicator.V17_9600_SHORT_TRAINING),
    V17_7200(7200, 0xD, DataType.V17_7200, Indicator.V17_7200_LONG_TRAINING, Indicator.V17_7200_SHORT_TRAINING),
    V29_9600(9600, 0x8, DataType.V29_9600, Indicator.V29_9600_TRAINING, Indicator.V29_9600_TRAINING),
    V29_7200(7200, 0xC, DataType.V29_7200, Indicator.V29_7200_TRAINING, Indicator.V29_7200_TRAINING),
    V27_4800(4800, 0x4, DataType.V27TER_4800, Indicator.V27TER_4800_TRAINING, Indicator.V27TER_4800_TRAINING),
    V27_2400(2400, 0x0, DataType.V27TER_2400, Indicator.V27TER_2400_TRAINING, Indicator.V27TER_2400_TRAINING);

    private final int bitRate;
    private final int dcsCode;
    private final DataType dataType;
    private final Indicator longTraining;
    private final Indicator shortTraining;

    Modem(int bitRate, int dcsCode, DataType dataType, Indicator longTraining, Indicator shortTraining) {
        this.bitRate = bitRate;
        this.dcsCode = dcsCode;
        this.dataType = dataType;
        this.longTraining = longTraining;
        this.shortTraining = shortTraining;
    }

    public int bitRate() {
        return bitRate;
    }

    public int dcsCode() {
        return dcsCode;
    }

    public DataType dataType() {
        return dataType;
    }

    public Indicator longTraining() {
        return longTraining;
    }

    public Indicator shortTraining() {
        return shortTraining;
    }

    public Family family() {
        return switch (this) {
            case V17_14400, V17_12000, V17_9600, V17_7200 -> Family.V17;
            case V29_9600, V29_7200 -> Family.V29;
            default -> Family.V27TER;
        };
    }

    /** Modulation families as DIS offers them. */
    public enum Family { V27TER, V29, V17 }

    public static Modem ofDcsCode(int code) throws T30FormatException {
        for (Modem m : values()) if (m.dcsCode == code) return m;
        throw new T30FormatException("DCS selects unsupported or reserved modem code " + code);
    }

    /** The next slower modem to fall back to after a failed training, or null at the bottom. */
    public Modem fallback(java.util.Set<Family> allowed) {
        for (int i = ordinal() + 1; i < values().length; i++) {
            if (allowed.contains(values()[i].family())) return values()[i];
        }
        return null;
    }
}
