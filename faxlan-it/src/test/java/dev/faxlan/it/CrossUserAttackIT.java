package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Op;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks of one user on another's faxes, performed over real sockets against a running server with
 * its loopback line: replaying an idempotency key to hang up someone else's call, and faxing someone
 * else's document by announcing its SHA-256.
 */
class CrossUserAttackIT {
    static final String ADMIN_PW = "attack-admin-pw-1";
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static final SecureRandom random = new SecureRandom();

    @BeforeAll
    static void start() throws Exception {
        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("attack-it").withAdminPassword(ADMIN_PW));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser("victim", "victim-password-1".toCharArray(), "user");
            admin.addUser("mallory", "mallory-password-1".toCharArray(), "user");
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(20)).build();
    }

    private static byte[] key() {
        byte[] k = new byte[16];
        random.nextBytes(k);
        return k;
    }

    private static Path textFile(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Finding 1: the key of one's own cancel, replayed for someone else's job, must not hang up their call. */
    @Test
    void replayingACancelKeyForAnotherUsersJobNeitherAnswersNorHangsUpTheirCall() throws Exception {
        Path letter = textFile("victim-letter.txt", "Page one of the victim's fax.\f Page two.\f Page three.\n");
        try (FaxlanClient victim = client("victim", "victim-password-1"); FaxlanClient mallory = client("mallory", "mallory-password-1")) {
            // Mallory cancels a job of her own with key K (scheduled for later, so it stays queued).
            Job own = mallory.submit(new SubmitRequest(List.of("+15559912345"), List.of(textFile("own.txt", "mine")), null, null, null,
                    java.time.Instant.parse(TestTrunk.LATER))).get(0);
            byte[] k = key();
            Fields cancelled = mallory.call(Op.JOB_CANCEL, Fields.builder().put("job", own.id()).build(), k);
            assertThat(cancelled.map("job").integer("id")).isEqualTo(own.id());

            // The victim's fax is on the line.
            Job theirs = victim.submit(SubmitRequest.of("0000", letter)).get(0);
            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> victim.job(theirs.id()).state().equals("sending"));

            // Mallory sends job.cancel for the victim's job under the same key.
            Throwable replay = catchThrowable(() -> mallory.call(Op.JOB_CANCEL, Fields.builder().put("job", theirs.id()).build(), k));

            // The victim's fax goes through whole (on the line, not just in the database).
            Awaitility.await().atMost(Duration.ofSeconds(180)).until(() -> victim.job(theirs.id()).finished());
            Job done = victim.job(theirs.id());
            assertThat(done.state()).as(done.reason()).isEqualTo("done");
            assertThat(done.reason()).startsWith("3 page(s) sent");
            // And Mallory learnt that the key was not hers to reuse, rather than getting her old answer.
            assertThat(replay).isInstanceOfSatisfying(FaxlanException.Refused.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED));
            // A genuine retry of Mallory's own cancel still answers her first result.
            assertThat(mallory.call(Op.JOB_CANCEL, Fields.builder().put("job", own.id()).build(), k).asMap()).isEqualTo(cancelled.asMap());
        }
    }

    /** Finding 2: knowing a document's SHA-256 is neither a copy of it nor an oracle for whether the server holds it. */
    @Test
    void announcingAnotherUsersDocumentHashNeedsTheBytesAndCannotFaxIt() throws Exception {
        Path secret = textFile("secret.txt", "Victim's medical report, not for Mallory.\n");
        String sha = FaxlanClient.sha256(secret);
        try (FaxlanClient victim = client("victim", "victim-password-1"); FaxlanClient mallory = client("mallory", "mallory-password-1")) {
            assertThat(victim.upload(secret, n -> {})).isEqualTo(sha);

            // Mallory announces the victim's hash with a made-up size: the server asks for the bytes, as for any new document.
            Fields begun = mallory.call(Op.UPLOAD_BEGIN, Fields.builder().put("size", 1L).put("sha256", sha).build());
            assertThat(begun.bool("complete", true)).isFalse();
            assertThat(begun.integer("offset")).isZero();
            Fields unknown = mallory.call(Op.UPLOAD_BEGIN, Fields.builder().put("size", 1L).put("sha256", "ab".repeat(32)).build());
            assertThat(begun.asMap().keySet()).isEqualTo(unknown.asMap().keySet());

            assertThatThrownBy(() -> mallory.call(Op.SUBMIT, Fields.builder().put("to", List.of("+15559912345")).put("documents", List.of(sha)).build()))
                    .isInstanceOfSatisfying(FaxlanException.Refused.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DOCUMENT_UNKNOWN));

            // Whoever has the bytes may send them: de-duplication stays invisible.
            Path copy = textFile("copy.txt", Files.readString(secret));
            assertThat(mallory.upload(copy, n -> {})).isEqualTo(sha);
            assertThat(mallory.submit(new SubmitRequest(List.of("+15559912345"), List.of(copy), null, null, null,
                    java.time.Instant.parse(TestTrunk.LATER)))).hasSize(1);
        }
    }
}
