package dev.faxlan.server.files;

import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import java.util.Optional;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Free space on the data directory's file system, and the reserve kept free below it: uploads that
 * would eat into the reserve are refused with {@link ErrorCode#DISK_FULL}, so the database (which
 * needs room for every commit, logins included) never meets a full disk because of them. With a
 * spool elsewhere ({@code spool.dir}, shared by a cluster's nodes) both file systems are watched, each
 * with its own reserve, and the one with the least room above its reserve decides.
 */
public final class DiskSpace {
    /** The default reserve: the smaller of this and {@link #DEFAULT_RESERVE_PERCENT} % of the file system. */
    public static final long DEFAULT_RESERVE_BYTES = 256L << 20;
    public static final int DEFAULT_RESERVE_PERCENT = 5;
    /** Checks nothing: for tests and external databases whose disk is not ours to watch. */
    public static final DiskSpace UNCHECKED = new DiskSpace(() -> Long.MAX_VALUE, 0);

    private final LongSupplier free;
    private final long reserve;
    /** The file systems watched together, when there are several; empty for one. */
    private final java.util.List<DiskSpace> parts;

    public DiskSpace(LongSupplier freeBytes, long reserveBytes) {
        if (reserveBytes < 0) throw new IllegalArgumentException("storage.reserve-bytes must not be negative, not " + reserveBytes);
        this.free = freeBytes;
        this.reserve = reserveBytes;
        this.parts = java.util.List.of();
    }

    private DiskSpace(java.util.List<DiskSpace> parts) {
        this.free = () -> tightest(parts).free();
        this.reserve = -1;
        this.parts = java.util.List.copyOf(parts);
    }

    /**
     * The file systems of {@code dirs} (each counted once), each keeping {@code reserveBytes} free, or
     * its default reserve when that is negative: storing is refused when any of them would fall into its reserve.
     */
    public static DiskSpace of(java.util.List<Path> dirs, long reserveBytes) throws IOException {
        java.util.Map<FileStore, Path> stores = new java.util.LinkedHashMap<>();
        for (Path d : dirs) stores.putIfAbsent(Files.getFileStore(d), d);
        java.util.List<DiskSpace> each = new java.util.ArrayList<>();
        for (Path d : stores.values()) each.add(of(d, reserveBytes));
        return each.size() == 1 ? each.get(0) : new DiskSpace(each);
    }

    /** Several file systems: the one with the least room above its reserve. */
    private static DiskSpace tightest(java.util.List<DiskSpace> parts) {
        DiskSpace t = parts.get(0);
        for (DiskSpace p : parts) {
            if (p.free() - p.reserve() < t.free() - t.reserve()) t = p;
        }
        return t;
    }

    /**
     * The file system of {@code dir}, keeping {@code reserveBytes} free, or the default reserve when
     * that is negative.
     */
    public static DiskSpace of(Path dir, long reserveBytes) throws IOException {
        FileStore store = Files.getFileStore(dir);
        long reserve = reserveBytes >= 0 ? reserveBytes : defaultReserve(store.getTotalSpace());
        return new DiskSpace(() -> {
            try {
                return store.getUsableSpace();
            } catch (IOException e) {
                return Long.MAX_VALUE; // cannot tell: let the write itself find out
            }
        }, reserve);
    }

    /** The smaller of 256 MiB and 5 % of a file system of {@code totalBytes}. */
    public static long defaultReserve(long totalBytes) {
        return Math.min(DEFAULT_RESERVE_BYTES, totalBytes / 100 * DEFAULT_RESERVE_PERCENT);
    }

    public long reserve() {
        return parts.isEmpty() ? reserve : tightest(parts).reserve();
    }

    public long free() {
        return free.getAsLong();
    }

    /** Whether free space has fallen into the reserve. */
    public boolean low() {
        if (!parts.isEmpty()) return parts.stream().anyMatch(DiskSpace::low);
        return free() < reserve;
    }

    /**
     * Refuses storing {@code bytes} more when that would leave less than the reserve free.
     *
     * @param what what would be stored, for the message (e.g. "an upload of 300 bytes")
     */
    public void require(long bytes, String what) throws CpiException {
        Optional<String> refusal = refusal(bytes, what);
        if (refusal.isPresent()) throw new CpiException(ErrorCode.DISK_FULL, refusal.get());
    }

    /** Why storing {@code bytes} more is refused (it would leave less than the reserve free); empty when there is room. */
    public Optional<String> refusal(long bytes, String what) {
        for (DiskSpace p : parts) {
            Optional<String> r = p.refusal(bytes, what);
            if (r.isPresent()) return r;
        }
        if (!parts.isEmpty()) return Optional.empty();
        long f = free();
        return f - bytes < reserve ? Optional.of(message(f, bytes, what)) : Optional.empty();
    }

    /** The refusal for an operation that failed while space was low. */
    public String message(String what) {
        if (!parts.isEmpty()) return tightest(parts).message(what);
        return "the server's disk is full: " + free() + " bytes free, less than the " + reserve + " it keeps free; " + what
                + " failed; try again after space is freed";
    }

    private String message(long freeBytes, long bytes, String what) {
        return "the server's disk is full: " + freeBytes + " bytes free, but " + what + " needs " + bytes + " plus the " + reserve
                + " the server keeps free; try again after space is freed";
    }
}
