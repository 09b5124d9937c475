package dev.faxlan.server.cpi.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.server.service.Caller;
import dev.faxlan.server.service.UploadLimits;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.server.MutableClock;
import dev.faxlan.server.spool.Spool;
import dev.faxlan.server.storage.Database;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CpiService on a data directory, without any network: requests are built here and handed to
 * {@link CpiService#handle} as the connection layer would, from {@link #ADDRESS} unless a test says otherwise.
 */
final class ServiceFixture implements AutoCloseable {
    static final String ADDRESS = "127.0.0.1";

    private final Path dataDir;
    private final MutableClock clock;
    private final UploadLimits limits;
    private final SecureRandom random = new SecureRandom();
    private final AtomicLong requestIds = new AtomicLong();
    private Database db;
    private CpiService service;

    ServiceFixture(Path dataDir, MutableClock clock) throws IOException {
        this(dataDir, clock, UploadLimits.DEFAULT);
    }

    ServiceFixture(Path dataDir, MutableClock clock, UploadLimits limits) throws IOException {
        this.dataDir = dataDir;
        this.clock = clock;
        this.limits = limits;
        open();
    }

    private void open() throws IOException {
        db = Database.embedded(dataDir);
        service = new CpiService(db, new Spool(dataDir.resolve("spool")), clock, "test", "0.1.0-test", new byte[32], 1 << 20, limits);
    }

    /** Stops the server and starts it again on the same database and spool. */
    void restart() throws IOException {
        db.close();
        open();
    }

    @Override
    public void close() {
        db.close();
    }

    Database db() {
        return db;
    }

    CpiService service() {
        return service;
    }

    long nextRequestId() {
        return requestIds.incrementAndGet();
    }

    /** A new idempotency key. */
    byte[] key() {
        byte[] k = new byte[16];
        random.nextBytes(k);
        return k;
    }

    Message.Request request(byte[] session, Op op, byte[] key, Fields body) {
        return new Message.Request(nextRequestId(), op, session, key, body);
    }

    /** A request with a new idempotency key if the operation needs one. */
    Message.Request request(byte[] session, Op op, Fields body) {
        return request(session, op, op.mutating() ? key() : null, body);
    }

    Message call(byte[] session, Op op, byte[] key, Fields body) {
        return service.handle(request(session, op, key, body), ADDRESS);
    }

    /** A call with a new idempotency key if the operation needs one. */
    Message call(byte[] session, Op op, Fields body) {
        return service.handle(request(session, op, body), ADDRESS);
    }

    Message.Request loginRequest(String user, String password) {
        return request(null, Op.LOGIN, null, Fields.builder().put("user", user).put("password", password).build());
    }

    byte[] login(String user, String password) throws CpiException {
        return login(user, password, ADDRESS);
    }

    byte[] login(String user, String password, String address) throws CpiException {
        return ok(service.handle(loginRequest(user, password), address)).bytes("session");
    }

    /** Who {@code session} belongs to, as the service sees it. */
    Caller caller(byte[] session) throws Exception {
        return service.authenticate(request(session, Op.JOB_LIST, null, Fields.EMPTY));
    }

    /** Uploads {@code content} as the owner of {@code session}, bytes and all, and answers its hash. */
    String upload(byte[] session, byte[] content) throws Exception {
        String sha = sha256(content);
        Fields begun = ok(call(session, Op.UPLOAD_BEGIN, key(), Fields.builder().put("size", (long) content.length).put("sha256", sha).build()));
        String id = begun.string("upload");
        writePart(id, content);
        Fields done = service.completeUpload(service.ownUpload(caller(session), id));
        assertThat(done.bool("complete", false)).isTrue();
        return sha;
    }

    /** Writes {@code content} at the start of an upload's part file, as upload.data would. */
    void writePart(String uploadId, byte[] content) throws IOException {
        try (FileChannel ch = service.spool().openPart(uploadId, 0)) {
            ch.write(ByteBuffer.wrap(content));
        }
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /** The body of a success; anything else fails the test with its code and message. */
    static Fields ok(Message m) {
        if (m instanceof Message.Ok ok) return ok.body();
        throw new AssertionError("expected success, got " + m);
    }

    static ErrorCode code(Message m) {
        if (m instanceof Message.Error e) return e.code();
        throw new AssertionError("expected an error, got " + m);
    }
}
