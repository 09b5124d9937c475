package dev.faxlan.server.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.faxlan.documents.ocr.PageText;
import dev.faxlan.documents.ocr.Tesseract;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.server.events.InProcessEventBus;
import dev.faxlan.server.routing.InboundRouter;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.FaxTexts;
import dev.faxlan.server.storage.Mailboxes;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.server.storage.Routes;
import dev.faxlan.testkit.Ocr;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background reader with the real tesseract: pages read and kept, search, routing that waits for page 1, a restart that resumes. */
class OcrWorkerTest {
    @TempDir
    Path dir;
    Database db;
    Spool spool;
    InboundRouter router;
    OcrWorker worker;

    @BeforeEach
    void open() throws Exception {
        db = Database.embedded(dir);
        spool = new Spool(dir.resolve("spool"));
        router = new InboundRouter(db, Clock.systemUTC(), new InProcessEventBus());
        db.tx(c -> Mailboxes.insert(c, "orders", null, 0));
    }

    @AfterEach
    void close() {
        if (worker != null) worker.close();
        db.close();
    }

    private OcrWorker worker(Optional<Tesseract> tesseract) {
        if (worker != null) worker.close();
        worker = new OcrWorker(db, spool, tesseract, 1, Duration.ofMinutes(2), router, Clock.systemUTC());
        return worker;
    }

    private static Tesseract tesseract() {
        Ocr.require();
        return Tesseract.find().orElseThrow();
    }

    @Test
    void everyPageIsReadAndKeptAndTheFaxIsRoutedAtOnceWithoutContentRules() throws Exception {
        OcrWorker w = worker(Optional.of(tesseract()));
        ReceivedFaxes.Fax fax = store(page("Purchase order 4711", "Deliver to Leeds"), page("Second page about giraffes"));

        w.accept(fax);
        assertThat(mailbox(fax)).isEqualTo(Mailboxes.UNADDRESSED); // delivery never waits when no rule reads content
        assertThat(w.queueLength()).isEqualTo(1);
        w.start();

        await().atMost(Duration.ofMinutes(3)).until(() -> w.queueLength() == 0);
        List<FaxTexts.Page> pages = db.tx(c -> FaxTexts.pages(c, fax.id()));
        assertThat(pages).extracting(FaxTexts.Page::page).containsExactly(1, 2);
        assertThat(pages.get(0).text().searchWords()).contains("purchase", "order", "4711", "leeds");
        assertThat(pages.get(1).text().searchWords()).contains("giraffes");
        assertThat(db.tx((Connection c) -> ReceivedFaxes.withWords(c, null, List.of("giraffes", "4711"), 10))).extracting(ReceivedFaxes.Fax::id)
                .containsExactly(fax.id());
    }

    @Test
    void aContentRuleHoldsTheFaxUntilItsPage1IsReadAndAStoppedWorkerResumes() throws Exception {
        Tesseract t = tesseract();
        db.tx(c -> Routes.insert(c, 0, new Routes.Match(null, null, null, null, null, "ORDER 4711"), Mailboxes.byName(c, "orders").orElseThrow().id(), 0));
        ReceivedFaxes.Fax fax = store(page("Purchase order 4711", "Deliver to Leeds"), page("Nothing else here"));
        ReceivedFaxes.Fax other = store(page("A letter about lunch"));

        // A worker that is never started, as if the server stopped: the faxes wait, queued in the database.
        OcrWorker first = worker(Optional.of(t));
        first.accept(fax);
        first.accept(other);
        assertThat(mailbox(fax)).isNull();
        assertThat(mailbox(other)).isNull();

        OcrWorker second = worker(Optional.of(t));
        second.start();
        await().atMost(Duration.ofMinutes(3)).until(() -> "orders".equals(mailbox(fax)) && Mailboxes.UNADDRESSED.equals(mailbox(other)));
        await().atMost(Duration.ofMinutes(3)).until(() -> second.queueLength() == 0);
    }

    @Test
    void withoutTesseractFaxesAreRoutedAtOnceAndContentRulesNeverMatch() throws Exception {
        db.tx(c -> Routes.insert(c, 0, new Routes.Match(null, null, null, null, null, "4711"), Mailboxes.byName(c, "orders").orElseThrow().id(), 0));
        OcrWorker w = worker(Optional.empty());
        w.start();
        ReceivedFaxes.Fax fax = store(new BilevelPage(1728, 100, 204, 196));
        w.accept(fax);
        assertThat(mailbox(fax)).isEqualTo(Mailboxes.UNADDRESSED);
        assertThat(w.available()).isFalse();
        assertThat(w.queueLength()).isZero();
    }

