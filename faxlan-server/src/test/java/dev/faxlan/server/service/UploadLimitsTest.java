package dev.faxlan.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Unfinished uploads cannot fill the disk (issue #11, 9c): a per-user quota, and abandoned ones are purged. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadLimitsTest {
    private static final String ADDRESS = "127.0.0.1";
    private static final UploadLimits LIMITS = new UploadLimits(3, 3L << 20, Duration.ofHours(24));
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requestIds = new AtomicLong();
    private final MutableClock clock = new MutableClock();
    @TempDir
    static Path dataDir;
    private Database db;
    private CpiService service;
    private byte[] admin;

    @BeforeAll
    void start() throws Exception {
        db = Database.embedded(dataDir);
        service = new CpiService(db, new Spool(dataDir.resolve("spool")), clock, "test", "0.1.0-test", new byte[32], 1 << 20, LIMITS);
        service.bootstrapAdmin("admin-password-1");
        admin = ok(service.handle(new Message.Request(requestIds.incrementAndGet(), Op.LOGIN, null, null,
                Fields.builder().put("user", "admin").put("password", "admin-password-1").build()), ADDRESS)).bytes("session");
        for (String u : new String[] {"frank", "gina", "ivy"}) {
            ok(call(admin, Op.USER_ADD, Fields.builder().put("user", u).put("password", u + "-password-1").build()));
        }
    }

    @AfterAll
    void stop() {
        db.close();
    }

    @Test
    void unfinishedUploadsPerUserAreLimitedInNumber() throws Exception {
        byte[] frank = login("frank");
        for (int i = 0; i < LIMITS.maxUnfinishedUploads(); i++) ok(call(frank, Op.UPLOAD_BEGIN, begin(1000)));
        Message refused = call(frank, Op.UPLOAD_BEGIN, begin(1000));
        assertThat(code(refused)).isEqualTo(ErrorCode.UPLOAD_TOO_LARGE);
        assertThat(((Message.Error) refused).message()).contains("3 unfinished uploads");
        // Another user is not affected.
        ok(call(login("gina"), Op.UPLOAD_BEGIN, begin(1000)));
    }

    @Test
    void byteLimitAtTheEdge() throws Exception {
        UploadLimits limits = new UploadLimits(10, 2L << 20, Duration.ofHours(24));
        try (Database db2 = Database.embedded(dataDir.resolve("edge"))) {
            CpiService s = new CpiService(db2, new Spool(dataDir.resolve("edge/spool")), clock, "test", "0.1.0-test", new byte[32], 1 << 20, limits);
            s.bootstrapAdmin("admin-password-1");
            byte[] session = ok(s.handle(new Message.Request(requestIds.incrementAndGet(), Op.LOGIN, null, null,
                    Fields.builder().put("user", "admin").put("password", "admin-password-1").build()), ADDRESS)).bytes("session");
            ok(s.handle(request(session, Op.UPLOAD_BEGIN, begin(1 << 20)), ADDRESS));
            ok(s.handle(request(session, Op.UPLOAD_BEGIN, begin(1 << 20)), ADDRESS));
            Message refused = s.handle(request(session, Op.UPLOAD_BEGIN, begin(1)), ADDRESS);
            assertThat(code(refused)).isEqualTo(ErrorCode.UPLOAD_TOO_LARGE);
            assertThat(((Message.Error) refused).message()).contains(String.valueOf(2L << 20));
        }
    }

    @Test
    void abandonedPartFilesAndTheirUploadsArePurged() throws Exception {
        byte[] ivy = login("ivy");
        String stale = ok(call(ivy, Op.UPLOAD_BEGIN, begin(1000))).string("upload");
        String fresh = ok(call(ivy, Op.UPLOAD_BEGIN, begin(1000))).string("upload");
        String neverWritten = ok(call(ivy, Op.UPLOAD_BEGIN, begin(1000))).string("upload");
        Spool spool = service.spool();
        for (String id : new String[] {stale, fresh}) {
            try (FileChannel ch = spool.openPart(id, 0)) {
                ch.write(ByteBuffer.wrap(new byte[10]));
            }
        }
        clock.advance(LIMITS.partLifetime().plusMinutes(1));
        // The stale part was last written more than the lifetime ago; the fresh one a minute ago.
        Files.setLastModifiedTime(spool.part(stale), FileTime.fromMillis(clock.millis() - LIMITS.partLifetime().toMillis() - 60_000));
        Files.setLastModifiedTime(spool.part(fresh), FileTime.fromMillis(clock.millis() - 60_000));
        Path orphan = spool.part("orphan");
        Files.write(orphan, new byte[5]);
        Files.setLastModifiedTime(orphan, FileTime.fromMillis(clock.millis() - LIMITS.partLifetime().toMillis() - 1));

        service.purge();
        ivy = login("ivy"); // the session expired meanwhile

        assertThat(spool.part(stale)).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(spool.part(fresh)).exists();
        assertThat(code(call(ivy, Op.UPLOAD_STATUS, Fields.builder().put("upload", stale).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(call(ivy, Op.UPLOAD_STATUS, Fields.builder().put("upload", neverWritten).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(ok(call(ivy, Op.UPLOAD_STATUS, Fields.builder().put("upload", fresh).build())).integer("offset")).isEqualTo(10);
    }

    private Fields begin(long size) {
        byte[] sha = new byte[32];
        random.nextBytes(sha);
        return Fields.builder().put("size", size).put("sha256", HexFormat.of().formatHex(sha)).build();
    }

    private byte[] login(String user) throws Exception {
        return ok(service.handle(new Message.Request(requestIds.incrementAndGet(), Op.LOGIN, null, null,
                Fields.builder().put("user", user).put("password", user + "-password-1").build()), ADDRESS)).bytes("session");
    }

    private Message call(byte[] session, Op op, Fields body) {
        return service.handle(request(session, op, body), ADDRESS);
    }

    private Message.Request request(byte[] session, Op op, Fields body) {
        byte[] key = null;
        if (op.mutating()) {
            key = new byte[16];
            random.nextBytes(key);
        }
        return new Message.Request(requestIds.incrementAndGet(), op, session, key, body);
    }

    private static Fields ok(Message m) {
        if (m instanceof Message.Ok ok) return ok.body();
        throw new AssertionError("expected success, got " + m);
    }

    private static ErrorCode code(Message m) {
        if (m instanceof Message.Error e) return e.code();
        throw new AssertionError("expected an error, got " + m);
    }
}
