package dev.faxlan.engine.interop;

import dev.faxlan.engine.audio.AudioCall;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxSessionObserver;
import dev.faxlan.engine.fax.T30State;
import dev.faxlan.engine.t30.T30Frame;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Our audio terminal as the far end of a spandsp {@link AudioPeer}: reads each 160-octet frame the
 * peer sends, answers it with one frame of ours, in lockstep, until the peer hangs up. Records our
 * events and the T.30 frames each way.
 */
final class FaxlanAudioEnd implements FaxSessionObserver {
    final List<FaxEvent> events = new ArrayList<>();
    final List<String> framesSent = new ArrayList<>();
    final List<String> framesReceived = new ArrayList<>();
    /** Frames with a good FCS that were not valid T.30: on a clean line, a sign of a wrong bit order or framing. */
    final List<String> malformed = new ArrayList<>();
    long frames;

    /** Carries the call until the peer closes the connection; our side may finish first and goes on answering. */
    void run(AudioCall call, AudioPeer.Running peer) throws IOException {
        DataInputStream in = new DataInputStream(peer.fromPeer());
        OutputStream out = peer.toPeer();
        byte[] frame = new byte[AudioPeer.FRAME_OCTETS];
        while (true) {
            try {
                in.readFully(frame);
            } catch (EOFException | java.net.SocketException hungUp) {
                return;
            }
            frames++;
            try {
                out.write(call.frame(frame));
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void frames(Direction direction, T30State state, List<T30Frame> frames, long now) {
        List<String> names = new ArrayList<>();
        for (T30Frame f : frames) names.add(f.fcf().name());
        synchronized (this) {
            (direction == Direction.SENT ? framesSent : framesReceived).add(String.join("+", names));
        }
    }

    @Override
    public synchronized void malformedFrame(T30State state, byte[] frame, String reason, long now) {
        malformed.add(state + ": " + reason);
    }

    long callMs() {
        return frames * 20;
    }
}
