package dev.faxlan.engine.t38;

/** T.38 data field types. HDLC frames travel without flags, FCS or bit stuffing: the FCS verdict is the field type. */
public enum FieldType {
    HDLC_DATA, HDLC_SIG_END, HDLC_FCS_OK, HDLC_FCS_BAD, HDLC_FCS_OK_SIG_END, HDLC_FCS_BAD_SIG_END, T4_NON_ECM_DATA, T4_NON_ECM_SIG_END;

    static FieldType of(int code) throws T38FormatException {
        if (code < 0 || code >= values().length) throw new T38FormatException("unknown or unsupported T.38 field type " + code);
        return values()[code];
    }
}
