package dev.faxlan.it;

import static dev.faxlan.it.HostileFiles.*;
import static dev.faxlan.it.SmtpFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile mail against the SMTP gateway (issue 15): broken MIME, a message far over
 * the size limit, archive and decompression bombs. Each gets a clear reply, no job, and leaves
 * nothing in the gateway's spool; the gateway keeps serving other senders meanwhile and afterwards.
 * Sent by swaks, except the oversized message, which Angus Mail's SMTP client sends so that the
 * test can hold it half-way while another message goes through.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmtpMalformedMailIT {
    static final int LIMIT = 1 << 20;
    @TempDir
    static Path dir;
    static Path spool;
    static FaxlanServer server;
    static SmtpGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        requireSwaks();
        spool = Files.createDirectories(dir.resolve("spool"));
        server = startServer(dir.resolve("data"), "smtp-malformed");
        gateway = SmtpGateway.start(config(30, LIMIT), new InetSocketAddress("127.0.0.1", 0), server.address(), null, spool);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (server != null) server.close();
    }

    /** Whatever a message did, once it is answered the gateway holds nothing of it on disk. */
    @AfterEach
    void spoolIsEmpty() throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            assertThat(s.toList()).as("left in the gateway's spool").isEmpty();
        }
    }

    // ------------------------------------------------------------------ broken MIME

    @Test
    void aMultipartWithoutBoundaryIsRefused() throws Exception {
        Swaks r = sendRaw("no-boundary", "Content-Type: multipart/mixed\r\n\r\nNo part begins anywhere in this text.\r\n");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("554 5.6.0 the message cannot be read as MIME: ").contains("boundary");
        assertThat(jobs(server, "no-boundary")).isEmpty();
    }

    /** Jakarta Mail takes the first line starting with "--" as the boundary a multipart does not name. */
    @Test
    void aMultipartWithoutBoundaryParameterIsReadByItsFirstDelimiterLine() throws Exception {
        Swaks r = sendRaw("unnamed-boundary", "Content-Type: multipart/mixed\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n--x--\r\n");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs(server, "unnamed-boundary")).hasSize(1);
    }

    /** Jakarta Mail reads a multipart whose closing boundary is missing up to the end of the data: the parts are there. */
    @Test
    void aMultipartWithoutItsClosingBoundaryIsReadToTheEnd() throws Exception {
        Swaks r = sendRaw("unclosed", "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                + "The closing boundary never comes.\r\n");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs(server, "unclosed")).hasSize(1);
    }

    @Test
    void anAttachmentWithInvalidBase64IsRefused() throws Exception {
        Swaks r = sendRaw("bad-base64", "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b1\r\nContent-Type: application/pdf; name=\"offer.pdf\"\r\nContent-Disposition: attachment; filename=\"offer.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\u00e9\u00e9!!**not base64 at all**%%\r\n--b1--\r\n");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("554 5.6.0 ").contains("offer.pdf");
        assertThat(jobs(server, "bad-base64")).isEmpty();
    }

    @Test
    void aTextBodyInAnUnknownCharsetIsRefused() throws Exception {
        Swaks r = sendRaw("bad-charset", "Content-Type: text/plain; charset=x-no-such-charset\r\n\r\nhello\r\n");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("554 5.6.0 ").contains("x-no-such-charset");
        assertThat(jobs(server, "bad-charset")).isEmpty();
    }

    /** A line of garbage where a header belongs, and no blank line after the headers: everything is header, nothing to fax. */
    @Test
    void garbageInTheHeadersAndNoBodyIsRefused() throws Exception {
        Swaks r = sendRaw("garbage", "this line is no header at all\r\n\u0001\u0002 binary \u00ff\r\nand no blank line before the text\r\n");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("554 5.6.0 the message has neither attachments nor text to fax");
        assertThat(jobs(server, "garbage")).isEmpty();
    }

    @Test
    void multipartsNestedFiveThousandDeepAreRefusedWithoutExhaustingTheStack() throws Exception {
        int depth = 5000;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) b.append("Content-Type: multipart/mixed; boundary=\"n").append(i).append("\"\r\n\r\n--n").append(i).append("\r\n");
        b.append("Content-Type: text/plain\r\n\r\ndeep down\r\n");
        for (int i = depth - 1; i >= 0; i--) b.append("--n").append(i).append("--\r\n");
        Swaks r = sendRaw("deep", b.toString());
        assertThat(r.dataReply()).as(r.transcript()).startsWith("554 5.6.0 ").contains("nested");
        assertThat(jobs(server, "deep")).isEmpty();
    }

    // ------------------------------------------------------------------ size

    /**
     * 100 MB against a 1 MiB limit: while the big message is on its way (held by the test half-way,
     * well past the limit), another sender's message is faxed; the gateway never holds more than the
     * limit on disk, and the big one is refused with 552 once its data has ended.
     */
    @Test
    void aHundredMegabyteMessageIsRefusedWith552WhileOthersAreServed() throws Exception {
        CountDownLatch halfWay = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        long size = 100_000_000L;
        try (SpoolWatch watch = new SpoolWatch()) {
            CompletableFuture<String> big = CompletableFuture.supplyAsync(() -> sendWithAngus("huge", "huge.pdf",
                    new HeldSource(size, 8L << 20, halfWay, release)));
            try {
                assertThat(halfWay.await(180, TimeUnit.SECONDS)).as("the big message reached 8 MiB").isTrue();
                Swaks other = send(gateway, "<beside-huge@malformed>", "beside the huge one", List.of("+15551201@" + DOMAIN), USER_PW,
                        "--attach", "@" + pdf(dir.resolve("beside.pdf")));
                assertThat(other.dataReply()).as(other.transcript()).startsWith("250 fax jobs ");
                assertThat(big).as("the big message is still being sent").isNotDone();
            } finally {
                release.countDown();
            }
            assertThat(big.get(300, TimeUnit.SECONDS)).startsWith("552 5.3.4 the message is larger than the limit of " + LIMIT + " bytes");
            assertThat(watch.maxTotal.get()).as("bytes in the spool at most").isLessThanOrEqualTo(LIMIT + (64 << 10));
        }
        assertThat(jobs(server, "huge")).isEmpty();
        assertThat(jobs(server, "beside the huge one")).hasSize(1);
    }

    // ------------------------------------------------------------------ bombs

    /** 42.zip-like: zips of zips, 16 each, around 16 MiB of zeros: 64 GiB unpacked, a few KiB packed. */
    @Test
    void aNestedZipIsRefusedAsAnArchiveWithoutUnpacking() throws Exception {
        byte[] layer = zip("zeros.bin", new byte[16 << 20], 1);
        for (int level = 1; level <= 3; level++) layer = zip("layer" + level, layer, 16);
        Path bomb = Files.write(dir.resolve("bomb.zip"), layer);
        assertThat(Files.size(bomb)).isLessThan(LIMIT / 2);
        try (SpoolWatch watch = new SpoolWatch()) {
            Swaks r = send(gateway, "<zip@malformed>", "zip bomb", List.of("+15551301@" + DOMAIN), USER_PW,
                    "--attach-type", "application/zip", "--attach", "@" + bomb, "--body", "see the archive");
            assertThat(r.dataReply()).as(r.transcript())
                    .isEqualTo("554 5.6.1 attachment bomb.zip cannot be faxed: a ZIP archive: archives are not faxed, send the documents in it instead");
            assertThat(watch.maxAttachment.get()).as("largest attachment file in the spool").isLessThanOrEqualTo(Files.size(bomb));
        }
        assertThat(jobs(server, "zip bomb")).isEmpty();
    }

    /** An image whose header claims 100000 x 100000 pixels is refused from its header, never decoded. */
    @Test
    void aPngWithHugeDimensionsIsRefusedFromItsHeader() throws Exception {
        Path png = Files.write(dir.resolve("huge.png"), png(100_000, 100_000));
        Swaks r = send(gateway, "<png@malformed>", "huge png", List.of("+15551401@" + DOMAIN), USER_PW,
                "--attach-type", "image/png", "--attach", "@" + png);
        assertThat(r.dataReply()).as(r.transcript()).startsWith("554 5.6.1 attachment huge.png cannot be faxed: ")
                .contains("100000x100000");
        assertThat(jobs(server, "huge png")).isEmpty();
    }

    /**
     * A one-page PDF whose page content is a FlateDecode stream that inflates to 512 MiB (of spaces):
     * the gateway counts the pages without decoding the content (250, one job); the server renders
     * it for the loopback line streaming the content, not holding it, and the fax is sent: the
     * cover page and a blank page.
     */
    @Test
    void aPdfWhoseContentInflatesToHalfAGigabyteIsFaxed() throws Exception {
        Path pdf = Files.write(dir.resolve("inflating.pdf"), flatePdf(512L << 20));
        assertThat(Files.size(pdf)).isLessThan(LIMIT * 3L / 4 - 8192);
        Swaks r = send(gateway, "<flate@malformed>", "flate bomb", List.of("0000@" + DOMAIN), USER_PW,
                "--attach-type", "application/pdf", "--attach", "@" + pdf);
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                .until(() -> jobs(server, "flate bomb").stream().allMatch(j -> j.state().equals("done") || j.state().equals("failed")));
        assertThat(jobs(server, "flate bomb")).singleElement().satisfies(j -> {
            assertThat(j.state()).as(j.toString()).isEqualTo("done");
            assertThat(j.reason()).startsWith("2 page(s) sent to 0000");
        });
    }

    /**
     * A page of over a million drawing operations in a few KiB: the gateway only counts pages (250,
     * one job); the server refuses to render it and the job fails with the reason, no fax call.
     */
    @Test
    void aPdfPageOfMillionsOfOperationsFailsItsJobWithTheReason() throws Exception {
        Path pdf = Files.write(dir.resolve("busy.pdf"), onePagePdf("n\n", 1_100_000));
        Swaks r = send(gateway, "<busy@malformed>", "busy page", List.of("0000@" + DOMAIN), USER_PW,
                "--attach-type", "application/pdf", "--attach", "@" + pdf);
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        Awaitility.await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                .until(() -> jobs(server, "busy page").stream().allMatch(j -> j.state().equals("done") || j.state().equals("failed")));
        assertThat(jobs(server, "busy page")).singleElement().satisfies(j -> {
            assertThat(j.state()).as(j.toString()).isEqualTo("failed");
            assertThat(j.reason()).contains("page 1 has more than 1000000 drawing operations");
        });
    }

    // ------------------------------------------------------------------ and after all that

    @Test
    @Order(Integer.MAX_VALUE)
    void afterwardsANormalMessageIsStillFaxed() throws Exception {
        Swaks r = send(gateway, "<normal@malformed>", "after the malformed ones", List.of("+15551501@" + DOMAIN), USER_PW,
                "--attach", "@" + pdf(dir.resolve("normal.pdf")), "--body", "An ordinary letter.");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs(server, "after the malformed ones")).singleElement().extracting(Job::to).isEqualTo("+15551501");
    }

    // ------------------------------------------------------------------ helpers

    /** A message written out in full (headers after From, To, Message-Id, Subject), sent with swaks --data. */
    static Swaks sendRaw(String subject, String rest) throws IOException, InterruptedException {
        String to = "+15551000@" + DOMAIN;
        String text = "From: clerk@example.org\r\nTo: " + to + "\r\nMessage-Id: <" + subject + "@malformed>\r\nSubject: " + subject
                + "\r\nDate: Sun, 06 Dec 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\n" + rest;
        Path file = Files.write(dir.resolve(subject + ".eml"), text.getBytes(StandardCharsets.ISO_8859_1));
        List<String> cmd = new ArrayList<>(List.of(requireSwaks(), "--server", "127.0.0.1:" + gateway.address().getPort(),
                "--from", "clerk@example.org", "--to", " " + to, "--auth", "PLAIN", "--auth-user", USER, "--auth-password", USER_PW,
                "--timeout", "90", "--data", "@" + file));
        return swaks(cmd);
    }

    /** Sends one message with a 100 MB attachment through Angus Mail's SMTP client; the final reply, 250 or the refusal. */
    static String sendWithAngus(String subject, String name, DataSource attachment) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", String.valueOf(gateway.address().getPort()));
        p.setProperty("mail.smtp.auth", "true");
        p.setProperty("mail.smtp.connectiontimeout", "60000");
        p.setProperty("mail.smtp.timeout", "300000");
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(p));
            m.setFrom("clerk@example.org");
            m.setRecipients(Message.RecipientType.TO, "+15551101@" + DOMAIN);
            m.setSubject(subject);
            MimeBodyPart part = new MimeBodyPart();
            part.setDataHandler(new DataHandler(attachment));
            part.setFileName(name);
            // Named here so that Jakarta Mail does not read the whole attachment to choose an encoding.
            part.setHeader("Content-Transfer-Encoding", "base64");
            m.setContent(new MimeMultipart(part));
            Transport.send(m, USER, USER_PW);
            return "250";
        } catch (MessagingException e) {
            String reply = e.getMessage();
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t.getMessage() != null && t.getMessage().matches("(?s)[45][0-9][0-9] .*")) reply = t.getMessage();
            }
            return reply.strip();
        }
    }

    /** {@code size} bytes of attachment that stop at {@code holdAt} until the test releases them. */
    record HeldSource(long size, long holdAt, CountDownLatch reached, CountDownLatch release) implements DataSource {
        @Override
        public InputStream getInputStream() {
            return new InputStream() {
                long sent;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (sent >= size) return -1;
                    if (sent >= holdAt && release.getCount() > 0) {
                        reached.countDown();
                        try {
                            if (!release.await(300, TimeUnit.SECONDS)) throw new IOException("never released");
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                    int n = (int) Math.min(len, size - sent);
                    for (int i = 0; i < n; i++) b[off + i] = (byte) (sent + i);
                    sent += n;
                    return n;
                }
            };
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return "application/pdf";
        }

        @Override
        public String getName() {
            return "huge.pdf";
        }
    }

    /** Watches the spool while a message is read: the most bytes it held, and its largest file other than the message itself. */
    static final class SpoolWatch implements AutoCloseable {
        final AtomicLong maxTotal = new AtomicLong();
        final AtomicLong maxAttachment = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        SpoolWatch() {
            thread = new Thread(() -> {
                while (running.get()) {
                    long total = 0;
                    try (Stream<Path> s = Files.walk(spool)) {
                        for (Path f : s.filter(Files::isRegularFile).toList()) {
                            long n = sizeOf(f);
                            total += n;
                            if (!f.getFileName().toString().equals("message.eml")) maxAttachment.accumulateAndGet(n, Math::max);
                        }
                    } catch (IOException | UncheckedIOException e) {
                        // a directory removed while walked: the next round sees the rest
                    }
                    maxTotal.accumulateAndGet(total, Math::max);
                    Thread.onSpinWait();
                }
            }, "spool-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private static long sizeOf(Path f) {
            try {
                return Files.size(f);
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
