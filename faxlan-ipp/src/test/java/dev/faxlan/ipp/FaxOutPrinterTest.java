package dev.faxlan.ipp;

import static org.assertj.core.api.Assertions.assertThat;

import com.hp.jipp.encoding.IppPacket;
import com.hp.jipp.encoding.NameType;
import com.hp.jipp.encoding.Tag;
import com.hp.jipp.model.DestinationUris;
import com.hp.jipp.model.JobState;
import com.hp.jipp.model.Operation;
import com.hp.jipp.model.Status;
import com.hp.jipp.model.Types;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FaxOut operations against an account in memory: what becomes which fax job, and what IPP is told. */
class FaxOutPrinterTest {
    private static final URI PRINTER = URI.create("ipp://127.0.0.1:8631/ipp/faxout");
    private static final InputStream NONE = InputStream.nullInputStream();

    @TempDir
    Path spool;
    private FaxOutPrinter printer;
    private final Map<Long, FaxAccount.Fax> server = new LinkedHashMap<>();
    private FakeAccount alice;
    private FakeAccount bob;

    @BeforeEach
    void setUp() {
        printer = new FaxOutPrinter("test fax", "", spool, 1024, false, Clock.systemUTC());
        alice = new FakeAccount("alice", server, 100);
        bob = new FakeAccount("bob", server, 200);
    }

    private static DestinationUris tel(String number) {
        DestinationUris d = new DestinationUris();
        d.setDestinationUri(URI.create("tel:" + number));
        return d;
    }

    private static IppPacket.Builder to(IppPacket.Builder b, String... numbers) {
        b.putJobAttributes(Types.destinationUris.of(List.of(numbers).stream().map(FaxOutPrinterTest::tel).toList()));
        return b;
    }

