package dev.faxlan.modem.tone;

/** The tones that open a fax call (T.30 §5, V.25, V.8). */
public enum CallTone {
    /** Calling tone: 1100 Hz, 0.5 s on, 3 s off, from the calling fax terminal. */
    CNG(1100.0),
    /** Called terminal identification (V.25 ANS): 2100 Hz, 2.6 to 4 s, from the answering fax. */
    CED(2100.0),
    /** V.8 ANSam: 2100 Hz amplitude-modulated at 15 Hz between 0.8 and 1.2 of its mean level. */
    ANSAM(2100.0);

    private final double hz;

    CallTone(double hz) {
        this.hz = hz;
    }

    public double hz() {
        return hz;
    }
}
