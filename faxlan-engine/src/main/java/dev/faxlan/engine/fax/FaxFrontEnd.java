package dev.faxlan.engine.fax;

import dev.faxlan.engine.t30.Modem;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The port between the T.30 protocol ({@link FaxSession}) and what carries it: the session says which
 * signals to put on the line and hears what arrives, without knowing whether a T.38 gateway or an
 * audio modem is at the other end. {@link T38FrontEnd} carries them as timed IFPs; an audio front end
 * (G.711 with V.21, V.27ter, V.29 and V.17 modems) is the next implementation. As spandsp's
 * {@code t30.c} does no I/O of its own, beside {@code t38_terminal.c} and {@code fax.c}.
 *
 * <p>Signals queue one after the other: each starts when the one before has ended on the line, and the
 * front end tells its {@link Receiver} when the queue has drained, so T.30 timers start when a command
 * has actually been sent. Time is passed in; nothing here reads a clock.
 */
public interface FaxFrontEnd {

    /** Tones of phase A. */
    enum Tone {
        /** Calling tone: 1100 Hz, sent by the calling terminal. */
        CNG,
        /** Called terminal identification: 2100 Hz, sent by the answering terminal. */
        CED
    }

    /** What a front end tells its T.30 session, on the thread that drives both. */
    interface Receiver {
        /** Everything queued has been sent. */
        void txIdle(long now);

        /**
         * V.21 HDLC flags began: a frame is on its way. T.30 (5.4.3.1) resets T2 and T4 when flags are
         * received, so a command or response already on the line is not talked over.
         */
        default void hdlcStart(long now) {}

        /** A complete HDLC frame; {@code good} when its FCS was reported OK and no part of it was lost. */
        void hdlcFrame(byte[] frame, boolean good, long now);

        /** The peer's V.21 carrier went down after HDLC frames. */
        void hdlcEnd(long now);

        /** Image-modem data: TCF or page, as the session expects. */
        void imageData(byte[] chunk, long now);

        /** The image carrier ended. */
        void imageEnd(long now);
    }

    /**
     * The image modem families this front end can carry: the session's DIS offers only these, and as the
     * caller it chooses only among these. T.38 carries them all.
     */
    default Set<Modem.Family> modemFamilies() {
        return EnumSet.allOf(Modem.Family.class);
    }

    /** Connects the session that hears what arrives; called once, before anything is sent or received. */
    void attach(Receiver receiver);

    /** Queues a phase A tone. */
    void sendTone(Tone tone, long now);

    /**
     * Queues HDLC frames (without flags and FCS) on V.21 at 300 bit/s, preceded by the preamble; the
     * last frame is the final one of the burst.
     */
    void sendHdlc(List<byte[]> frames, long now);

    /**
     * As {@link #sendHdlc(List, long)}, the frames whose index is in {@code badFcs} with a wrong FCS (as
     * spandsp's {@code hdlc_tx_corrupt_frame}), for a conformance tester; a front end that cannot
     * damage a frame leaves it out.
     */
    default void sendHdlc(List<byte[]> frames, BitSet badFcs, long now) {
        List<byte[]> kept = new java.util.ArrayList<>();
        for (int i = 0; i < frames.size(); i++) if (!badFcs.get(i)) kept.add(frames.get(i));
        if (!kept.isEmpty()) sendHdlc(kept, now);
    }

    /** Queues the training check (TCF): long training, then 1.5 s of zeros at the modem's rate. */
    void sendTcf(Modem modem, long now);

    /** Queues a non-ECM page: training, then {@code data} at the modem's rate, then carrier off. */
    void sendImage(Modem modem, boolean longTraining, byte[] data, long now);

    /**
     * A list of frames made when asked for that knows their lengths without making them: a front end
     * that needs the lengths up front (to know when the carrier ends) asks here, and makes each frame once.
     */
    interface FrameLengths {
        /** The length of frame {@code i} once made. */
        int length(int i);
    }

    /** Queues ECM phase C: training, then HDLC frames (FCD and RCP) on the image modem, then carrier off. */
    void sendImageFrames(Modem modem, boolean longTraining, List<byte[]> frames, long now);

    /** Whether queued signals have not all been sent yet. */
    boolean txBusy();

    /** Drops everything queued and not yet sent (a local hang-up). */
    void clearTx();
}
