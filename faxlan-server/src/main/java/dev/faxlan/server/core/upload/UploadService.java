package dev.faxlan.server.core.upload;

import java.io.IOException;
import java.sql.SQLException;
import dev.faxlan.server.core.Problem;
import dev.faxlan.server.core.ProblemException;
import dev.faxlan.server.files.DiskSpace;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.service.UploadLimits;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.Uploads;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads of documents: announced with their size and SHA-256, written by a door in parts that
 * survive a broken stream, verified when complete. Each user's unfinished uploads are bounded, and
 * abandoned ones are purged.
 */
public final class UploadService {
    private static final Logger log = LoggerFactory.getLogger(UploadService.class);

    /** An upload to begin; {@code name} (may be null) is the document's file name, for people to read. */
    public record Announced(String name, long size, String sha256) {}

    /** How far an upload has come: {@code offset} bytes of {@code size} are in; the hash is given once it is complete or when asked. */
    public record State(String id, long offset, long size, boolean complete, String sha256) {}

    private final Database db;
    private final Spool spool;
    private final Clock clock;
    private final long maxUploadBytes;
    private final UploadLimits limits;
    private final SecureRandom random = new SecureRandom();
    private volatile DiskSpace disk = DiskSpace.UNCHECKED;

    public UploadService(Database db, Spool spool, Clock clock, long maxUploadBytes, UploadLimits limits) {
        this.db = db;
        this.spool = spool;
        this.clock = clock;
        this.maxUploadBytes = maxUploadBytes;
        this.limits = limits;
    }

    /** The file system uploads are stored on, and the reserve kept free on it. */
    public void setDiskSpace(DiskSpace disk) {
        this.disk = disk;
    }

    /** Begins an upload, complete at once if the caller uploaded these bytes before. */
    public State begin(Connection c, Caller caller, Announced announced) throws SQLException {
        long size = announced.size();
        String sha = announced.sha256().toLowerCase(Locale.ROOT);
        if (!Spool.isSha256Hex(sha)) throw new ProblemException(Problem.INVALID, "sha256 must be 64 hex digits");
        if (size < 0) throw new ProblemException(Problem.INVALID, "size must not be negative");
        if (size > maxUploadBytes) {
            throw new ProblemException(Problem.TOO_LARGE, "upload of " + size + " bytes exceeds the server's limit of " + maxUploadBytes);
        }
        String name = announced.name();
        if (name != null && name.length() > 255) name = name.substring(0, 255);
        String id = randomId();
        // Only the caller's own completed upload of these bytes spares sending them again. Anyone else's
        // copy in the spool is invisible: the bytes are required and verified, so a hash is neither
        // permission to send a document nor an oracle for whether the server holds it.
        boolean known = Uploads.completedBy(c, caller.userId(), sha) && Documents.size(c, sha).orElse(-1L) == size && spool.hasDocument(sha);
        if (!known) { // bytes the server holds need no room
            disk.refusal(size, "an upload of " + size + " bytes").ifPresent(why -> {
                throw new ProblemException(Problem.DISK_FULL, why);
            });
        }
        Uploads.insert(c, new Uploads.Upload(id, caller.userId(), size, sha, name, clock.millis(), known));
        checkUnfinished(c, caller); // counts the new upload; a refusal rolls it back
        return new State(id, known ? size : 0L, size, known, null);
    }

    public State status(Caller caller, String id) throws SQLException, IOException {
        Uploads.Upload u = own(caller, id);
        long offset = u.completed() ? u.size() : spool.partLength(u.id());
        return new State(u.id(), offset, u.size(), u.completed(), u.sha256());
    }

    /** The caller's upload, checked for ownership; someone else's answers like a missing one. */
    public Uploads.Upload own(Caller caller, String id) throws SQLException {
        Optional<Uploads.Upload> u = db.tx(c -> Uploads.byId(c, id));
        if (u.isEmpty() || u.get().userId() != caller.userId()) throw new ProblemException(Problem.NOT_FOUND, "no upload " + id);
        return u.get();
    }

    /** Called when an upload's bytes are all in: moves it into the spool if its hash matches. */
    public State complete(Uploads.Upload u) throws SQLException, IOException {
        if (!spool.commit(u.id(), u.sha256())) {
            throw new ProblemException(Problem.HASH_MISMATCH, "upload " + u.id() + " does not match SHA-256 " + u.sha256() + "; upload it again");
        }
        long now = clock.millis();
        db.durableTx(c -> {
            Documents.insertIfAbsent(c, u.sha256(), u.size(), now);
            Uploads.markCompleted(c, u.id());
            return null;
        });
        return new State(u.id(), u.size(), u.size(), true, u.sha256());
    }

    /** Each unfinished upload holds disk until it completes or is purged: bounded per user. */
    private void checkUnfinished(Connection c, Caller caller) throws SQLException {
        Uploads.Usage used = Uploads.unfinishedUsage(c, caller.userId());
        String after = "; finish or abandon them (abandoned ones are purged " + limits.partLifetime().toHours() + " h after their last byte)";
        if (used.count() > limits.maxUnfinishedUploads()) {
            throw new ProblemException(Problem.TOO_LARGE, caller.name() + " has " + limits.maxUnfinishedUploads()
                    + " unfinished uploads, the most a user may have" + after);
        }
        if (used.bytes() > limits.maxUnfinishedBytes()) {
            throw new ProblemException(Problem.TOO_LARGE, "unfinished uploads of " + caller.name() + " would hold " + used.bytes()
                    + " bytes, more than the " + limits.maxUnfinishedBytes() + " a user may have" + after);
        }
    }

    /** Housekeeping: uploads no byte arrived for within the part lifetime are given up, their part files deleted. */
    public void purgeAbandoned() throws SQLException, IOException {
        long cutoff = clock.millis() - limits.partLifetime().toMillis();
        int purged = 0;
        for (String id : db.tx(c -> Uploads.unfinishedCreatedBefore(c, cutoff))) {
            OptionalLong written = spool.partModified(id);
            if (written.isPresent() && written.getAsLong() >= cutoff) continue;
            // The record goes first: a client resuming later is told NOT_FOUND rather than meeting a missing file.
            if (!db.tx(c -> Uploads.deleteUnfinished(c, id))) continue; // completed meanwhile
            spool.discard(id);
            purged++;
        }
        for (String id : spool.partsUntouchedSince(cutoff)) {
            if (db.tx(c -> Uploads.byId(c, id)).isEmpty()) {
                spool.discard(id); // no record: left over from a crash or a removed account
                purged++;
            }
        }
        if (purged > 0) log.info("purged {} abandoned uploads (no byte for {} h)", purged, limits.partLifetime().toHours());
    }

    private String randomId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
