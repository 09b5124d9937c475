package dev.faxlan.modem.v29;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.BitSource;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Test plumbing: bytes as a bit source (least significant bit first) and a sink that collects bytes and events. */
final class ByteBits {
    private ByteBits() {
    }

    static BitSource source(byte[] data) {
        int[] next = {0};
        return () -> {
            int i = next[0];
            if (i >= data.length * 8) {
                return BitSource.END;
            }
            next[0]++;
            return (data[i >> 3] >> (i & 7)) & 1;
        };
    }

    /** Collects bits into bytes per carrier, and the events in order. */
    static final class Sink implements BitSink {
        final List<String> events = new ArrayList<>();
        final List<ByteArrayOutputStream> carriers = new ArrayList<>();
        long bits;
        private int acc;
        private int count;

        @Override
        public void bit(int bit) {
            bits++;
            if (carriers.isEmpty()) {
                events.add("bit before carrierUp");
                return;
            }
            acc |= (bit & 1) << count;
            if (++count == 8) {
                carriers.get(carriers.size() - 1).write(acc);
                acc = 0;
                count = 0;
            }
        }

        @Override
        public void carrierUp(long sample) {
            events.add("up");
            carriers.add(new ByteArrayOutputStream());
            acc = 0;
            count = 0;
        }

        @Override
        public void trainingFailed(long sample) {
            events.add("failed");
        }

        @Override
        public void carrierDown(long sample) {
            events.add("down");
        }

        /** The first {@code n} bytes of carrier {@code i}. */
        byte[] carrier(int i, int n) {
            byte[] all = carriers.get(i).toByteArray();
            return java.util.Arrays.copyOf(all, Math.min(n, all.length));
        }
    }
}