    private static InputStream doc(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private IppPacket print(FakeAccount who, String name, String text, String... numbers) {
        IppPacket.Builder b = IppPacket.printJob(PRINTER).putOperationAttributes(Types.jobName.of(name), Types.documentFormat.of("text/plain"));
        return printer.handle(to(b, numbers).build(), doc(text), PRINTER, who);
    }

    @Test
    void getPrinterAttributesNamesTheFaxOutAttributes() {
        IppPacket r = printer.handle(IppPacket.getPrinterAttributes(PRINTER).build(), NONE, PRINTER, null);
        assertThat(r.getStatus()).isEqualTo(Status.successfulOk);
        assertThat(r.getStrings(Tag.printerAttributes, Types.ippFeaturesSupported)).contains("faxout");
        assertThat(r.getStrings(Tag.printerAttributes, Types.destinationUriSchemesSupported)).containsExactly("tel");
        assertThat(r.getStrings(Tag.printerAttributes, Types.documentFormatSupported)).contains("application/pdf", "image/jpeg", "text/plain")
                .doesNotContain("image/pwg-raster");
        assertThat(r.getValue(Tag.printerAttributes, Types.multipleDestinationUrisSupported)).isTrue();
        assertThat(r.getValues(Tag.printerAttributes, Types.printerUriSupported)).containsExactly(PRINTER);

        IppPacket some = printer.handle(IppPacket.getPrinterAttributes(PRINTER, Types.printerName).build(), NONE, PRINTER, null);
        assertThat(some.get(Tag.printerAttributes)).extracting(a -> a.getName()).containsExactly("printer-name");
    }

    @Test
    void printJobMakesOneFaxPerNumberWithTheJobNameAsSubject() {
        IppPacket r = print(alice, "Quarterly report", "hello fax", "0000", "+1-212-555-0100");
        assertThat(r.getStatus()).isEqualTo(Status.successfulOk);
        assertThat(alice.submissions).containsExactly(new FakeAccount.Submission(List.of("0000", "+12125550100"), List.of("hello fax"), "Quarterly report"));
        assertThat(r.getValue(Tag.jobAttributes, Types.jobState)).isEqualTo(JobState.pending);
        int id = r.getValue(Tag.jobAttributes, Types.jobId);
        assertThat(r.getValue(Tag.jobAttributes, Types.jobUri)).isEqualTo(URI.create(PRINTER + "/" + id));
        assertThat(spool).isEmptyDirectory();

        alice.set(100, dev.faxlan.sdk.JobState.DONE, "1 page(s) sent");
        alice.set(101, dev.faxlan.sdk.JobState.SENDING, null);
        assertThat(state(alice, id)).isEqualTo(JobState.processing);
        alice.set(101, dev.faxlan.sdk.JobState.FAILED, "no answer");
        IppPacket attrs = printer.handle(IppPacket.getJobAttributes(PRINTER, id).build(), NONE, PRINTER, alice);
        assertThat(attrs.getValue(Tag.jobAttributes, Types.jobState)).isEqualTo(JobState.aborted);
        assertThat(attrs.getString(Tag.jobAttributes, Types.jobStateMessage)).contains("101: no answer");
        assertThat(attrs.getString(Tag.jobAttributes, Types.jobName)).isEqualTo("Quarterly report");
        assertThat(attrs.getString(Tag.jobAttributes, Types.jobOriginatingUserName)).isEqualTo("alice");
    }

    private JobState state(FakeAccount who, int id) {
        return printer.handle(IppPacket.getJobAttributes(PRINTER, id).build(), NONE, PRINTER, who).getValue(Tag.jobAttributes, Types.jobState);
    }

    @Test
    void cupsPhoneAttributeStandsInForDestinationUris() {
        IppPacket r = printer.handle(IppPacket.printJob(PRINTER).putJobAttributes(new NameType("phone").of("0000")).build(), doc("fax"), PRINTER, alice);
        assertThat(r.getStatus()).isEqualTo(Status.successfulOk);
        assertThat(alice.submissions).singleElement().satisfies(s -> assertThat(s.numbers()).containsExactly("0000"));
        IppPacket bad = printer.handle(IppPacket.printJob(PRINTER).putJobAttributes(new NameType("phone").of("call me")).build(), doc("fax"), PRINTER, alice);
        assertThat(bad.getStatus()).isEqualTo(Status.clientErrorBadRequest);
    }

    @Test
    void createJobWaitsForItsLastDocumentThenSubmitsThemAll() {
        IppPacket created = printer.handle(to(IppPacket.createJob(PRINTER), "0000").build(), NONE, PRINTER, alice);
        int id = created.getValue(Tag.jobAttributes, Types.jobId);
        assertThat(created.getValue(Tag.jobAttributes, Types.jobState)).isEqualTo(JobState.pendingHeld);

        IppPacket first = printer.handle(IppPacket.sendDocument(PRINTER, id).putOperationAttributes(Types.lastDocument.of(false)).build(),
                doc("page one"), PRINTER, alice);
        assertThat(first.getStatus()).isEqualTo(Status.successfulOk);
        assertThat(alice.submissions).isEmpty();
        IppPacket last = printer.handle(IppPacket.sendDocument(PRINTER, id).putOperationAttributes(Types.lastDocument.of(true)).build(),
                doc("page two"), PRINTER, alice);
        assertThat(last.getStatus()).isEqualTo(Status.successfulOk);
        assertThat(alice.submissions).singleElement().satisfies(s -> assertThat(s.documents()).containsExactly("page one", "page two"));
        IppPacket again = printer.handle(IppPacket.sendDocument(PRINTER, id).putOperationAttributes(Types.lastDocument.of(true)).build(),
                doc("late"), PRINTER, alice);
        assertThat(again.getStatus()).isEqualTo(Status.clientErrorNotPossible);
    }

    @Test
    void aRefusedSubmissionLeavesNoJobAndNoSpooledDocument() {
        alice.refused.add("12345");
        IppPacket r = print(alice, "refused", "text", "0000", "12345");
        assertThat(r.getStatus()).isEqualTo(Status.clientErrorBadRequest);
        assertThat(r.getString(Tag.operationAttributes, Types.statusMessage)).contains("no line dials 12345");
        assertThat(alice.submissions).isEmpty();
        assertThat(spool).isEmptyDirectory();
        IppPacket jobs = printer.handle(IppPacket.getJobs(PRINTER).putOperationAttributes(Types.whichJobs.of("all")).build(), NONE, PRINTER, alice);
        assertThat(jobs.getAttributeGroups()).hasSize(1);
    }

    @Test
    void whatCannotBeFaxedIsRefusedWithTheStatusIppNamesForIt() {
        IppPacket mail = printer.handle(IppPacket.printJob(PRINTER).putJobAttributes(Types.destinationUris.of(List.of(mailto()))).build(),
                doc("x"), PRINTER, alice);
        assertThat(mail.getStatus()).isEqualTo(Status.clientErrorUriSchemeNotSupported);
        IppPacket none = printer.handle(IppPacket.printJob(PRINTER).build(), doc("x"), PRINTER, alice);
        assertThat(none.getStatus()).isEqualTo(Status.clientErrorBadRequest);
        IppPacket raster = printer.handle(to(IppPacket.printJob(PRINTER).putOperationAttributes(Types.documentFormat.of("image/pwg-raster")), "0000")
                .build(), doc("x"), PRINTER, alice);
        assertThat(raster.getStatus()).isEqualTo(Status.clientErrorDocumentFormatNotSupported);
        IppPacket big = printer.handle(to(IppPacket.printJob(PRINTER), "0000").build(), doc("x".repeat(2000)), PRINTER, alice);
        assertThat(big.getStatus()).isEqualTo(Status.clientErrorRequestEntityTooLarge);
        IppPacket empty = printer.handle(to(IppPacket.printJob(PRINTER), "0000").build(), NONE, PRINTER, alice);
        assertThat(empty.getStatus()).isEqualTo(Status.clientErrorBadRequest);
        IppPacket anonymous = printer.handle(to(IppPacket.printJob(PRINTER), "0000").build(), doc("x"), PRINTER, null);
        assertThat(anonymous.getStatus()).isEqualTo(Status.clientErrorNotAuthenticated);
        IppPacket version = printer.handle(IppPacket.getPrinterAttributes(PRINTER).setVersionNumber(0x0300).build(), NONE, PRINTER, null);
        assertThat(version.getStatus()).isEqualTo(Status.serverErrorVersionNotSupported);
        IppPacket unknownOp = printer.handle(IppPacket.getPrinterAttributes(PRINTER).setCode(Operation.holdJob.getCode()).build(), NONE, PRINTER, alice);
        assertThat(unknownOp.getStatus()).isEqualTo(Status.serverErrorOperationNotSupported);
        assertThat(alice.submissions).isEmpty();
        assertThat(spool).isEmptyDirectory();
    }

    private static DestinationUris mailto() {
        DestinationUris d = new DestinationUris();
        d.setDestinationUri(URI.create("mailto:a@example.org"));
        return d;
    }

    @Test
    void usersSeeAndCancelOnlyTheirOwnJobs() {
        int mine = print(alice, "mine", "a", "0000").getValue(Tag.jobAttributes, Types.jobId);
        int theirs = print(bob, "theirs", "b", "0000").getValue(Tag.jobAttributes, Types.jobId);

        IppPacket list = printer.handle(IppPacket.getJobs(PRINTER).putOperationAttributes(Types.whichJobs.of("all")).build(), NONE, PRINTER, alice);
        assertThat(list.getAttributeGroups()).filteredOn(g -> g.getTag() == Tag.jobAttributes).extracting(g -> g.getValue(Types.jobId))
                .containsExactly(mine);
        IppPacket peek = printer.handle(IppPacket.getJobAttributes(PRINTER, theirs).build(), NONE, PRINTER, alice);
        assertThat(peek.getStatus()).isEqualTo(Status.clientErrorNotFound);
        IppPacket steal = printer.handle(IppPacket.cancelJob(PRINTER, theirs).build(), NONE, PRINTER, alice);
        assertThat(steal.getStatus()).isEqualTo(Status.clientErrorNotFound);
        assertThat(bob.cancelled).isEmpty();
        assertThat(alice.cancelled).isEmpty();

        IppPacket cancel = printer.handle(IppPacket.cancelJob(PRINTER, mine).build(), NONE, PRINTER, alice);
        assertThat(cancel.getStatus()).isEqualTo(Status.successfulOk);
        assertThat(alice.cancelled).containsExactly(100L);
        assertThat(state(alice, mine)).isEqualTo(JobState.canceled);
        IppPacket twice = printer.handle(IppPacket.cancelJob(PRINTER, mine).build(), NONE, PRINTER, alice);
        assertThat(twice.getStatus()).isEqualTo(Status.clientErrorNotPossible);

        IppPacket notCompleted = printer.handle(IppPacket.getJobs(PRINTER).build(), NONE, PRINTER, alice);
        assertThat(notCompleted.getAttributeGroups()).filteredOn(g -> g.getTag() == Tag.jobAttributes).isEmpty();
        IppPacket completed = printer.handle(IppPacket.getJobs(PRINTER).putOperationAttributes(Types.whichJobs.of("completed")).build(), NONE,
                PRINTER, alice);
        assertThat(completed.getAttributeGroups()).filteredOn(g -> g.getTag() == Tag.jobAttributes).singleElement()
                .satisfies(g -> assertThat(g).extracting(a -> a.getName()).containsExactly("job-id", "job-uri"));
    }

    @Test
    void aJobCanceledBeforeItsDocumentNeverBecomesAFax() throws Exception {
        int id = printer.handle(to(IppPacket.createJob(PRINTER), "0000").build(), NONE, PRINTER, alice).getValue(Tag.jobAttributes, Types.jobId);
        printer.handle(IppPacket.sendDocument(PRINTER, id).putOperationAttributes(Types.lastDocument.of(false)).build(), doc("part"), PRINTER, alice);
        try (var files = Files.list(spool)) {
            assertThat(files.count()).isEqualTo(1);
        }
        assertThat(printer.handle(IppPacket.cancelJob(PRINTER, id).build(), NONE, PRINTER, alice).getStatus()).isEqualTo(Status.successfulOk);
        assertThat(state(alice, id)).isEqualTo(JobState.canceled);
        assertThat(spool).isEmptyDirectory();
        IppPacket late = printer.handle(IppPacket.sendDocument(PRINTER, id).putOperationAttributes(Types.lastDocument.of(true)).build(),
                doc("late"), PRINTER, alice);
        assertThat(late.getStatus()).isEqualTo(Status.clientErrorNotPossible);
        assertThat(alice.submissions).isEmpty();
    }
}
