package dev.faxlan.transport.keylog;

import io.netty.handler.codec.quic.BoringSSLKeylog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import javax.net.ssl.SSLEngine;

/**
 * Writes the TLS 1.3 secrets of QUIC connections to a file in the NSS key log format
 * ({@code LABEL <client random> <secret>}, one per line), which Wireshark reads to decrypt a capture.
 * For debugging only: whoever reads the file can decrypt every connection it lists.
 *
 * <p>The file is created readable and writable by its owner alone, and an existing one is refused when
 * anyone else may read or write it. Lines are appended, so several processes (a server and its clients)
 * may share one file; each line is written in one call and is at once visible to a live capture.
 */
public final class TlsKeyLog implements BoringSSLKeylog, AutoCloseable {
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path file;
    private final FileChannel out;
    private volatile boolean failed;

    private TlsKeyLog(Path file, FileChannel out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Opens {@code file} for appending, creating it owner-only.
     *
     * @throws IOException when it cannot be written, is a symbolic link or not a regular file, or others may access it
     */
    public static TlsKeyLog open(Path file) throws IOException {
        Path f = file.toAbsolutePath();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        // No symbolic links: a link planted where the key log is expected must not redirect the secrets.
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
        FileAttribute<?>[] attrs = posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        FileChannel out;
        try {
            out = FileChannel.open(f, options, attrs);
        } catch (IOException e) {
            throw new IOException("cannot write the key log " + f + ": " + reason(e), e);
        }
        try {
            if (posix) {
                PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isRegularFile()) throw new IOException("the key log " + f + " is not a regular file");
                if (!OWNER_ONLY.containsAll(a.permissions())) {
                    throw new IOException("the key log " + f + " is open to others (" + PosixFilePermissions.toString(a.permissions())
                            + "): remove it, or make it owner-only with chmod 600");
                }
            }
        } catch (IOException e) {
            out.close();
            throw e;
        }
        return new TlsKeyLog(f, out);
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) m = fse.getReason();
        if (e instanceof java.nio.file.NoSuchFileException) m = "no such directory";
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** The file written, as an absolute path. */
    public Path file() {
        return file;
    }

    /** The one line a program prints when it starts writing secrets: what, where, and why it matters. */
    public String warning() {
        return "writing the TLS secrets of every CPI connection to " + file
                + " (key log): anyone who can read this file can decrypt captured traffic, passwords and documents included; use for debugging only";
    }

    /** True when a line could not be written (the disk is full, say); the others were still attempted. */
    public boolean failed() {
        return failed;
    }

    @Override
    public void logKey(SSLEngine engine, String line) {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
        synchronized (this) {
            try {
                while (b.hasRemaining()) out.write(b);
            } catch (IOException e) {
                failed = true; // a debugging aid must not break the connection whose secrets it could not write
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            failed = true;
        }
    }
}
