package dev.faxlan.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.engine.tiff.TiffPageInfo;
import dev.faxlan.engine.tiff.TiffReader;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.lines.ReceivedPages;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Documents;
import dev.faxlan.server.storage.ReceivedFaxes;
import dev.faxlan.testkit.ExternalTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboundStoreTest {
    static final long STARTED = 1_700_000_000_000L;

    @TempDir
    Path dataDir;
    private Database db;
    private Spool spool;
    private InboundStore store;
    private final List<ReceivedFaxes.Fax> heard = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        db = Database.embedded(dataDir);
        spool = new Spool(dataDir.resolve("spool"));
        store = new InboundStore(db, spool, new MutableClock(STARTED + 90_000));
        store.addListener(heard::add);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** A fine A4-wide page with a black bar across it and a pattern below. */
    static BilevelPage page(int height, int yRes, int seed) {
        BilevelPage p = new BilevelPage(1728, height, 204, yRes);
        for (int y = 10; y < 20; y++) {
            for (int x = 100; x < 1600; x++) p.setPixel(x, y, true);
        }
        for (int y = 40; y < height; y += 7) {
            for (int x = (y * seed) % 50; x < 1728; x += 50 + seed) p.setPixel(x, y, true);
        }
        return p;
    }

    static ReceivedFax twoPages() {
        return new ReceivedFax("trunk1", "+4930111111", "+4930222222", "+49 30 111111", "", "", List.of(
                new DecodeResult(page(400, 196, 3), 0, 0),
                new DecodeResult(page(250, 98, 5), 7, 4)), STARTED, 65_000, FaxResult.OK);
    }

    @Test
    void storesATwoPageFaxAsOneTiffAndARow() throws Exception {
        ReceivedFax fax = twoPages();
        ReceivedFaxes.Fax row = store.store(fax);

        assertThat(row.id()).isPositive();
        assertThat(row.receivedAt()).isEqualTo(STARTED);
        assertThat(row.line()).isEqualTo("trunk1");
        assertThat(row.callerNumber()).isEqualTo("+4930111111");
        assertThat(row.calledNumber()).isEqualTo("+4930222222");
        assertThat(row.remoteIdent()).isEqualTo("+49 30 111111");
        assertThat(row.subaddress()).isEmpty();
        assertThat(row.senderId()).isEmpty();
        assertThat(row.pages()).isEqualTo(2);
        assertThat(row.badLines()).isEqualTo(7);
        assertThat(row.durationMs()).isEqualTo(65_000);
        assertThat(row.result()).isEqualTo("OK");
        assertThat(row.mailbox()).isNull();
        assertThat(row.read()).isFalse();
        assertThat(heard).containsExactly(row);
        assertThat(db.tx((Connection c) -> ReceivedFaxes.byId(c, row.id()))).contains(row);

        Path doc = spool.document(row.sha256());
        assertThat(doc).isRegularFile();
        assertThat(Files.size(doc)).isEqualTo(row.size());
        assertThat(Spool.sha256(doc)).isEqualTo(row.sha256());
        assertThat(db.tx((Connection c) -> Documents.size(c, row.sha256())).getAsLong()).isEqualTo(row.size());
        assertThat(tempFiles()).isEmpty();

        try (TiffReader r = TiffReader.open(doc)) {
            assertThat(r.pageCount()).isEqualTo(2);
            for (int i = 0; i < 2; i++) {
                BilevelPage sent = fax.pages().get(i).page();
                TiffPageInfo info = r.pageInfo(i);
                assertThat(info.width()).isEqualTo(1728);
                assertThat(info.height()).isEqualTo(sent.height());
                assertThat(info.xRes()).isEqualTo(204);
                assertThat(info.yRes()).isEqualTo(sent.yRes());
                assertThat(info.compression()).isEqualTo(4);
                assertThat(r.readPage(i).page()).isEqualTo(sent);
            }
            assertThat(r.pageInfo(0).badFaxLines()).isIn(-1L, 0L);
            assertThat(r.pageInfo(1).badFaxLines()).isEqualTo(7);
        }
    }

    @Test
    void libtiffReadsTheStoredFaxWithoutComplaint() throws Exception {
        Path tiffinfo = ExternalTool.require("tiffinfo", ExternalTool.LIBTIFF_TOOLS);
        ReceivedFaxes.Fax row = store.store(twoPages());

        // -D decodes every strip, so damaged data would show up as warnings as well.
        ExternalTool.Result r = ExternalTool.run(List.of(tiffinfo.toString(), "-D", spool.document(row.sha256()).toString()));

        assertThat(r.exitCode()).as(r.all()).isZero();
        assertThat(r.stderr()).as("tiffinfo stderr").isEmpty();
        assertThat(r.stdout().toLowerCase()).doesNotContain("warning").doesNotContain("error");
        assertThat(r.stdout()).contains("Image Width: 1728 Image Length: 400").contains("Image Width: 1728 Image Length: 250")
                .contains("Resolution: 204, 196 pixels/inch").contains("Resolution: 204, 98 pixels/inch")
                .contains("Page Number: 0-2").contains("Page Number: 1-2")
                .contains("Bad Fax Lines: 7");
    }

    @Test
    void aCallWithoutPagesIsRecordedWithoutADocument() throws Exception {
        ReceivedFaxes.Fax row = store.store(new ReceivedFax("trunk1", "", "+4930222222", "", "", "", List.of(), STARTED, 38_000,
                FaxResult.T1_EXPIRED));
        assertThat(row.pages()).isZero();
        assertThat(row.sha256()).isNull();
        assertThat(row.size()).isZero();
        assertThat(row.callerNumber()).isEmpty();
        assertThat(row.result()).isEqualTo("T1_EXPIRED");
        assertThat(heard).containsExactly(row);
        assertThat(documents()).isEmpty();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void aFailingInsertLeavesNoFileAndNoRow() throws Exception {
        db.tx(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE received_faxes CASCADE");
            }
            return null;
        });
        assertThatThrownBy(() -> store.store(twoPages())).isInstanceOf(SQLException.class);
        assertThat(tempFiles()).isEmpty();
        assertThat(documents()).isEmpty();
        assertThat(db.tx((Connection c) -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM documents")) {
                rs.next();
                return rs.getLong(1);
            }
        })).isZero();
        assertThat(heard).isEmpty();
    }

    @Test
    void aPageThatCannotBeWrittenLeavesNoFileAndNoRow() throws Exception {
        ReceivedFax fax = new ReceivedFax("trunk1", "1", "2", "", "", "", List.of(new DecodeResult(page(100, 98, 1), 0, 0),
                new DecodeResult(new BilevelPage(1728, 0, 204, 98), 0, 0)), STARTED, 1000, FaxResult.PAGE_TIMEOUT);
        assertThatThrownBy(() -> store.store(fax)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one row");
        assertThat(tempFiles()).isEmpty();
        assertThat(documents()).isEmpty();
        assertThat(db.tx(ReceivedFaxes::count)).isZero();
    }

    @Test
    void theSameFaxTwiceIsOneDocumentAndTwoRows() throws Exception {
        ReceivedFaxes.Fax a = store.store(twoPages());
        ReceivedFaxes.Fax b = store.store(twoPages());
        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(b.sha256()).isEqualTo(a.sha256());
        assertThat(documents()).containsExactly(spool.document(a.sha256()));
        assertThat(db.tx((Connection c) -> ReceivedFaxes.list(c, 10))).extracting(ReceivedFaxes.Fax::id).containsExactly(b.id(), a.id());
    }

    @Test
    void aCallIsOneFaxWhenItsStoreIsTriedAgainAfterACommitWhoseAnswerWasLost() throws Exception {
        ReceivedFax base = twoPages();
        ReceivedFax call = new ReceivedFax(base.line(), base.callerNumber(), base.calledNumber(), base.remoteIdent(), base.subaddress(),
                base.senderId(), base.pages(), base.startedMillis(), base.durationMillis(), base.result(), "a84b4c76e66710@192.0.2.4");
        ReceivedFaxes.Fax first = store.store(call);
        // The retry after a lost answer: the same call, its pages written again.
        ReceivedFaxes.Fax again = store.store(call);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(db.tx((Connection c) -> ReceivedFaxes.list(c, 10))).extracting(ReceivedFaxes.Fax::id).containsExactly(first.id());
        assertThat(documents()).containsExactly(spool.document(first.sha256()));
        // Another call with the same pages is another fax.
        ReceivedFaxes.Fax other = store.store(new ReceivedFax(base.line(), base.callerNumber(), base.calledNumber(), base.remoteIdent(),
                base.subaddress(), base.senderId(), base.pages(), base.startedMillis(), base.durationMillis(), base.result(), "f81d4fae7dec@192.0.2.4"));
        assertThat(other.id()).isNotEqualTo(first.id());
    }

    @Test
    void whatTheFarEndSentIsMadeStorable() throws Exception {
        String longCaller = "+49".repeat(40);
        ReceivedFaxes.Fax row = store.store(new ReceivedFax("trunk1", longCaller, "+4930222222", "EVIL\u0000TSI\n", "\u0007", "x",
                List.of(), STARTED, 10, FaxResult.PROTOCOL_ERROR));
        assertThat(row.callerNumber()).hasSize(ReceivedFaxes.TEXT_MAX).isEqualTo(longCaller.substring(0, ReceivedFaxes.TEXT_MAX));
        assertThat(row.remoteIdent()).isEqualTo("EVILTSI");
        assertThat(row.subaddress()).isEmpty();
        assertThat(InboundStore.text("\uD83D\uDCE0".repeat(40))).hasSize(64);
        assertThat(InboundStore.text(null)).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotLoseTheFaxOrSilenceTheOthers() throws Exception {
        InboundStore s = new InboundStore(db, spool, new MutableClock());
        List<Long> later = new ArrayList<>();
        s.addListener(f -> {
            throw new IllegalStateException("router down");
        });
        s.addListener(f -> later.add(f.id()));
        ReceivedFaxes.Fax row = s.store(twoPages());
        assertThat(later).containsExactly(row.id());
        assertThat(db.tx((Connection c) -> ReceivedFaxes.byId(c, row.id()))).isPresent();
    }

    @Test
    void receivedIsStore() throws Exception {
        store.received(twoPages());
        assertThat(heard).hasSize(1);
        assertThat(db.tx(ReceivedFaxes::count)).isEqualTo(1);
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("spool").resolve("tmp"))) {
            return s.toList();
        }
    }

    private List<Path> documents() throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve("spool").resolve("docs"))) {
            return s.toList();
        }
    }

    @Test
    void pagesFromALineGoToTheSpoolAsTheyArriveUpToTheLimit() throws Exception {
        InboundStore limited = new InboundStore(db, spool, new MutableClock(STARTED + 90_000), 3);
        ReceivedPages pages = limited.newPages();
        List<BilevelPage> sent = new ArrayList<>();
        long[] sizes = new long[3];
        for (int i = 0; i < 3; i++) {
            BilevelPage p = page(300 + i * 10, 196, i + 2);
            sent.add(p);
            assertThat(pages.store(new DecodeResult(p, i, i))).as("page %d of 3", i + 1).isTrue();
            sizes[i] = tempFiles().stream().mapToLong(f -> f.toFile().length()).sum();
        }
        // The TIFF writer holds one coded page back; every earlier page is already on disk.
        assertThat(sizes[1]).as("page 1 is on disk once page 2 arrived").isPositive();
        assertThat(sizes[2]).as("page 2 is on disk once page 3 arrived").isGreaterThan(sizes[1]);
        assertThat(pages.store(new DecodeResult(page(300, 196, 9), 0, 0))).as("page 4 is over the limit").isFalse();
        assertThat(pages.limitReached()).isTrue();

        ReceivedFaxes.Fax row = limited.store(new ReceivedFax("trunk1", "+4930111111", "+4930222222", "", "", "", pages, STARTED, 9_000,
                FaxResult.CANCELLED));
        assertThat(row.pages()).isEqualTo(3);
        assertThat(row.badLines()).isEqualTo(0 + 1 + 2);
        assertThat(tempFiles()).isEmpty();
        Path doc = spool.document(row.sha256());
        assertThat(Spool.sha256(doc)).isEqualTo(row.sha256());
        assertThat(Files.size(doc)).isEqualTo(row.size());
        try (TiffReader r = TiffReader.open(doc)) {
            assertThat(r.pageCount()).isEqualTo(3);
            for (int i = 0; i < 3; i++) assertThat(r.readPage(i).page()).isEqualTo(sent.get(i));
        }
    }

    /** A fax from a line, its pages spooled as they came, as the line hands it at its last page. */
    private ReceivedFax spooledTwoPages(FaxResult result) throws IOException {
        ReceivedPages pages = store.newPages();
        pages.store(new DecodeResult(page(400, 196, 3), 0, 0));
        pages.store(new DecodeResult(page(250, 98, 5), 7, 4));
        return new ReceivedFax("trunk1", "+4930111111", "+4930222222", "", "", "", pages, STARTED, 20_000, result);
    }

    @Test
    void aFaxStoredAtItsLastPageIsCommittedWhenTheHookReturnsAndListenersHearOfItWhenItsCallEnds() throws Exception {
        ReceivedFax fax = spooledTwoPages(FaxResult.OK);
        store.lastPageReceived(fax);
        // Committed before the hook returned, that is before the line confirms the last page.
        List<ReceivedFaxes.Fax> rows = db.tx((Connection c) -> ReceivedFaxes.list(c, 10));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).pages()).isEqualTo(2);
        assertThat(Spool.sha256(spool.document(rows.get(0).sha256()))).isEqualTo(rows.get(0).sha256());
        assertThat(tempFiles()).isEmpty();
        assertThat(heard).as("listeners, before the call ended").isEmpty();

        store.received(fax);
        assertThat(heard).extracting(ReceivedFaxes.Fax::id).as("listeners, once it ended").containsExactly(rows.get(0).id());
        assertThat(db.tx(ReceivedFaxes::count)).as("stored once").isEqualTo(1);
    }

    @Test
    void aFaxNotStoredAtItsLastPageIsRecordedWithoutItsDocumentWhenItsCallEnds() throws Exception {
        ReceivedFax fax = spooledTwoPages(FaxResult.OK);
        renameReceivedFaxes("received_faxes", "received_faxes_away");
        assertThatThrownBy(() -> store.lastPageReceived(fax)).isInstanceOf(SQLException.class);
        renameReceivedFaxes("received_faxes_away", "received_faxes");
        assertThat(db.tx(ReceivedFaxes::count)).isZero();

        store.received(new ReceivedFax(fax.line(), fax.callerNumber(), fax.calledNumber(), "", "", "", fax.pages(), STARTED, 21_000,
                FaxResult.RECEIVED_NOT_STORED));
        List<ReceivedFaxes.Fax> rows = db.tx((Connection c) -> ReceivedFaxes.list(c, 10));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).pages()).as("the pages went with the failed store").isZero();
        assertThat(rows.get(0).sha256()).isNull();
        assertThat(tempFiles()).isEmpty();
        assertThat(documents()).isEmpty();
    }

    private void renameReceivedFaxes(String from, String to) throws Exception {
        db.tx(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ALTER TABLE " + from + " RENAME TO " + to);
            }
            return null;
        });
    }
}
