package dev.faxlan.lines.sip;

import dev.faxlan.engine.audio.AudioTerminal;
import dev.faxlan.engine.audio.FaxSignalDetector;
import dev.faxlan.modem.g711.G711;

/**
 * The audio of a call that may still switch to T.38: every frame heard goes through a
 * {@link FaxSignalDetector}; what goes out is silence until an audio fax terminal is started on it,
 * then that terminal's signals. The terminal may start at once (policy g711-then-t38) or only when
 * T.38 could not be had (t38-then-g711); {@link #leave} ends the audio without a word of T.30 when
 * the call switches to T.38. Touched by the RTP stream's thread only, except for the volatile
 * hand-overs.
 */
final class ListeningAudio implements RtpAudio.Frames {
    private final G711 law;
    private final FaxSignalDetector detector;
    private volatile AudioTerminal pending;
    private AudioTerminal terminal;
    private volatile boolean left;
    private short[] in = new short[AudioTerminal.BLOCK];
    private short[] out = new short[AudioTerminal.BLOCK];

    ListeningAudio(G711 law, FaxSignalDetector.Listener heard) {
        this.law = law;
        this.detector = new FaxSignalDetector(heard);
    }

    /** Starts {@code t} on this audio from the next frame on. */
    void start(AudioTerminal t) {
        pending = t;
    }

    /** Whether a fax terminal runs (or is about to) on this audio. */
    boolean faxing() {
        return pending != null;
    }

    /**
     * Whether the call can still leave the audio for T.38 without breaking a T.30 exchange: no fax of
     * ours runs yet, or the far end has not started T.30 (no V.21 heard from it), so a new T.30 on T.38
     * starts where the far end stands (waiting for DIS, or for CED to end).
     */
    boolean clean() {
        return pending == null || !detector.heard(FaxSignalDetector.Signal.V21_PREAMBLE);
    }

    /** Ends the audio at the next frame, without DCN: the call goes on in T.38. */
    void leave() {
        left = true;
    }

    @Override
    public byte[] frame(byte[] heard) {
        int n = heard.length;
        if (in.length < n) {
            in = new short[n];
            out = new short[n];
        }
        law.decode(heard, 0, in, 0, n);
        detector.receive(in, 0, n);
        if (terminal == null && pending != null) terminal = pending;
        byte[] sent = new byte[n];
        if (terminal != null) {
            terminal.process(in, 0, out, 0, n);
            law.encode(out, 0, sent, 0, n);
        } else {
            java.util.Arrays.fill(sent, law.encode(0));
        }
        return sent;
    }

    @Override
    public boolean done() {
        return left || terminal != null && terminal.done();
    }

    @Override
    public void cancel() {
        if (terminal != null && !terminal.done()) terminal.cancel();
        else if (terminal == null) left = true;
    }
}
