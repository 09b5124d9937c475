package dev.faxlan.engine.tsb85;

import dev.faxlan.engine.audio.AudioFrontEnd;
import dev.faxlan.engine.audio.AudioTerminal;
import dev.faxlan.engine.audio.ImageModems;
import dev.faxlan.engine.fax.FaxEvent;
import dev.faxlan.engine.fax.FaxFrontEnd;
import dev.faxlan.engine.fax.FaxOptions;
import dev.faxlan.engine.fax.FaxSession;
import dev.faxlan.engine.fax.FaxSessionObserver;
import dev.faxlan.engine.fax.OutgoingPages;
import dev.faxlan.engine.fax.PollRequest;
import dev.faxlan.engine.fax.PolledDocument;
import dev.faxlan.engine.fax.T38FrontEnd;
import dev.faxlan.engine.fax.T38Terminal;
import dev.faxlan.engine.t38.Ifp;
import dev.faxlan.modem.g711.G711;
import java.util.function.Consumer;

/**
 * The line between the tester and faxlan's session (the device under test): the tester queues T.30
 * signals on its own front end and hears the session's through a {@link FaxFrontEnd.Receiver}. Time
 * moves in 20 ms steps, counted, never read from a clock.
 */
interface TesterLine {
    int STEP_MS = 20;

    /** Where the tester queues what it sends. */
    FaxFrontEnd tester();

    /** Moves the call on by {@link #STEP_MS}. */
    void step();

    long now();

    FaxSession dut();

    /** The tester hangs up: from now on it sends nothing (silence, no IFPs). */
    void hangUp();

    /** The transports a procedure can be run on. */
    enum Kind {
        AUDIO, T38;

        TesterLine open(boolean dutSends, OutgoingPages pages, FaxOptions options, Consumer<FaxEvent> events,
                FaxFrontEnd.Receiver hears) {
            return open(dutSends, pages, options, null, null, events, hears);
        }

        /** As above, with a document the answering session holds for polling ({@code held}), or a session that calls to poll ({@code poll}). */
        TesterLine open(boolean dutSends, OutgoingPages pages, FaxOptions options, PolledDocument held, PollRequest poll,
                Consumer<FaxEvent> events, FaxFrontEnd.Receiver hears) {
            return this == AUDIO ? new Audio(dutSends, pages, options, held, poll, events, hears)
                    : new T38(dutSends, pages, options, held, poll, events, hears);
        }
    }

    /**
     * G.711 A-law both ways, sample for sample: the session on an {@link AudioTerminal}, the tester on
     * an {@link AudioFrontEnd} with faxlan's modems (V.21 and HDLC, V.27ter, V.29, V.17).
     */
    final class Audio implements TesterLine {
        private final AudioTerminal dut;
        private final AudioFrontEnd tester = new AudioFrontEnd(ImageModems.faxlan());
        private final short[] fromDut = new short[AudioTerminal.BLOCK];
        private final short[] fromTester = new short[AudioTerminal.BLOCK];
        private final short[] heard = new short[AudioTerminal.BLOCK];
        private long samples;
        private boolean hungUp;

        Audio(boolean dutSends, OutgoingPages pages, FaxOptions options, PolledDocument held, PollRequest poll, Consumer<FaxEvent> events,
                FaxFrontEnd.Receiver hears) {
            tester.attach(hears);
            dut = dutSends ? AudioTerminal.send(pages, options, events, FaxSessionObserver.NONE, ImageModems.faxlan())
                    : poll != null ? AudioTerminal.poll(poll, options, events, FaxSessionObserver.NONE, ImageModems.faxlan())
                    : AudioTerminal.receive(options, held, events, FaxSessionObserver.NONE, ImageModems.faxlan());
        }

        @Override
        public FaxFrontEnd tester() {
            return tester;
        }

        @Override
        public void step() {
            tester.transmit(fromTester, 0, fromTester.length);
            if (hungUp) java.util.Arrays.fill(fromTester, (short) 0);
            law(fromTester, heard);
            dut.process(heard, 0, fromDut, 0, fromDut.length);
            law(fromDut, heard);
            tester.receive(heard, 0, heard.length);
            samples += AudioTerminal.BLOCK;
        }

        private static void law(short[] in, short[] out) {
            for (int i = 0; i < in.length; i++) out[i] = G711.ALAW.decode(G711.ALAW.encode(in[i]));
        }

        @Override
        public long now() {
            return samples / 8;
        }

        @Override
        public FaxSession dut() {
            return dut.session();
        }

        @Override
        public void hangUp() {
            hungUp = true;
            tester.clearTx();
        }
    }

    /** IFPs both ways, none lost: the session on a {@link T38Terminal}, the tester on a {@link T38FrontEnd}. */
    final class T38 implements TesterLine {
        private final T38Terminal dut;
        private final T38FrontEnd tester = new T38FrontEnd();
        private final T38FrontEnd listener = new T38FrontEnd();
        private long now;
        private boolean hungUp;

        T38(boolean dutSends, OutgoingPages pages, FaxOptions options, PolledDocument held, PollRequest poll, Consumer<FaxEvent> events,
                FaxFrontEnd.Receiver hears) {
            listener.attach(hears);
            tester.attach(new Deaf());
            dut = dutSends ? T38Terminal.send(pages, options, events, FaxSessionObserver.NONE, 0)
                    : poll != null ? T38Terminal.poll(poll, options, events, FaxSessionObserver.NONE, 0)
                    : T38Terminal.receive(options, held, events, FaxSessionObserver.NONE, 0);
        }

        @Override
        public FaxFrontEnd tester() {
            return tester;
        }

        @Override
        public void step() {
            now += STEP_MS;
            for (Ifp ifp : tester.poll(now)) if (!hungUp) dut.receive(ifp, now);
            for (Ifp ifp : dut.poll(now)) listener.receive(ifp, now);
        }

        @Override
        public long now() {
            return now;
        }

        @Override
        public FaxSession dut() {
            return dut.session();
        }

        @Override
        public void hangUp() {
            hungUp = true;
            tester.clearTx();
        }
    }

    /** The tester's sending front end hears nothing: its listener does. */
    final class Deaf implements FaxFrontEnd.Receiver {
        @Override
        public void txIdle(long now) {}

        @Override
        public void hdlcFrame(byte[] frame, boolean good, long now) {}

        @Override
        public void hdlcEnd(long now) {}

        @Override
        public void imageData(byte[] chunk, long now) {}

        @Override
        public void imageEnd(long now) {}
    }
}
