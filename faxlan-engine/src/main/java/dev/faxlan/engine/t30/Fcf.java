package dev.faxlan.engine.t30;

/**
 * T.30 facsimile control fields, written as in T.30's bracket notation: the first bit on the line is
 * the octet's most significant bit, which is how T.38 carries HDLC octets. Bit 0x80 is the X bit
 * (set by the station that received a valid DIS, normally the caller); {@link #of} ignores it.
 */
public enum Fcf {
    // Phase B, from the called terminal
    DIS(0x01, "digital identification signal"),
    CSI(0x02, "called subscriber identification"),
    NSF(0x04, "non-standard facilities"),
    // Phase B, from the calling terminal
    DTC(0x81, "digital transmit command"),
    // Polling: the DTC's companions, each the called terminal's frame with its first bit set
    CIG(0x82, "calling subscriber identification"),
    NSC(0x84, "non-standard facilities command"),
    SEP(0x85, "selective polling"),
    DCS(0x41, "digital command signal"),
    TSI(0x42, "transmitting subscriber identification"),
    NSS(0x44, "non-standard set-up"),
    SUB(0x43, "subaddress"),
    SID(0x45, "sender identification"),
    PWD(0x83, "password"),
    // Pre-message responses
    CFR(0x21, "confirmation to receive"),
    FTT(0x22, "failure to train"),
    CTR(0x23, "response for continue to correct"),
    // Post-message commands
    EOM(0x71, "end of message"),
    MPS(0x72, "multipage signal"),
    EOP(0x74, "end of procedure"),
    PRI_EOM(0x79, "procedure interrupt, end of message"),
    PRI_MPS(0x7A, "procedure interrupt, multipage signal"),
    PRI_EOP(0x7C, "procedure interrupt, end of procedure"),
    PPS(0x7D, "partial page signal"),
    EOR(0x73, "end of retransmission"),
    RR(0x76, "receiver ready"),
    CTC(0x48, "continue to correct"),
    // Post-message responses
    MCF(0x31, "message confirmation"),
    RTP(0x33, "retrain positive"),
    RTN(0x32, "retrain negative"),
    PIP(0x35, "procedure interrupt positive"),
    PIN(0x34, "procedure interrupt negative"),
    PPR(0x3D, "partial page request"),
    RNR(0x37, "receive not ready"),
    ERR(0x38, "response for end of retransmission"),
    // Line control
    DCN(0x5F, "disconnect"),
    CRP(0x58, "command repeat"),
    FNV(0x53, "field not valid"),
    // ECM image frames (T.4 Annex A), carried in HDLC frames like the rest
    FCD(0x60, "facsimile coded data"),
    RCP(0x61, "return to control for partial page");

    private final int code;
    private final String meaning;

    Fcf(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The FCF octet without the X bit (except DTC, CIG, NSC, PWD, SEP, whose first bit is always 1). */
    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The FCF for an octet, ignoring the X bit; null when it is not one we know. */
    public static Fcf of(int octet) {
        int withX = octet & 0xff;
        for (Fcf f : values()) {
            if (f.code == withX) return f;
        }
        int noX = withX & 0x7f;
        for (Fcf f : values()) {
            if ((f.code & 0x7f) == noX && (f.code & 0x80) == 0) return f;
        }
        return null;
    }

    /** Whether the X bit applies to this FCF (all but the called terminal's DIS, CSI, NSF and the fixed ones). */
    boolean carriesXBit() {
        return (code & 0x80) == 0 && this != DIS && this != CSI && this != NSF && this != FCD && this != RCP;
    }
}
