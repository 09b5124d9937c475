package dev.faxlan.server.spool;

import dev.faxlan.server.core.port.DocumentStore;
import dev.faxlan.server.files.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import java.util.regex.Pattern;

/**
 * The spool directory: finished documents under {@code docs/<sha256>}, uploads in progress under
 * {@code uploads/<id>.part}, documents the server writes itself (received faxes) under {@code tmp/}
 * while they are written. A document enters {@code docs/} only by an atomic rename after its bytes
 * were synced and their SHA-256 checked, so a crash never leaves a half-written document there.
 * Several nodes of a cluster may share one spool (a shared file system): each then writes its
 * scratch files under {@code tmp/<node>/}, so one node's start-up {@link #clearTemp} never deletes
 * what another running node is writing; documents and upload parts are shared by all.
 */
public final class Spool implements DocumentStore {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-zA-Z_-]{1,32}");
    private final Path docs;
    private final Path uploads;
    private final Path tmp;
    /** {@code tmp/}, holding one scratch directory per node of a shared spool; null for a spool of one node. */
    private final Path scratchRoot;

    /** A spool of one node alone: its scratch files directly under {@code tmp/}. */
    public Spool(Path root) throws IOException {
        this(root, null);
    }

    /**
     * A spool that other nodes may share: {@code node}'s scratch files under {@code tmp/<node>/}.
     *
     * @param node this node's name, the same at every start (null: a spool of one node)
     */
    public Spool(Path root, String node) throws IOException {
        this.docs = PrivateFiles.createDirectories(root.resolve("docs"));
        this.uploads = PrivateFiles.createDirectories(root.resolve("uploads"));
        Path scratch = PrivateFiles.createDirectories(root.resolve("tmp"));
        if (node != null) {
            if (!UPLOAD_ID.matcher(node).matches()) throw new IllegalArgumentException("bad node name for the spool: " + node);
            scratch = PrivateFiles.createDirectories(scratch.resolve(node));
        }
        this.tmp = scratch;
        this.scratchRoot = node == null ? null : scratch.getParent();
    }

    public static boolean isSha256Hex(String s) {
        return s != null && SHA256_HEX.matcher(s).matches();
    }

    public Path document(String sha256) {
        if (!isSha256Hex(sha256)) throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
        return docs.resolve(sha256);
    }

    public boolean hasDocument(String sha256) {
        return Files.isRegularFile(document(sha256));
    }

    public Path part(String uploadId) {
        if (!UPLOAD_ID.matcher(uploadId).matches()) throw new IllegalArgumentException("bad upload id: " + uploadId);
        return uploads.resolve(uploadId + ".part");
    }

    /** Bytes of an upload received so far (0 before the first byte). */
    public long partLength(String uploadId) throws IOException {
        Path p = part(uploadId);
        return Files.exists(p) ? Files.size(p) : 0;
    }

    /** Opens an upload's part file for appending at {@code offset}, cutting off anything beyond it. */
    public FileChannel openPart(String uploadId, long offset) throws IOException {
        FileChannel ch = PrivateFiles.open(part(uploadId), Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        ch.truncate(offset);
        ch.position(offset);
        return ch;
    }

    /**
     * Moves a complete upload into {@code docs/} if its content hashes to {@code sha256}.
     *
     * @return true when the document is in place, false when the hash did not match (the part is deleted)
     */
    public boolean commit(String uploadId, String sha256) throws IOException {
        Path part = part(uploadId);
        if (!sha256(part).equals(sha256)) {
            Files.deleteIfExists(part);
            return false;
        }
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(part, document(sha256), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(docs);
        return true;
    }

    /**
     * A new, empty file for a document the server writes itself; it lives on the same file system
     * as {@code docs/}, so {@link #adopt} can rename it there atomically. The caller deletes it if
     * it does not adopt it.
     */
    public Path newTempFile() throws IOException {
        try {
            return PrivateFiles.createTempFile(tmp, "doc-", ".tmp");
        } catch (NoSuchFileException e) {
            // Another node removed this node's empty scratch directory as a gone node's: restarted, it had made the
            // directory before its first heartbeat. Made again; once it holds a file no other node removes it.
            PrivateFiles.createDirectories(tmp);
            return PrivateFiles.createTempFile(tmp, "doc-", ".tmp");
        }
    }

    /**
     * Moves a finished file from {@link #newTempFile} into {@code docs/} as the document
     * {@code sha256}, as {@link #commit} does for an upload: synced, hash checked, renamed
     * atomically, directory synced. A document already there with that hash is the same bytes and
     * is replaced.
     *
     * @return the document's path
     * @throws IOException if the file's content does not hash to {@code sha256} (the file stays)
     */
    public Path adopt(Path tempFile, String sha256) throws IOException {
        Path target = document(sha256);
        if (!tmp.toAbsolutePath().normalize().equals(tempFile.toAbsolutePath().normalize().getParent())) {
            throw new IllegalArgumentException("not a temporary file of this spool: " + tempFile);
        }
        try (FileChannel ch = FileChannel.open(tempFile, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        String actual = sha256(tempFile);
        if (!actual.equals(sha256)) throw new IOException(tempFile + " hashes to " + actual + ", not " + sha256);
        Files.move(tempFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(docs);
        return target;
    }

    /**
     * Deletes what a previous process of this node left in its scratch directory: converted job
     * pages and partly received faxes of calls that died with it. Only at start, before anything new
     * is written there; other nodes' scratch directories are left alone (they may be running).
     *
     * @return the bytes freed
     */
    public long clearTemp() throws IOException {
        long freed = 0;
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                long size = Files.size(p);
                if (Files.deleteIfExists(p)) freed += size;
            }
        }
        return freed;
    }

    /**
     * Deletes the scratch files of nodes that are gone: files untouched since {@code olderThanMillis} in
     * {@code tmp/<node>/} of every node not in {@code alive} (this one is always kept), and such a
     * directory once it is empty. A node that died for good never clears its own at a start; one that
     * comes back makes its directory again. Only files that old, so that a node starting (its scratch
     * directory made before its first heartbeat) or one whose heartbeat lapses for a while loses nothing
     * it still uses.
     *
     * @return the bytes freed
     */
    public long clearScratchOfGoneNodes(Set<String> alive, long olderThanMillis) throws IOException {
        if (scratchRoot == null) return 0;
        long freed = 0;
        try (Stream<Path> dirs = Files.list(scratchRoot)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (dir.equals(tmp) || alive.contains(name) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
                boolean left = false;
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS);
                        if (!a.isRegularFile() || a.lastModifiedTime().toMillis() >= olderThanMillis) {
                            left = true;
                            continue;
                        }
                        if (Files.deleteIfExists(f)) freed += a.size();
                    }
                }
                if (!left) {
                    try {
                        Files.deleteIfExists(dir);
                    } catch (DirectoryNotEmptyException e) {
                        // the node came back meanwhile: its directory stays
                    }
                }
            }
        }
        return freed;
    }

    /** Makes a rename durable: without this a crash may forget a document the database already records. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open or sync a directory; the rename itself has happened.
        }
    }

    /** Ids of the uploads whose part file was last written before {@code cutoffMillis}, with or without an upload record. */
    public List<String> partsUntouchedSince(long cutoffMillis) throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> parts = Files.list(uploads)) {
            for (Path p : (Iterable<Path>) parts::iterator) {
                String name = p.getFileName().toString();
                if (!name.endsWith(".part")) continue;
                String id = name.substring(0, name.length() - ".part".length());
                if (!UPLOAD_ID.matcher(id).matches()) continue;
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < cutoffMillis) ids.add(id);
                } catch (NoSuchFileException gone) {
                    // finished or discarded meanwhile
                }
            }
        }
        return ids;
    }

    /** When an upload's part file was last written, if it has one. */
    public OptionalLong partModified(String uploadId) throws IOException {
        try {
            return OptionalLong.of(Files.getLastModifiedTime(part(uploadId)).toMillis());
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    public void discard(String uploadId) throws IOException {
        Files.deleteIfExists(part(uploadId));
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