    /** Two nodes' workers on one database: each fax is read once in all, whichever node claims it. */
    @Test
    void twoNodesReadEachFaxOnce() throws Exception {
        Tesseract t = tesseract();
        List<ReceivedFaxes.Fax> faxes = List.of(store(page("Fax one")), store(page("Fax two")), store(page("Fax three")), store(page("Fax four")));
        OcrWorker a = new OcrWorker(db, spool, Optional.of(t), 2, Duration.ofMinutes(2), router, Clock.systemUTC());
        OcrWorker b = new OcrWorker(db, spool, Optional.of(t), 2, Duration.ofMinutes(2), router, Clock.systemUTC());
        a.claimAs("node-a");
        b.claimAs("node-b");
        try {
            for (ReceivedFaxes.Fax f : faxes) a.accept(f);
            a.start();
            b.start();
            await().atMost(Duration.ofMinutes(3)).until(() -> a.queueLength() == 0);
            assertThat(a.pagesRead() + b.pagesRead()).as("pages read by the two nodes").isEqualTo(faxes.size());
            for (ReceivedFaxes.Fax f : faxes) assertThat(db.tx((Connection c) -> FaxTexts.pages(c, f.id()))).hasSize(1);
        } finally {
            a.close();
            b.close();
        }
    }

    /** A fax claimed by a node that died is read by another once the dead node's lease has expired, and not before. */
    @Test
    void aFaxClaimedByADeadNodeIsTakenOverWhenItsLeaseExpires() throws Exception {
        Tesseract t = tesseract();
        ReceivedFaxes.Fax held = store(page("Held by a live node"));
        ReceivedFaxes.Fax orphan = store(page("Left by a dead node"));
        long now = System.currentTimeMillis();
        db.tx((Connection c) -> {
            FaxTexts.enqueue(c, held.id(), false, now - 2);
            FaxTexts.enqueue(c, orphan.id(), false, now - 1);
            assertThat(FaxTexts.claimNext(c, "node-live", now, now + 3_600_000)).map(FaxTexts.Queued::faxId).contains(held.id());
            assertThat(FaxTexts.claimNext(c, "node-dead", now, now - 1)).map(FaxTexts.Queued::faxId).contains(orphan.id()); // expired already
            return null;
        });
        OcrWorker w = new OcrWorker(db, spool, Optional.of(t), 1, Duration.ofMinutes(2), router, Clock.systemUTC());
        w.claimAs("node-b");
        try {
            w.start();
            await().atMost(Duration.ofMinutes(3)).until(() -> db.tx((Connection c) -> FaxTexts.queuedFax(c, orphan.id())).isEmpty());
            assertThat(db.tx((Connection c) -> FaxTexts.pages(c, orphan.id()))).hasSize(1);
            // The live node's claim holds: the fax is still queued, unread by this node.
            assertThat(db.tx((Connection c) -> FaxTexts.queuedFax(c, held.id()))).isPresent();
            assertThat(w.pagesRead()).isEqualTo(1);
        } finally {
            w.close();
        }
    }

    private String mailbox(ReceivedFaxes.Fax fax) throws Exception {
        return db.tx(c -> ReceivedFaxes.byId(c, fax.id())).orElseThrow().mailbox();
    }

    /** Stores pages as a received fax: its TIFF in the spool and its row, not routed. */
    private ReceivedFaxes.Fax store(BilevelPage... pages) throws Exception {
        Path tmp = spool.newTempFile();
        try (OutputStream out = Files.newOutputStream(tmp)) {
            TiffWriter w = new TiffWriter(out, TiffWriteOptions.of(TiffEncoding.G4).withTotalPages(pages.length));
            for (BilevelPage p : pages) w.writePage(p);
            w.finish();
        }
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tmp)));
        long size = Files.size(tmp);
        return db.tx(c -> {
            Documents.insertIfAbsent(c, sha, size, 0);
            try {
                spool.adopt(tmp, sha);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long id = ReceivedFaxes.insert(c, new ReceivedFaxes.NewFax(System.currentTimeMillis(), "loopback", "0000", "0000", "", "", "",
                    pages.length, 0, 1000, "OK", sha, size, null));
            return ReceivedFaxes.byId(c, id).orElseThrow();
        });
    }

    /** A fine-resolution page with lines of large, clear text. */
    static BilevelPage page(String... lines) {
        int w = 1728, h = 1400;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 64));
        for (int i = 0; i < lines.length; i++) g.drawString(lines[i], 120, 250 + i * 140);
        g.dispose();
        BilevelPage p = new BilevelPage(w, h, 204, 196);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if ((img.getRGB(x, y) & 0xFFFFFF) == 0) p.setPixel(x, y, true);
        return p;
    }
}
