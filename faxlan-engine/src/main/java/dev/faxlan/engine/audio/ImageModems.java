package dev.faxlan.engine.audio;

import dev.faxlan.engine.t30.Modem;
import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.BitSource;
import dev.faxlan.modem.ModemReceiver;
import dev.faxlan.modem.ModemTransmitter;
import dev.faxlan.modem.v17.V17Receiver;
import dev.faxlan.modem.v17.V17Transmitter;
import dev.faxlan.modem.v27ter.V27terReceiver;
import dev.faxlan.modem.v27ter.V27terTransmitter;
import dev.faxlan.modem.v29.V29Receiver;
import dev.faxlan.modem.v29.V29Transmitter;
import java.util.Collections;
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

    /**
     * A receiver for {@code modem} for every image carrier after one DCS: the first long-trained (the
     * TCF), those after it short-trained where the modem has a short training (V.17).
     */
    ModemReceiver receiver(Modem modem, BitSink sink);

    /** faxlan's own modems, as far as they are built. */
    static ImageModems faxlan() {
        return Installed.INSTANCE;
    }

    /** faxlan's modems: V.27ter, V.29 and V.17. */
    final class Installed implements ImageModems {
        static final Installed INSTANCE = new Installed();
        private static final Set<Modem.Family> FAMILIES = Collections.unmodifiableSet(EnumSet.allOf(Modem.Family.class));

        private Installed() {
        }

        @Override
        public Set<Modem.Family> families() {
            return FAMILIES;
        }

        @Override
        public ModemTransmitter transmitter(Modem modem, boolean longTraining, BitSource source) {
            return switch (modem.family()) {
                case V27TER -> new V27terTransmitter(modem.bitRate(), LEVEL_DBM0, source);
                case V29 -> new V29Transmitter(modem.bitRate(), LEVEL_DBM0, source);
                case V17 -> new V17Transmitter(modem.bitRate(), !longTraining, LEVEL_DBM0, source);
            };
        }

        @Override
        public ModemReceiver receiver(Modem modem, BitSink sink) {
            return switch (modem.family()) {
                case V27TER -> new V27terReceiver(modem.bitRate(), sink);
                case V29 -> new V29Receiver(modem.bitRate(), sink);
                case V17 -> new V17Receiver(modem.bitRate(), true, sink);
            };
        }
    }
}
