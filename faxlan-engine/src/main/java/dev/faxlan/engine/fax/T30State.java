package dev.faxlan.engine.fax;

/**
 * Where a {@link FaxSession} is in the T.30 procedure, named after the nodes of the flow charts in
 * T.30 §5.2 (Figure 5-2) as spandsp names them: T and R for phase B of the calling and the answering
 * terminal, D for the training check, I to IV for the sender's phases C and D, F for the receiver's,
 * B for phase E.
 */
public enum T30State {
    /** Calling terminal, phase B: CNG sent, waiting for the called terminal's DIS (timer T1). */
    T,
    /** Calling terminal, phase B: DCS and the training check (TCF) sent, waiting for CFR or FTT (timer T4). */
    D_POST_TCF,
    /** Calling terminal, phase C without ECM: a page going out on the image modem. */
    I,
    /** Calling terminal, phase D without ECM: MPS or EOP sent, waiting for MCF, RTP or RTN (timer T4). */
    II_Q,
    /** Calling terminal, phase C with ECM: a block of FCD frames and RCP going out. */
    IV,
    /** Calling terminal, phase D with ECM: PPS (or CTC, or RR) sent, waiting for MCF, PPR, CTR or RNR (timer T4). */
    IV_PPS_Q,
    /** Answering terminal, phase B: CED and DIS sent, waiting for DCS, repeating DIS (timers T1 and T4). */
    R,
    /** Answering terminal, phase B: DCS received, the training check arriving (timer T2). */
    F_TCF,
    /** Answering terminal, phase C without ECM: page data arriving. */
    F_DOC_NON_ECM,
    /** Answering terminal, phase D without ECM: a page received, waiting for MPS, EOP or EOM (timer T2). */
    F_POST_DOC_NON_ECM,
    /** Answering terminal, phases C and D with ECM: FCD frames of a block arriving, then PPS. */
    F_DOC_ECM,
    /**
     * Phase E (node B): the calling terminal has sent DCN after the last page, or the answering terminal
     * has confirmed the last page and waits for the caller's DCN (timer T2).
     */
    B,
    /** The call is over; the result is known. */
    CALL_FINISHED
}
