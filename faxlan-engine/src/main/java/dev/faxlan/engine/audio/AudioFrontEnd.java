package dev.faxlan.engine.audio;

import dev.faxlan.engine.fax.FaxFrontEnd;
import dev.faxlan.engine.t30.Dcs;
import dev.faxlan.engine.t30.Fcf;
import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t30.T30FormatException;
import dev.faxlan.engine.t30.T30Frame;
import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.ModemTransmitter;
import dev.faxlan.modem.hdlc.HdlcReceiver;
import dev.faxlan.modem.hdlc.HdlcTransmitter;
import dev.faxlan.modem.level.EnergyDetector;
import dev.faxlan.modem.tone.ToneGenerator;
import dev.faxlan.modem.v21.V21Channel;
import dev.faxlan.modem.v21.V21Receiver;
import dev.faxlan.modem.v21.V21Transmitter;
import java.io.ByteArrayOutputStream;
import java.util.AbstractList;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@link FaxFrontEnd} of an audio fax terminal: T.30's signals as 8 kHz 16-bit samples and
 * received samples back into T.30's events, as spandsp's {@code fax.c} does beside {@code t30.c}.
 *
 * <p>Sending: CNG (0.5 s on, 3 s off) plays while nothing else is queued, until the first signal is
 * queued or V.21 flags are heard; CED is 200 ms of silence and 2.6 s of 2100 Hz; HDLC frames go on
 * V.21 channel 2 after 1 s of flags; TCF, pages and ECM blocks on the image modem (ECM frames after
 * 200 ms of flags). Every V.21 burst and image carrier is preceded by 75 ms of silence (T.30's
 * turn-around). Receiving: V.21 channel 2 runs all the time; once a DCS has been heard the image
 * receiver it names runs beside it (long training for the TCF, the short one after), and whichever
 * of the two finds its signal first (V.21 flags, or a trained image carrier) has the line until its
 * carrier drops, as {@code fax.c} listens while it waits for phase C.
 *
 * <p>Time is the sample count: {@link #transmit} and {@link #receive} each take the samples of one
 * block, and milliseconds given to and by the session are samples / 8. No clock, no threads.
 */
public final class AudioFrontEnd implements FaxFrontEnd {
    static final int SAMPLES_PER_MS = 8;
    /** T.30 §5.3.2.2's turn-around: silence before every V.21 burst and every image carrier. */
    static final int TURNAROUND = 75 * SAMPLES_PER_MS;
    static final int CED_SILENCE = 200 * SAMPLES_PER_MS;
    static final int CED_LENGTH = 2600 * SAMPLES_PER_MS;
    /** CNG's and CED's level, as spandsp sends them. */
    static final double TONE_DBM0 = -11.0;
    /** Back-to-back V.21 flags that make a burst HDLC framing rather than noise (spandsp's tone detector uses 5); chance makes a flag every 256 bits or so, but not five in a row. */
    static final int FRAMING_FLAGS = 5;
    /** The poll/final bit of a T.30 control field (0xC8 against 0xC0, in the session's bit order). */
    static final int FINAL_BIT = 0x08;
    /** The TCF: 1.5 s of zeros at the modem's rate. */
    static final int TCF_MS = 1500;

    private final ImageModems modems;
    private Receiver listener;

    // ------------------------------------------------------------------ transmit state

    /** A queued signal: silence until {@code notBefore}, then {@code gap} samples of silence, then the modem's output. */
    private record Queued(long notBefore, int gap, Supplier<ModemTransmitter> make) {
    }

    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private Queued starting;
    private int silenceLeft;
    private ModemTransmitter current;
    private ToneGenerator cng;
    private boolean idleReported = true;
    private long txSample;

    // ------------------------------------------------------------------ receive state

    private long rxSample;
    private final HdlcReceiver v21Hdlc;
    private final V21Receiver v21;
    /** The last 8 V.21 bits, the newest in bit 7, and flags seen back to back, 8 bits apart. */
    private int lastBits;
    private int bitsSinceFlag;
    private int flagRun;
    private boolean v21Carrier;
    /** V.21 framing found on the present V.21 carrier: it has the line. */
    private boolean v21Active;

    /** The image modem a received DCS named, or null: then no image receiver runs. */
    private Modem expected;
    private boolean expectEcm;
    private boolean tcfNext;
    private ModemReceiver image;
    private ImageSink imageSink;
    private boolean restartImage;
    private final EnergyDetector energy;
    /** Whether the signal now on the line (by energy) carried V.21 framing. */
    private boolean burstV21;

    /** A front end on faxlan's own modems. */
    public AudioFrontEnd() {
        this(ImageModems.faxlan());
    }

    /** A front end whose image modems are {@code modems}. */
    public AudioFrontEnd(ImageModems modems) {
        this.modems = modems;
        this.v21Hdlc = new HdlcReceiver(new V21Frames());
        this.v21 = new V21Receiver(V21Channel.CHANNEL_2, new BitSink() {
            @Override
            public void bit(int bit) {
                v21Hdlc.bit(bit);
                countFlags(bit);
            }

            @Override
            public void carrierUp(long sample) {
                v21Hdlc.carrierUp(sample);
                v21Carrier = true;
                flagRun = 0;
            }

            @Override
            public void carrierDown(long sample) {
                v21Hdlc.carrierDown(sample);
                v21Carrier = false;
                v21Ended();
            }
        });
        this.energy = EnergyDetector.forFax((on, sample) -> energyChanged(on));
    }

    @Override
    public void attach(Receiver receiver) {
        if (this.listener != null) throw new IllegalStateException("this audio front end already reports to a session");
        this.listener = receiver;
    }

    /**
     * The families DIS can name out of those built: DIS has codes for V.27ter, V.29, both, or all three,
     * so V.17 is offered only with both of the others.
     */
    @Override
    public Set<Modem.Family> modemFamilies() {
        Set<Modem.Family> built = EnumSet.noneOf(Modem.Family.class);
        built.addAll(modems.families());
        if (!built.containsAll(EnumSet.allOf(Modem.Family.class))) built.remove(Modem.Family.V17);
        return built;
    }

    private static long ms(long samples) {
        return samples / SAMPLES_PER_MS;
    }

    // ------------------------------------------------------------------ transmit

    private void enqueue(long nowMs, int gap, Supplier<ModemTransmitter> make) {
        queue.addLast(new Queued(nowMs * SAMPLES_PER_MS, gap, make));
        cng = null;
        idleReported = false;
    }

    @Override
    public void sendTone(Tone tone, long now) {
        if (tone == Tone.CNG) {
            // Played only while nothing else is to be sent: the caller hears for DIS meanwhile.
            cng = ToneGenerator.cng(TONE_DBM0);
        } else {
            enqueue(now, CED_SILENCE, () -> ToneGenerator.ced(TONE_DBM0, CED_LENGTH));
        }
    }

    @Override
    public void sendHdlc(List<byte[]> frames, long now) {
        sendHdlc(frames, new BitSet(), now);
    }

    @Override
    public void sendHdlc(List<byte[]> frames, BitSet badFcs, long now) {
        List<byte[]> lineOrder = frames.stream().map(AudioFrontEnd::reversed).toList();
        BitSet bad = (BitSet) badFcs.clone();
        enqueue(now, TURNAROUND, () -> new V21Transmitter(V21Channel.CHANNEL_2,
                new HdlcTransmitter(HdlcTransmitter.t30PreambleFlags(300), lineOrder, bad)));
    }

    @Override
    public void sendTcf(Modem modem, long now) {
        sendImage(modem, true, new byte[modem.bitRate() * TCF_MS / 8000], now);
    }

    @Override
    public void sendImage(Modem modem, boolean longTraining, byte[] data, long now) {
        check(modem);
        enqueue(now, TURNAROUND, () -> modems.transmitter(modem, longTraining, new OctetBits(data)));
    }

    @Override
    public void sendImageFrames(Modem modem, boolean longTraining, List<byte[]> frames, long now) {
        check(modem);
        // 200 ms of flags before the first frame, as fax.c sends.
        int flags = Math.max(1, modem.bitRate() / 40);
        enqueue(now, TURNAROUND, () -> modems.transmitter(modem, longTraining, new HdlcTransmitter(flags, new AbstractList<byte[]>() {
            @Override
            public byte[] get(int i) {
                return reversed(frames.get(i));
            }

            @Override
            public int size() {
                return frames.size();
            }
        })));
    }

    private void check(Modem modem) {
        if (!modems.families().contains(modem.family())) {
            throw new IllegalArgumentException(modem + " cannot be sent: the image modems built are " + modems.families());
        }
    }

    @Override
    public boolean txBusy() {
        return !queue.isEmpty() || starting != null || current != null;
    }

    @Override
    public void clearTx() {
        queue.clear();
        starting = null;
        silenceLeft = 0;
        current = null;
        cng = null;
    }

    /**
     * Fills {@code out[off..off+len)} with what goes on the line next; tells the session when its queue
     * has drained (it may queue more at once, which follows in the same block).
     */
    public void transmit(short[] out, int off, int len) {
        int i = 0;
        while (i < len) {
            long at = txSample + i;
            if (current == null && starting == null) {
                Queued q = queue.peekFirst();
                if (q == null) {
                    if (!idleReported) {
                        idleReported = true;
                        listener.txIdle(ms(at));
                        continue;
                    }
                    int n = cng == null ? 0 : cng.fill(out, off + i, len - i);
                    Arrays.fill(out, off + i + n, off + len, (short) 0);
                    break;
                }
                if (at < q.notBefore()) {
                    int n = (int) Math.min(len - i, q.notBefore() - at);
                    Arrays.fill(out, off + i, off + i + n, (short) 0);
                    i += n;
                    continue;
                }
                queue.pollFirst();
                starting = q;
                silenceLeft = q.gap();
            }
            if (starting != null) {
                int n = Math.min(silenceLeft, len - i);
                Arrays.fill(out, off + i, off + i + n, (short) 0);
                i += n;
                silenceLeft -= n;
                if (silenceLeft == 0) {
                    current = starting.make().get();
                    starting = null;
                }
                continue;
            }
            int want = len - i;
            int n = current.fill(out, off + i, want);
            i += n;
            if (n < want) current = null;
        }
        txSample += len;
    }

    /**
     * An octet with its bits in the other order. The session keeps T.30 frames and image data as T.38
     * carries them, the first bit on the line in the most significant place; HDLC on the line sends each
     * octet least significant bit first.
     */
    static byte[] reversed(byte[] octets) {
        byte[] r = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) r[i] = (byte) (Integer.reverse(octets[i]) >>> 24);
        return r;
    }

    /** Octets as bits, most significant first: the session's image data is in T.38's order. */
    private static final class OctetBits implements BitSource {
        private final byte[] data;
        private int bit;

        OctetBits(byte[] data) {
            this.data = data;
        }

        @Override
        public int nextBit() {
            if (bit >= data.length * 8) return END;
            int b = (data[bit >> 3] >> (7 - (bit & 7))) & 1;
            bit++;
            return b;
        }
    }

    // ------------------------------------------------------------------ receive

    /** Takes {@code len} received samples. */
    public void receive(short[] samples, int off, int len) {
        rxSample += len;
        v21.receive(samples, off, len);
        if (v21Carrier && !v21Active && flagRun >= FRAMING_FLAGS && (imageSink == null || !imageSink.trained)) {
            // HDLC framing on V.21: the peer talks T.30 commands; the caller's CNG stops.
            v21Active = true;
            burstV21 = true;
            cng = null;
            listener.hdlcStart(now());
        }
        if (image != null) {
            image.receive(samples, off, len);
            imageSink.flush();
        }
        energy.receive(samples, off, len);
        if (restartImage) {
            restartImage = false;
            startImageReceiver();
        }
    }

    private void countFlags(int bit) {
        lastBits = (lastBits >>> 1) | ((bit & 1) << 7);
        bitsSinceFlag++;
        if (lastBits == HdlcTransmitter.FLAG) {
            flagRun = bitsSinceFlag == 8 ? flagRun + 1 : 1;
            bitsSinceFlag = 0;
        } else if (bitsSinceFlag > 8) {
            flagRun = 0;
        }
    }

    private long now() {
        return ms(rxSample);
    }

    private void v21Ended() {
        if (v21Active) {
            v21Active = false;
            if (imageSink != null) imageSink.heardV21 = true;
            listener.hdlcEnd(now());
        }
    }

    /** V.21 HDLC frames: to the session, and a DCS read on the way for the image modem it names. */
    private final class V21Frames implements HdlcReceiver.Listener {
        @Override
        public void frame(byte[] frame) {
            if (imageSink != null && imageSink.trained) return;
            if (!v21Active) listener.hdlcStart(now());
            v21Active = true;
            burstV21 = true;
            cng = null;
            byte[] t30 = reversed(frame);
            watchForDcs(t30);
            listener.hdlcFrame(t30, true, now());
            if (t30.length >= 2 && (t30[1] & FINAL_BIT) != 0) {
                // The final frame ends the burst, as spandsp's T.30 takes it: on a noisy line the
                // carrier detector may never see the carrier go, and the answer must not wait for it.
                v21Active = false;
                if (imageSink != null) imageSink.heardV21 = true;
                listener.hdlcEnd(now());
            }
        }
    }

    private void watchForDcs(byte[] frame) {
        try {
            T30Frame f = T30Frame.decode(frame);
            if (f.fcf() == Fcf.CTC && f.fif().length >= 2) {
                // Continue to correct names the rate the next blocks come at (DCS bits 11-14): listen
                // for that modem from now on, ECM frames and no TCF.
                byte[] rate = f.fif();
                Modem m = Dcs.parse(new byte[] {0, (byte) ((rate[1] & 0x3C) | 0x40), 0}).modem();
                expected = modems.families().contains(m.family()) ? m : null;
                expectEcm = true;
                tcfNext = false;
                restartImage = true;
                return;
            }
            if (f.fcf() != Fcf.DCS) return;
            Dcs dcs = Dcs.parse(f.fif());
            // A DCS naming a modem we did not offer gets no receiver: its TCF fails.
            expected = modems.families().contains(dcs.modem().family()) ? dcs.modem() : null;
            expectEcm = dcs.ecm();
            tcfNext = true;
            restartImage = true;
        } catch (T30FormatException e) {
            // The session reports it; no image receiver for a DCS we cannot read.
        }
    }

    private void startImageReceiver() {
        if (expected == null) {
            image = null;
            imageSink = null;
            return;
        }
        // One receiver for every image carrier until the next DCS: V.17's short training keeps what the
        // TCF's long training taught it.
        imageSink = new ImageSink();
        image = modems.receiver(expected, imageSink);
    }

    private void energyChanged(boolean on) {
        if (on) {
            burstV21 = v21Active;
            return;
        }
        boolean wasV21 = burstV21;
        burstV21 = false;
        if (imageSink != null) {
            boolean failedHere = imageSink.failed && !imageSink.heardV21 && !imageSink.trained && !wasV21;
            imageSink.failed = false;
            imageSink.heardV21 = false;
            // A carrier that did not train has gone: for a TCF that is a failed check (FTT follows).
            if (failedHere && (tcfNext || !expectEcm)) listener.imageEnd(now());
        } else if (tcfNext && !wasV21) {
            // The TCF came on a modem we have no receiver for: a failed check too.
            tcfNext = false;
            listener.imageEnd(now());
        }
    }

    /** Where the image receiver's bits go: octets for TCF and non-ECM pages, HDLC frames for ECM. */
    private final class ImageSink implements BitSink {
        private final HdlcReceiver hdlc = new HdlcReceiver(new HdlcReceiver.Listener() {
            @Override
            public void frame(byte[] frame) {
                listener.hdlcFrame(reversed(frame), true, now());
            }

            @Override
            public void badFrame(int octets) {
                // Only keeps the page timer going: the frame itself is asked for again by PPR.
                listener.hdlcFrame(new byte[0], false, now());
            }
        });
        private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(256);
        /** Whether the present carrier carries octets (TCF, non-ECM page) rather than HDLC frames (ECM). */
        boolean octets = true;
        private int shift;
        private int bits;
        boolean trained;
        /** A carrier of this signal failed its training. */
        boolean failed;
        /** V.21 framing was heard during this signal: whatever the image receiver made of it is not ours. */
        boolean heardV21;

        @Override
        public void carrierUp(long sample) {
            if (v21Active) {
                heardV21 = true;
                return;
            }
            trained = true;
            octets = tcfNext || !expectEcm;
            shift = 0;
            bits = 0;
            if (!octets) hdlc.carrierUp(sample);
        }

        @Override
        public void trainingFailed(long sample) {
            heardV21 |= v21Active;
            failed = true;
        }

        @Override
        public void bit(int bit) {
            if (!trained) return;
            if (!octets) {
                hdlc.bit(bit);
                return;
            }
            shift |= (bit & 1) << (7 - bits);
            if (++bits == 8) {
                chunk.write(shift);
                shift = 0;
                bits = 0;
            }
        }

        void flush() {
            if (chunk.size() > 0) {
                byte[] data = chunk.toByteArray();
                chunk.reset();
                listener.imageData(data, now());
            }
        }

        @Override
        public void carrierDown(long sample) {
            if (!trained) return;
            trained = false;
            flush();
            if (!octets) {
                hdlc.carrierDown(sample);
                listener.hdlcEnd(now());
            } else {
                listener.imageEnd(now());
            }
            tcfNext = false;
        }
    }
}
