package dev.faxlan.server.cpi.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.service.Caller;
import dev.faxlan.server.service.NumberCheck;
import dev.faxlan.server.service.UploadLimits;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit} asks the server's lines (a {@link NumberCheck}) about every recipient before it
 * makes a job, and a job it makes says why it waits.
 */
class SubmitNumberCheckTest {
    private static final String ADDRESS = "127.0.0.1";
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock();
    private final AtomicLong ids = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Database db;
    private CpiService service;
    private byte[] admin;
    private String doc;

    /** The lines of this test: the loopback's 0000 and +1555 numbers only. */
    private Optional<String> lines(String number) {
        asked.add(number);
        if (number.equals("0000") || number.startsWith("+1555")) return Optional.empty();
        if (number.matches("[0-9]{7}")) return Optional.of("'" + number + "' is a local number, but no area code is configured");
        return Optional.of("no fax line takes " + number);
    }

    @BeforeEach
    void open() throws Exception {
        db = Database.embedded(dataDir);
        service = new CpiService(db, new Spool(dataDir.resolve("spool")), clock, "test", "0", new byte[32], 1 << 20, UploadLimits.DEFAULT,
                this::lines);
        service.bootstrapAdmin("admin-password-1");
        admin = ok(service.handle(request(null, Op.LOGIN, null, Fields.builder().put("user", "admin").put("password", "admin-password-1").build()),
                ADDRESS)).bytes("session");
        doc = upload("a letter".getBytes(StandardCharsets.US_ASCII));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aNumberNoLineCanDialIsRefusedNamingItAndMakesNoJob() throws Exception {
        Message refused = submit(Fields.builder().put("to", List.of("0000", "555-0100")).put("documents", List.of(doc)).build());
        assertThat(refused).isInstanceOfSatisfying(Message.Error.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.message()).isEqualTo("'5550100' is a local number, but no area code is configured");
        });
        assertThat(asked).containsExactly("0000", "5550100");
        Message other = submit(Fields.builder().put("to", List.of("+49 30 1234567")).put("documents", List.of(doc)).build());
        assertThat(other).isInstanceOfSatisfying(Message.Error.class, e -> assertThat(e.message()).isEqualTo("no fax line takes +49301234567"));
        assertThat(jobs()).as("a refused recipient makes no job for the others either").isEmpty();
    }

    @Test
    void aPhonebookNameWhoseNumberNoLineTakesIsNamed() throws Exception {
        ok(call(Op.PHONEBOOK_ADD, Fields.builder().put("name", "Berlin Office").put("fax", "+49301234567").build()));
        Message refused = submit(Fields.builder().put("to", List.of("Berlin Office")).put("documents", List.of(doc)).build());
        assertThat(refused).isInstanceOfSatisfying(Message.Error.class,
                e -> assertThat(e.message()).isEqualTo("\"Berlin Office\": no fax line takes +49301234567"));
        assertThat(jobs()).isEmpty();
    }

    @Test
    void aQueuedJobSaysWhyItWaits() throws Exception {
        Fields now = ok(submit(Fields.builder().put("to", List.of("+15550100")).put("documents", List.of(doc)).build()));
        assertThat(now.maps("jobs").get(0).string("state")).isEqualTo("queued");
        assertThat(now.maps("jobs").get(0).string("reason")).isEqualTo("waiting to be sent");

        long at = clock.millis() + Duration.ofHours(5).toMillis();
        Fields later = ok(submit(Fields.builder().put("to", List.of("0000")).put("documents", List.of(doc)).put("at", at).build()));
        String expected = "scheduled for " + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(at).atZone(ZoneId.systemDefault()));
        assertThat(later.maps("jobs").get(0).string("reason")).isEqualTo(expected);
        assertThat(ok(call(Op.JOB_GET, Fields.builder().put("job", later.maps("jobs").get(0).integer("id")).build())).map("job").string("reason"))
                .isEqualTo(expected);
    }

    private List<Fields> jobs() throws Exception {
        return ok(call(Op.JOB_LIST, Fields.builder().put("all", true).build())).maps("jobs");
    }

    private Message submit(Fields body) {
        return service.handle(request(admin, Op.SUBMIT, key(), body), ADDRESS);
    }

    private Message call(Op op, Fields body) {
        return service.handle(request(admin, op, op.mutating() ? key() : null, body), ADDRESS);
    }

    private String upload(byte[] content) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Fields begun = ok(call(Op.UPLOAD_BEGIN, Fields.builder().put("size", (long) content.length).put("sha256", sha).put("name", "letter.txt").build()));
        String id = begun.string("upload");
        try (FileChannel ch = service.spool().openPart(id, 0)) {
            ch.write(ByteBuffer.wrap(content));
        }
        Caller caller = service.authenticate(request(admin, Op.JOB_LIST, null, Fields.EMPTY));
        assertThat(service.completeUpload(service.ownUpload(caller, id)).bool("complete", false)).isTrue();
        return sha;
    }

    private Message.Request request(byte[] session, Op op, byte[] key, Fields body) {
        return new Message.Request(ids.incrementAndGet(), op, session, key, body);
    }

    private byte[] key() {
        byte[] k = new byte[16];
        random.nextBytes(k);
        return k;
    }

    private static Fields ok(Message m) {
        if (m instanceof Message.Ok ok) return ok.body();
        throw new AssertionError("expected success, got " + m);
    }
}
