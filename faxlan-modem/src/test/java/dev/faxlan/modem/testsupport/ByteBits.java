package dev.faxlan.modem.testsupport;

import dev.faxlan.modem.BitSink;
import dev.faxlan.modem.BitSource;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Bytes to bits and back for the modems' tests, least significant bit first, as T.4 data and the
 * modem oracle put them on the line.
 */
public final class ByteBits {
    private ByteBits() {
    }

    /** The bits of {@code data}, then {@link BitSource#END}. */
    public static BitSource source(byte[] data) {
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

    /**
     * What a receiver delivered: the bits of each carrier as bytes, and the events in order ("up",
     * "failed", "down"; "bit without carrier" for a bit outside carrierUp..carrierDown, which is dropped).
     */
    public static final class Collector implements BitSink {
        public final List<String> events = new ArrayList<>();
        private final List<ByteArrayOutputStream> carriers = new ArrayList<>();
        private long bits;
        private boolean up;
        private int acc;
        private int n;

        @Override
        public void bit(int bit) {
            bits++;
            if (!up) {
                events.add("bit without carrier");
                return;
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
            events.add("up");
            up = true;
            carriers.add(new ByteArrayOutputStream());
            acc = 0;
            n = 0;
        }

        @Override
        public void trainingFailed(long sample) {
            events.add("failed");
        }

        @Override
        public void carrierDown(long sample) {
            events.add("down");
            up = false;
        }

        /** All bits delivered, a partial last byte and bits without a carrier included. */
        public long bits() {
            return bits;
        }

        /** How many carriers came up. */
        public int carriers() {
            return carriers.size();
        }

        /** The whole bytes of carrier {@code i}. */
        public byte[] carrier(int i) {
            return carriers.get(i).toByteArray();
        }

        /** The first {@code count} bytes of carrier {@code i} (fewer if it brought fewer). */
        public byte[] carrier(int i, int count) {
            byte[] all = carrier(i);
            return Arrays.copyOf(all, Math.min(count, all.length));
        }
    }
}
