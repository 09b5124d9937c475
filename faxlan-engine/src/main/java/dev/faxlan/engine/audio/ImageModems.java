package dev.faxlan.engine.audio;

import dev.faxlan.engine.t30.Modem;
import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.ModemTransmitter;
import java.util.EnumSet;
import java.util.Set;

/**
 * The image modems (V.27ter, V.29, V.17) an audio front end can use, mapped from T.30's {@link Modem}
 * in this one place. A family missing here is never offered in DIS nor chosen in DCS, so a half-built
 * modem never reaches a line.
 */
public interface ImageModems {
    /** Transmit level of the image modems, as spandsp and most fax machines send. */
    double LEVEL_DBM0 = -14.0;

    /** The families this set has working transmitters and receivers for. */
    Set<Modem.Family> families();

    /** A transmitter for {@code modem} sending {@code source}'s bits after its training. */
    ModemTransmitter transmitter(Modem modem, boolean longTraining, BitSource source);

    /** A receiver for {@code modem} expecting the long or the short training. */
    ModemReceiver receiver(Modem modem, boolean longTraining, BitSink sink);

    /** faxlan's own modems, as far as they are built. */
    static ImageModems faxlan() {
        return Installed.INSTANCE;
    }

    /** faxlan's modems: none of the image families is built yet, so only phase B runs on audio. */
    final class Installed implements ImageModems {
        static final Installed INSTANCE = new Installed();

        private Installed() {
        }

        @Override
        public Set<Modem.Family> families() {
            return EnumSet.noneOf(Modem.Family.class);
        }

        @Override
        public ModemTransmitter transmitter(Modem modem, boolean longTraining, BitSource source) {
            throw new IllegalArgumentException("no " + modem + " transmitter is built yet (families: " + families() + ")");
        }

        @Override
        public ModemReceiver receiver(Modem modem, boolean longTraining, BitSink sink) {
            throw new IllegalArgumentException("no " + modem + " receiver is built yet (families: " + families() + ")");
        }
    }
}
