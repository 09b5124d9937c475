package dev.faxlan.server.inbound;

import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.lines.InboundFaxSink;
import dev.faxlan.lines.ReceivedPages;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.server.core.port.DocumentStore;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.WhileUnavailable;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores every fax the lines receive: its pages as one TIFF Class F document (MMR, with each
 * page's bad-line counts in its tags) in the spool, and a {@code received_faxes} row. Either both
 * are stored or, on failure, neither; then listeners hear of the stored fax (routing, alerts).
 * Pages from a line are written to the spool as they arrive ({@link #newPages()}), at most
 * {@code maxPages} per fax.
 *
 * <p>A call that ended before its first page is recorded too, with no document: the row is the
 * record that someone tried to fax.
 */
public final class InboundStore implements InboundFaxSink {
    private static final Logger log = LoggerFactory.getLogger(InboundStore.class);
    static final TiffEncoding ENCODING = TiffEncoding.G4;

    private final Database db;
    private final DocumentStore spool;
    private final Clock clock;
    private final int maxPages;
    private final List<Consumer<ReceivedFaxes.Fax>> listeners = new CopyOnWriteArrayList<>();
    /**
     * Two identical faxes (a broadcast from a fax server) are one document; without this, both
     * transactions could find it unrecorded and the second insert into documents would fail.
     */
    private final Object commitLock = new Object();
    /** Faxes being received (pages arriving) or stored: a stop waits for them before the database closes. */
    private final Set<Object> receiving = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>())); // by identity: pages are lists
    private final AtomicInteger storing = new AtomicInteger();
    /** The node whose lines answer here, recorded with each fax (null: a server on its own). */
    private volatile String node;

    public InboundStore(Database db, DocumentStore spool, Clock clock) {
        this(db, spool, clock, InboundFaxSink.DEFAULT_MAX_PAGES);
    }

    /** @param maxPages pages a received fax may have: a sender that goes on is hung up on, and the pages before are kept */
    public InboundStore(Database db, DocumentStore spool, Clock clock, int maxPages) {
        if (maxPages < 1 || maxPages > 0xFFFF) throw new IllegalArgumentException("pages per received fax must be 1 to 65535, not " + maxPages);
        this.maxPages = maxPages;
        this.db = Objects.requireNonNull(db, "db");
        this.spool = Objects.requireNonNull(spool, "spool");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records {@code node} as the receiver of each fax stored from now on (a cluster's nodes share the table). */
    public void receivedBy(String node) {
        this.node = node;
    }

    /**
     * Adds a listener told of each fax once it is stored, on the thread that stored it. A listener
     * that throws is logged and does not affect the fax or the other listeners.
     */
    public void addListener(Consumer<ReceivedFaxes.Fax> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Each page goes to a TIFF in the spool as it arrives. */
    @Override
    public ReceivedPages newPages() {
        try {
            SpooledReceivedPages pages = new SpooledReceivedPages(spool.newTempFile(), maxPages);
            receiving.add(pages);
            return pages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void received(ReceivedFax fax) throws Exception {
        storing.incrementAndGet();
        try {
            ReceivedFaxes.Fax stored = storedAtLastPage.remove(fax.pages());
            if (stored != null) {
                tell(stored);
            } else if (notStoredAtLastPage.remove(fax.pages())) {
                // Its pages went with the failed store; the row records the try, and the sender calls again.
                store(new ReceivedFax(fax.line(), fax.callerNumber(), fax.calledNumber(), fax.remoteIdent(), fax.subaddress(), fax.senderId(),
                        List.of(), fax.startedMillis(), fax.durationMillis(), fax.result(), fax.callId()), STORE_RETRY, true);
            } else {
                store(fax, STORE_RETRY, true);
            }
        } finally {
            receiving.remove(fax.pages());
            storing.decrementAndGet();
        }
    }

    /**
     * Stores the fax before its last page is confirmed, so that a fax the sender counts as delivered is
     * never lost to a crash. The database gets {@link #LAST_PAGE_RETRY} to come back, well inside the
     * 3 s after which the sender repeats its EOP; a fax not stored by then is not confirmed. Listeners
     * hear of it when its call ends ({@link #received}), not while the sender waits for its MCF.
     */
    @Override
    public void lastPageReceived(ReceivedFax fax) throws Exception {
        storing.incrementAndGet();
        try {
            storedAtLastPage.put(fax.pages(), store(fax, LAST_PAGE_RETRY, false));
        } catch (Exception e) {
            notStoredAtLastPage.add(fax.pages());
            throw e;
        } finally {
            storing.decrementAndGet();
        }
    }

    /** Faxes stored at their last page, by their pages, until their call ends and listeners hear of them. */
    private final Map<Object, ReceivedFaxes.Fax> storedAtLastPage = Collections.synchronizedMap(new IdentityHashMap<>());

    /** How long a fax at its last page waits for an unavailable database before it is left unconfirmed. */
    static final Duration LAST_PAGE_RETRY = Duration.ofMillis(1500);
    /** Pages of faxes whose store at the last page failed (and were discarded with it), until their call ends. */
    private final Set<Object> notStoredAtLastPage = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    /** Waits until no fax is being received or stored; returns whether none is. */
    public boolean awaitIdle(long millis) throws InterruptedException {
        long until = System.currentTimeMillis() + millis;
        while ((!receiving.isEmpty() || storing.get() > 0) && System.currentTimeMillis() < until) Thread.sleep(50);
        return receiving.isEmpty() && storing.get() == 0;
    }

    /**
     * Stores a received fax and tells the listeners.
     *
     * @return the stored row
     * @throws Exception if it could not be stored; then no document and no row were left behind
     */
    public ReceivedFaxes.Fax store(ReceivedFax fax) throws Exception {
        return store(fax, STORE_RETRY, true);
    }

    private ReceivedFaxes.Fax store(ReceivedFax fax, Duration retry, boolean tellListeners) throws Exception {
        if (fax.pages() instanceof ReceivedPages p && p.limitReached()) {
            log.warn("fax on line {} from '{}' was cut off after {} pages: a received fax may have at most {}", fax.line(), fax.callerNumber(),
                    p.size(), p.maxPages());
        }
        ReceivedFaxes.Fax stored;
        try {
            stored = fax.pages().isEmpty() ? whileUnavailable(fax, retry, () -> db.tx(c -> insert(c, fax, null, 0))) : storeWithDocument(fax, retry);
        } finally {
            if (fax.pages() instanceof SpooledReceivedPages spooled) spooled.discard();
        }
        log.info("received fax {} on line {} from '{}' to '{}': {} pages, {} bad lines, {}", stored.id(), stored.line(),
                stored.callerNumber(), stored.calledNumber(), stored.pages(), stored.badLines(), stored.result());
        if (!tellListeners) return stored;
        tell(stored);
        return stored;
    }

    private void tell(ReceivedFaxes.Fax stored) {
        for (Consumer<ReceivedFaxes.Fax> l : listeners) {
            try {
                l.accept(stored);
            } catch (RuntimeException e) {
                log.warn("a listener failed on received fax {}", stored.id(), e);
            }
        }
    }

    private ReceivedFaxes.Fax storeWithDocument(ReceivedFax fax, Duration retry) throws Exception {
        SpooledReceivedPages spooled = fax.pages() instanceof SpooledReceivedPages s ? s : null;
        Path tmp = spooled != null ? spooled.file() : spool.newTempFile();
        try {
            Written stored = spooled != null ? spooled.finish() : writeTiff(tmp, fax.pages());
            synchronized (commitLock) {
                try {
                    return whileUnavailable(fax, retry, () -> db.tx(c -> {
                        Documents.insertIfAbsent(c, stored.sha256(), stored.size(), clock.millis());
                        ReceivedFaxes.Fax row = insert(c, fax, stored.sha256(), stored.size());
                        // Renamed last, inside the transaction: a failed insert leaves no document behind, and
                        // a committed row never names a missing one. Only a failing commit itself can leave
                        // an unreferenced (complete) document in docs/.
                        try {
                            // A try before this one may have moved the file, then lost its commit with the database
                            // (a restart): the document is in place under its hash, and only the row is written again.
                            if (Files.exists(tmp) || !spool.hasDocument(stored.sha256())) spool.adopt(tmp, stored.sha256());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e); // out of the transaction, which rolls back
                        }
                        return row;
                    }));
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The fax was received: a short outage of the database (a restart, a failover) delays its row, and
     * never loses it. Retried only while the database is unavailable, for at most {@link #STORE_RETRY}.
     */
    private static <T> T whileUnavailable(ReceivedFax fax, Duration retry, WhileUnavailable.Write<T> write) throws Exception {
        return WhileUnavailable.retry(log, "a received fax from '" + fax.callerNumber() + "'", retry, write);
    }

    /** How long a received fax waits for an unavailable database before it is given up (and logged). */
    static final Duration STORE_RETRY = Duration.ofMinutes(5);

    /** A document written to the spool's temporary directory, before it is adopted. */
    record Written(String sha256, long size) {}

    /** Writes the pages as TIFF, synced to disk, hashing the bytes on their way out. */
    private static Written writeTiff(Path file, List<DecodeResult> pages) throws IOException {
        MessageDigest md = Spool.sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            // Not closed: closing the stream would close the channel before it is synced.
            OutputStream out = new DigestOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16), md);
            TiffWriter w = new TiffWriter(out, TiffWriteOptions.of(ENCODING).withTotalPages(pages.size()));
            for (DecodeResult p : pages) w.writePage(p);
            w.finish();
            ch.force(true);
            return new Written(HexFormat.of().formatHex(md.digest()), ch.size());
        }
    }

    private ReceivedFaxes.Fax insert(Connection c, ReceivedFax fax, String sha256, long size) throws SQLException {
        // A try before this one may have committed, its answer lost with the database (a restart): the call's
        // row is there already, and the call is one fax. Calls without a Call-ID (a test's) are stored each time.
        if (fax.callId() != null && fax.callId().length() <= ReceivedFaxes.CALL_ID_MAX) {
            Optional<ReceivedFaxes.Fax> stored = ReceivedFaxes.byCallId(c, fax.callId());
            if (stored.isPresent()) {
                log.info("the fax of call {} was stored already (by a try whose commit's answer was lost); not stored again", fax.callId());
                return stored.get();
            }
        }
        long bad = 0;
        if (fax.pages() instanceof ReceivedPages stored) {
            bad = stored.badLines(); // counted as they arrived: no page is read back
        } else {
            for (DecodeResult p : fax.pages()) bad += p.badLineCount();
        }
        int badLines = (int) Math.min(Integer.MAX_VALUE, bad);
        ReceivedFaxes.NewFax row = new ReceivedFaxes.NewFax(fax.startedMillis(), text(fax.line()), text(fax.callerNumber()),
                text(fax.calledNumber()), text(fax.remoteIdent()), text(fax.subaddress()), text(fax.senderId()), fax.pages().size(),
                badLines, fax.durationMillis(), fax.result().name(), sha256, size, null, fax.callId());
        long id = ReceivedFaxes.insert(c, row);
        if (node != null) ReceivedFaxes.receivedBy(c, id, node);
        return ReceivedFaxes.byId(c, id).orElseThrow();
    }

    /**
     * What the far end sent, made storable: control characters dropped (PostgreSQL refuses NUL in
     * text) and cut to the column width, so an odd or overlong header never loses a fax.
     */
    static String text(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(Math.min(s.length(), ReceivedFaxes.TEXT_MAX));
        for (int i = 0; i < s.length() && b.length() < ReceivedFaxes.TEXT_MAX; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp)) continue;
            if (b.length() + Character.charCount(cp) > ReceivedFaxes.TEXT_MAX) break;
            b.appendCodePoint(cp);
        }
        return b.toString().strip();
    }
}
