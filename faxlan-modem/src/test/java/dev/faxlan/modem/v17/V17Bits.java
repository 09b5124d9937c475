package dev.faxlan.modem.v17;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.BitSource;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Bytes to bits and back, least significant bit first, as the modem oracle puts them on the line. */
final class V17Bits {
    private V17Bits() {
    }

    static BitSource source(byte[] data) {
        int[] pos = {0};
        return () -> {
            int i = pos[0]++;
            return i >= data.length * 8 ? BitSource.END : (data[i >> 3] >> (i & 7)) & 1;
        };
    }

    /** Collects each carrier's bits as bytes, and the carrier events. */
    static final class Collector implements BitSink {
        final List<ByteArrayOutputStream> carriers = new ArrayList<>();
        final List<String> events = new ArrayList<>();
        private int acc;
        private int n;
        long bits;

        @Override
        public void bit(int bit) {
            bits++;
            if (carriers.isEmpty()) {
                carriers.add(new ByteArrayOutputStream());
                events.add("bits before carrierUp");
            }
            acc |= (bit & 1) << n;
            if (++n == 8) {
                carriers.get(carriers.size() - 1).write(acc);
                acc = 0;
                n = 0;
            }
        }

        @Override
        public void carrierUp(long sample) {
            carriers.add(new ByteArrayOutputStream());
            acc = 0;
            n = 0;
            events.add("up");
        }

        @Override
        public void trainingFailed(long sample) {
            events.add("failed");
        }

        @Override
        public void carrierDown(long sample) {
            events.add("down");
        }

        byte[] carrier(int i) {
            return carriers.get(i).toByteArray();
        }
    }
}
