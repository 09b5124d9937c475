package dev.faxlan.engine.audio;

import dev.faxlan.modem.g711.G711;

/**
 * An {@link AudioTerminal} on G.711: octets of µ-law or A-law in and out, one frame out for each frame
 * in (20 ms, 160 octets, as RTP carries them), so the terminal's clock is the received stream's. Not
 * thread-safe.
 */
public final class AudioCall {
    private final AudioTerminal terminal;
    private final G711 law;
    private short[] in = new short[AudioTerminal.BLOCK];
    private short[] out = new short[AudioTerminal.BLOCK];

    public AudioCall(AudioTerminal terminal, G711 law) {
        this.terminal = terminal;
        this.law = law;
    }

    public AudioTerminal terminal() {
        return terminal;
    }

    /** Hears {@code received} (any length) and returns as many octets to send. */
    public byte[] frame(byte[] received) {
        int n = received.length;
        if (in.length < n) {
            in = new short[n];
            out = new short[n];
        }
        law.decode(received, 0, in, 0, n);
        terminal.process(in, 0, out, 0, n);
        byte[] sent = new byte[n];
        law.encode(out, 0, sent, 0, n);
        return sent;
    }

    public boolean done() {
        return terminal.done();
    }
}
