package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.ServiceFixture.code;
import static dev.faxlan.server.cpi.operation.ServiceFixture.ok;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.service.Caller;
import dev.faxlan.server.service.UploadLimits;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.spool.Spool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Unfinished uploads cannot fill the disk (issue #11, 9c): a per-user quota, and abandoned ones are purged. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadLimitsTest {
    private static final UploadLimits LIMITS = new UploadLimits(3, 3L << 20, Duration.ofHours(24));
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock();
    @TempDir
    static Path dataDir;
    private ServiceFixture server;
    private byte[] admin;

    @BeforeAll
    void start() throws Exception {
        server = new ServiceFixture(dataDir, clock, LIMITS);
        server.service().bootstrapAdmin("admin-password-1");
        admin = server.login("admin", "admin-password-1");
        for (String u : new String[] {"frank", "gina", "ivy"}) {
            ok(server.call(admin, Op.USER_ADD, Fields.builder().put("user", u).put("password", u + "-password-1").build()));
        }
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void unfinishedUploadsPerUserAreLimitedInNumber() throws Exception {
        byte[] frank = login("frank");
        for (int i = 0; i < LIMITS.maxUnfinishedUploads(); i++) ok(server.call(frank, Op.UPLOAD_BEGIN, begin(1000)));
        Message refused = server.call(frank, Op.UPLOAD_BEGIN, begin(1000));
        assertThat(code(refused)).isEqualTo(ErrorCode.UPLOAD_TOO_LARGE);
        assertThat(((Message.Error) refused).message()).contains("3 unfinished uploads");
        // Another user is not affected.
        ok(server.call(login("gina"), Op.UPLOAD_BEGIN, begin(1000)));
    }

    @Test
    void byteLimitAtTheEdge() throws Exception {
        UploadLimits limits = new UploadLimits(10, 2L << 20, Duration.ofHours(24));
        try (ServiceFixture edge = new ServiceFixture(dataDir.resolve("edge"), clock, limits)) {
            edge.service().bootstrapAdmin("admin-password-1");
            byte[] session = edge.login("admin", "admin-password-1");
            ok(edge.call(session, Op.UPLOAD_BEGIN, begin(1 << 20)));
            ok(edge.call(session, Op.UPLOAD_BEGIN, begin(1 << 20)));
            Message refused = edge.call(session, Op.UPLOAD_BEGIN, begin(1));
            assertThat(code(refused)).isEqualTo(ErrorCode.UPLOAD_TOO_LARGE);
            assertThat(((Message.Error) refused).message()).contains(String.valueOf(2L << 20));
        }
    }

    @Test
    void abandonedPartFilesAndTheirUploadsArePurged() throws Exception {
        byte[] ivy = login("ivy");
        String stale = ok(server.call(ivy, Op.UPLOAD_BEGIN, begin(1000))).string("upload");
        String fresh = ok(server.call(ivy, Op.UPLOAD_BEGIN, begin(1000))).string("upload");
        String neverWritten = ok(server.call(ivy, Op.UPLOAD_BEGIN, begin(1000))).string("upload");
        Spool spool = server.service().spool();
        for (String id : new String[] {stale, fresh}) {
            server.writePart(id, new byte[10]);
        }
        clock.advance(LIMITS.partLifetime().plusMinutes(1));
        // The stale part was last written more than the lifetime ago; the fresh one a minute ago.
        Files.setLastModifiedTime(spool.part(stale), FileTime.fromMillis(clock.millis() - LIMITS.partLifetime().toMillis() - 60_000));
        Files.setLastModifiedTime(spool.part(fresh), FileTime.fromMillis(clock.millis() - 60_000));
        Path orphan = spool.part("orphan");
        Files.write(orphan, new byte[5]);
        Files.setLastModifiedTime(orphan, FileTime.fromMillis(clock.millis() - LIMITS.partLifetime().toMillis() - 1));

        server.service().purge();
        ivy = login("ivy"); // the session expired meanwhile

        assertThat(spool.part(stale)).doesNotExist();
        assertThat(orphan).doesNotExist();
        assertThat(spool.part(fresh)).exists();
        assertThat(code(server.call(ivy, Op.UPLOAD_STATUS, Fields.builder().put("upload", stale).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(code(server.call(ivy, Op.UPLOAD_STATUS, Fields.builder().put("upload", neverWritten).build()))).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(ok(server.call(ivy, Op.UPLOAD_STATUS, Fields.builder().put("upload", fresh).build())).integer("offset")).isEqualTo(10);
    }

    private Fields begin(long size) {
        byte[] sha = new byte[32];
        random.nextBytes(sha);
        return Fields.builder().put("size", size).put("sha256", HexFormat.of().formatHex(sha)).build();
    }

    private byte[] login(String user) throws Exception {
        return server.login(user, user + "-password-1");
    }
}
