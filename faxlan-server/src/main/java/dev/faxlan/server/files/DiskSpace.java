package dev.faxlan.server.files;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Free space where the server stores data, and the reserve kept free below it: uploads that would eat
 * into the reserve are refused with {@link ErrorCode#DISK_FULL}, so the database (which needs room for
 * every commit, logins included) never meets a full disk because of them. One file system is a
 * {@link FileSystem}; with a spool elsewhere ({@code spool.dir}, shared by a cluster's nodes) both are
 * watched, each with its own reserve, as {@link Several}, where the one with the least room above its
 * reserve decides.
 */
public sealed interface DiskSpace permits DiskSpace.FileSystem, DiskSpace.Several {
    /** The default reserve: the smaller of this and {@link #DEFAULT_RESERVE_PERCENT} % of the file system. */
    long DEFAULT_RESERVE_BYTES = 256L << 20;
    int DEFAULT_RESERVE_PERCENT = 5;
    /** Checks nothing: for tests and external databases whose disk is not ours to watch. */
    DiskSpace UNCHECKED = new FileSystem(() -> Long.MAX_VALUE, 0);

    /**
     * The file systems of {@code dirs} (each counted once), each keeping {@code reserveBytes} free, or
     * its default reserve when that is negative: storing is refused when any of them would fall into its reserve.
     */
    static DiskSpace of(List<Path> dirs, long reserveBytes) throws IOException {
        Map<FileStore, Path> stores = new LinkedHashMap<>();
        for (Path d : dirs) stores.putIfAbsent(Files.getFileStore(d), d);
        List<FileSystem> each = new ArrayList<>();
        for (Path d : stores.values()) each.add(of(d, reserveBytes));
        return each.size() == 1 ? each.get(0) : new Several(each);
    }

    /**
     * The file system of {@code dir}, keeping {@code reserveBytes} free, or the default reserve when
     * that is negative.
     */
    static FileSystem of(Path dir, long reserveBytes) throws IOException {
        FileStore store = Files.getFileStore(dir);
        long reserve = reserveBytes >= 0 ? reserveBytes : defaultReserve(store.getTotalSpace());
        return new FileSystem(() -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE; // cannot tell: let the write itself find out
            }
        }, reserve);
    }

    /** The smaller of 256 MiB and 5 % of a file system of {@code totalBytes}. */
    static long defaultReserve(long totalBytes) {
        return Math.min(DEFAULT_RESERVE_BYTES, totalBytes / 100 * DEFAULT_RESERVE_PERCENT);
    }

    /** The bytes kept free (of the tightest file system, when there are several). */
    long reserve();

    /** The bytes free (on the tightest file system, when there are several). */
    long free();

    /** Whether free space has fallen into the reserve (on any file system). */
    boolean low();

    /** Why storing {@code bytes} more is refused (it would leave less than the reserve free); empty when there is room. */
    Optional<String> refusal(long bytes, String what);

    /** The refusal for an operation that failed while space was low. */
    String message(String what);

    /**
     * Refuses storing {@code bytes} more when that would leave less than the reserve free.
     *
     * @param what what would be stored, for the message (e.g. "an upload of 300 bytes")
     */
    default void require(long bytes, String what) throws CpiException {
        Optional<String> refusal = refusal(bytes, what);
        if (refusal.isPresent()) throw new CpiException(ErrorCode.DISK_FULL, refusal.get());
    }

    /** One file system: {@code freeBytes} tells its free space now; {@code reserve} bytes of it are kept free. */
    record FileSystem(LongSupplier freeBytes, long reserve) implements DiskSpace {
        public FileSystem {
            if (reserve < 0) throw new IllegalArgumentException("storage.reserve-bytes must not be negative, not " + reserve);
        }

        @Override
        public long free() {
            return freeBytes.getAsLong();
        }

        @Override
        public boolean low() {
            return free() < reserve;
        }

        @Override
        public Optional<String> refusal(long bytes, String what) {
            long f = free();
            return f - bytes < reserve
                    ? Optional.of("the server's disk is full: " + f + " bytes free, but " + what + " needs " + bytes + " plus the " + reserve
                            + " the server keeps free; try again after space is freed")
                    : Optional.empty();
        }

        @Override
        public String message(String what) {
            return "the server's disk is full: " + free() + " bytes free, less than the " + reserve + " it keeps free; " + what
                    + " failed; try again after space is freed";
        }

        private long room() {
            return free() - reserve;
        }
    }

    /** Several file systems watched together: storing needs room on each. */
    record Several(List<FileSystem> parts) implements DiskSpace {
        public Several {
            if (parts.isEmpty()) throw new IllegalArgumentException("no file system to watch");
            parts = List.copyOf(parts);
        }

        /** The one with the least room above its reserve. */
        private FileSystem tightest() {
            return parts.stream().min(Comparator.comparingLong(FileSystem::room)).orElseThrow();
        }

        @Override
        public long reserve() {
            return tightest().reserve();
        }

        @Override
        public long free() {
            return tightest().free();
        }

        @Override
        public boolean low() {
            return parts.stream().anyMatch(FileSystem::low);
        }

        @Override
        public Optional<String> refusal(long bytes, String what) {
            return parts.stream().map(p -> p.refusal(bytes, what)).flatMap(Optional::stream).findFirst();
        }

        @Override
        public String message(String what) {
            return tightest().message(what);
        }
    }
}
