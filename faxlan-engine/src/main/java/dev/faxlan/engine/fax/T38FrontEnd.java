package dev.faxlan.engine.fax;

import dev.faxlan.engine.t30.Modem;
import dev.faxlan.engine.t38.DataType;
import dev.faxlan.engine.t38.FieldType;
import dev.faxlan.engine.t38.Ifp;
import dev.faxlan.engine.t38.Indicator;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The {@link FaxFrontEnd} of a T.38 terminal: what a fax modem would put on the line, as timed IFPs,
 * and the reverse for what arrives. It sends HDLC frames on V.21 and image data or TCF on the image modem
 * with the gaps and pacing real gateways expect (field notes §3): 75 ms of no-signal before a modem
 * change, 1 s of V.21 flags, training times per modem, data at the modem's bit rate in 30 ms chunks.
 * No I/O: {@link #poll} hands out the IFPs due at a given time.
 */
public final class T38FrontEnd implements FaxFrontEnd {
    static final long V21_FLAGS_MS = 1000;
    static final long SILENCE_MS = 75;
    static final long CHUNK_MS = 30;
    static final long TCF_MS = 1500;

    /**
     * Something queued to send, as IFPs made one at a time when they fall due: a page's image data is
     * kept as the caller's frames, not as thousands of IFPs queued a block ahead (at many concurrent
     * calls those lived long enough to be copied by every garbage collection).
     */
    private interface Signal {
        /** When the next IFP falls due. */
        long at();

        /** When the last IFP falls due. */
        long end();

        /** Makes the next IFP and moves past it. */
        Ifp next();

        boolean ended();
    }

    /** One IFP. */
    private static final class Single implements Signal {
        private final long at;
        private final Ifp ifp;
        private boolean sent;

        Single(long at, Ifp ifp) {
            this.at = at;
            this.ifp = ifp;
        }

        public long at() {
            return at;
        }

        public long end() {
            return at;
        }

        public Ifp next() {
            sent = true;
            return ifp;
        }

        public boolean ended() {
            return sent;
        }
    }

    /**
     * Frames on the image modem cut into 30 ms chunks at its bit rate, each frame followed by its
     * closing field ({@code afterLast} after the last frame).
     */
    private static final class ImageData implements Signal {
        private final DataType type;
        private final FieldType dataField;
        private final List<byte[]> frames;
        private final int chunk;
        private final int bitRate;
        private final FieldType afterFrame;
        private final FieldType afterLast;
        private final long end;
        private long at;
        private int frame;
        private byte[] current;
        private int offset;

        ImageData(Modem modem, FieldType dataField, List<byte[]> frames, FieldType afterFrame, FieldType afterLast, long start) {
            this.type = modem.dataType();
            this.dataField = dataField;
            this.frames = frames;
            this.bitRate = modem.bitRate();
            this.chunk = Math.max(1, (int) (bitRate * CHUNK_MS / 8000));
            this.afterFrame = afterFrame;
            this.afterLast = afterLast;
            this.at = start;
            long t = start;
            for (int i = 0; i < frames.size(); i++) {
                int length = frames instanceof FaxFrontEnd.FrameLengths lazy ? lazy.length(i) : frames.get(i).length;
                for (int off = 0; off < length; off += chunk) t += chunkMs(Math.min(chunk, length - off));
            }
            this.end = t;
            this.current = frames.isEmpty() ? null : frames.get(0);
        }

        private long chunkMs(int octets) {
            return Math.max(1, (long) octets * 8000 / bitRate);
        }

        public long at() {
            return at;
        }

        public long end() {
            return end;
        }

        public boolean ended() {
            return current == null;
        }

        public Ifp next() {
            if (offset < current.length) {
                int n = Math.min(chunk, current.length - offset);
                Ifp data = Ifp.Data.of(type, dataField, Arrays.copyOfRange(current, offset, offset + n));
                offset += n;
                at += chunkMs(n);
                return data;
            }
            boolean last = frame == frames.size() - 1;
            Ifp closing = new Ifp.Data(type, List.of(new Ifp.Field(last ? afterLast : afterFrame)));
            frame++;
            offset = 0;
            current = last ? null : frames.get(frame);
            return closing;
        }
    }

    private final ArrayDeque<Signal> tx = new ArrayDeque<>();
    private Receiver listener;
    private boolean idleReported = true;
    // receive assembly
    private final ByteArrayOutputStream hdlc = new ByteArrayOutputStream(64);
    private boolean hdlcDamaged;
    private boolean inHdlc;
    private boolean inImage;
    private int lostPackets;

    /** A front end whose session {@link #attach}es itself. */
    public T38FrontEnd() {}

    /** A front end reporting to {@code receiver} (tests: a peer or a watcher without a session). */
    T38FrontEnd(Receiver receiver) {
        attach(receiver);
    }

    @Override
    public void attach(Receiver receiver) {
        if (this.listener != null) throw new IllegalStateException("this T.38 front end already reports to a session");
        this.listener = receiver;
    }

    // ------------------------------------------------------------------ transmit

    /** Time after which the queued signals end (or {@code now} when nothing is queued). */
    private long startTime(long now) {
        return tx.isEmpty() ? now : Math.max(now, tx.peekLast().end());
    }

    private void add(long at, Ifp ifp) {
        add(new Single(at, ifp));
    }

    private void add(Signal signal) {
        if (signal.ended()) return;
        tx.addLast(signal);
        idleReported = false;
    }

    @Override
    public void sendTone(Tone tone, long now) {
        add(startTime(now), new Ifp.Indication(tone == Tone.CNG ? Indicator.CNG : Indicator.CED));
    }

    /** HDLC frames on V.21: preamble, 1 s of flags, one octet per packet, fcs-OK after each, sig-end after the last. */
    @Override
    public void sendHdlc(List<byte[]> frames, long now) {
        sendHdlc(frames, new BitSet(), now);
    }

    /** As {@link #sendHdlc(List, long)}, fcs-BAD after the frames in {@code badFcs}. */
    @Override
    public void sendHdlc(List<byte[]> frames, BitSet badFcs, long now) {
        long t = startTime(now);
        add(t, new Ifp.Indication(Indicator.V21_PREAMBLE));
        t += V21_FLAGS_MS;
        long octetMs = 8000L / 300; // 26.7 ms per V.21 octet
        for (int f = 0; f < frames.size(); f++) {
            byte[] frame = frames.get(f);
            for (byte b : frame) {
                add(t, Ifp.Data.of(DataType.V21, FieldType.HDLC_DATA, new byte[] {b}));
                t += octetMs;
            }
            // Two octets of FCS and a flag go by before the verdict.
            t += 3 * octetMs;
            boolean last = f == frames.size() - 1;
            FieldType verdict = badFcs.get(f) ? (last ? FieldType.HDLC_FCS_BAD_SIG_END : FieldType.HDLC_FCS_BAD)
                    : (last ? FieldType.HDLC_FCS_OK_SIG_END : FieldType.HDLC_FCS_OK);
            add(t, new Ifp.Data(DataType.V21, List.of(new Ifp.Field(verdict))));
        }
        add(t + 200, new Ifp.Indication(Indicator.NO_SIGNAL));
    }

    /** Training followed by {@code data} at the modem's rate, then sig-end and no-signal. */
    @Override
    public void sendImage(Modem modem, boolean longTraining, byte[] data, long now) {
        long t = startTime(now) + SILENCE_MS;
        add(t, new Ifp.Indication(longTraining ? modem.longTraining() : modem.shortTraining()));
        t += trainingMs(modem, longTraining);
        ImageData image = new ImageData(modem, FieldType.T4_NON_ECM_DATA, List.of(data), null, FieldType.T4_NON_ECM_SIG_END, t);
        add(image);
        add(image.end() + SILENCE_MS, new Ifp.Indication(Indicator.NO_SIGNAL));
    }

    /**
     * ECM phase C: training, then HDLC frames (FCD and RCP) on the image modem in 30 ms chunks, fcs-OK
     * after each and fcs-OK-sig-end after the last, then no-signal. {@code frames} is read as its
     * frames fall due (it may make them when asked); their lengths, needed at once for the carrier's
     * end, come from {@link FaxFrontEnd.FrameLengths} when the list offers it, else from the frames.
     */
    @Override
    public void sendImageFrames(Modem modem, boolean longTraining, List<byte[]> frames, long now) {
        long t = startTime(now) + SILENCE_MS;
        add(t, new Ifp.Indication(longTraining ? modem.longTraining() : modem.shortTraining()));
        t += trainingMs(modem, longTraining) + 200; // and 200 ms of flags before the first frame
        ImageData image = new ImageData(modem, FieldType.HDLC_DATA, frames, FieldType.HDLC_FCS_OK, FieldType.HDLC_FCS_OK_SIG_END, t);
        add(image);
        add(image.end() + SILENCE_MS, new Ifp.Indication(Indicator.NO_SIGNAL));
    }

    /** The training check: 1.5 s of zeros after long training. */
    @Override
    public void sendTcf(Modem modem, long now) {
        sendImage(modem, true, new byte[(int) (modem.bitRate() * TCF_MS / 8000)], now);
    }

    static long trainingMs(Modem m, boolean longTraining) {
        return switch (m.family()) {
            case V17 -> longTraining ? 1393 : 142;
            case V29 -> 234;
            case V27TER -> m.bitRate() == 2400 ? 943 : 708;
        };
    }

    /** IFPs due at {@code now}, in order; tells the session once the queue has drained. */
    public List<Ifp> poll(long now) {
        List<Ifp> due = new ArrayList<>();
        while (!tx.isEmpty() && tx.peekFirst().at() <= now) {
            Signal signal = tx.peekFirst();
            due.add(signal.next());
            if (signal.ended()) tx.pollFirst();
        }
        if (tx.isEmpty() && !idleReported) {
            idleReported = true;
            listener.txIdle(now);
        }
        return due;
    }

    /** When {@link #poll} next has something to do, or {@link Long#MAX_VALUE}. */
    public long nextTxTime() {
        return tx.isEmpty() ? Long.MAX_VALUE : tx.peekFirst().at();
    }

    @Override
    public boolean txBusy() {
        return !tx.isEmpty();
    }

    @Override
    public void clearTx() {
        tx.clear();
    }

    /** Forgets the last {@code n} queued IFPs (tests: a carrier that just stops). */
    void dropTail(int n) {
        for (int i = 0; i < n && !tx.isEmpty(); i++) {
            if (tx.peekLast() instanceof ImageData image) {
                // Made here and now, so that its last IFPs can go.
                tx.pollLast();
                while (!image.ended()) {
                    long at = image.at();
                    tx.addLast(new Single(at, image.next()));
                }
            }
            tx.pollLast();
        }
    }

    // ------------------------------------------------------------------ receive

    /** Packets the UDPTL layer lost for good: any frame in progress is damaged. */
    public void lost(int packets) {
        lostPackets += packets;
        if (inHdlc) hdlcDamaged = true;
    }

    public int lostPackets() {
        return lostPackets;
    }

    public void receive(Ifp ifp, long now) {
        if (ifp instanceof Ifp.Indication ind) {
            if (inHdlc) endHdlc(now);
            if (inImage) endImage(now);
            if (ind.indicator() == Indicator.V21_PREAMBLE) {
                inHdlc = true;
                hdlc.reset();
                hdlcDamaged = false;
                listener.hdlcStart(now);
            }
            return;
        }
        Ifp.Data data = (Ifp.Data) ifp;
        for (Ifp.Field f : data.fields()) {
            switch (f.type()) {
                case HDLC_DATA -> {
                    inHdlc = true;
                    if (hdlc.size() < 600) hdlc.writeBytes(f.data());
                    else hdlcDamaged = true;
                }
                case HDLC_FCS_OK, HDLC_FCS_BAD, HDLC_FCS_OK_SIG_END, HDLC_FCS_BAD_SIG_END -> {
                    // Some gateways put the frame's last octets in the FCS field (Cisco).
                    hdlc.writeBytes(f.data());
                    boolean good = !hdlcDamaged && (f.type() == FieldType.HDLC_FCS_OK || f.type() == FieldType.HDLC_FCS_OK_SIG_END);
                    if (hdlc.size() > 0) listener.hdlcFrame(hdlc.toByteArray(), good, now);
                    hdlc.reset();
                    hdlcDamaged = false;
                    if (f.type() == FieldType.HDLC_FCS_OK_SIG_END || f.type() == FieldType.HDLC_FCS_BAD_SIG_END) endHdlc(now);
                }
                case HDLC_SIG_END -> endHdlc(now);
                case T4_NON_ECM_DATA -> {
                    inImage = true;
                    listener.imageData(f.data(), now);
                }
                case T4_NON_ECM_SIG_END -> {
                    if (f.length() > 0) listener.imageData(f.data(), now);
                    inImage = true;
                    endImage(now);
                }
            }
        }
    }

    private void endHdlc(long now) {
        if (!inHdlc) return;
        inHdlc = false;
        hdlc.reset();
        listener.hdlcEnd(now);
    }

    private void endImage(long now) {
        if (!inImage) return;
        inImage = false;
        listener.imageEnd(now);
    }
}
