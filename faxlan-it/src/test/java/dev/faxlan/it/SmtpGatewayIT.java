package dev.faxlan.it;

import static dev.faxlan.it.SmtpFixture.*;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.tiff.TiffEncoding;
import dev.faxlan.engine.tiff.TiffWriteOptions;
import dev.faxlan.engine.tiff.TiffWriter;
import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.mail.smtp.SmtpGatewayConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.testkit.PortRetry;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faxlan smtp-gateway} in front of a real server on loopback, sent real mail by swaks: each
 * test reads the job list through the SDK as the mail's sender.
 */
class SmtpGatewayIT {
    static final int MAX_BYTES = 256 << 10;
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static SmtpGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        requireSwaks();
        server = startServer(dir.resolve("data"), "smtp-it");
        gateway = SmtpGateway.start(config(30), new InetSocketAddress("127.0.0.1", 0), server.address(), null);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (server != null) server.close();
    }

    @Test
    void aPdfAttachmentToOneNumberIsOneJobWithThatDocumentAndTheBodyOnTheCover() throws Exception {
        Path pdf = pdf(dir.resolve("offer.pdf"));
        Swaks r = send(gateway, "<pdf-1@smtp-it>", "offer", List.of("+15550101@" + DOMAIN), USER_PW, "--attach", "@" + pdf,
                "--body", "Our offer is attached.");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 ");
        List<Job> jobs = jobs(server, "offer");
        assertThat(jobs).singleElement().satisfies(j -> {
            assertThat(j.to()).isEqualTo("+15550101");
            assertThat(j.owner()).isEqualTo(USER);
            assertThat(j.documents()).containsExactly(FaxlanClient.sha256(pdf));
            assertThat(j.cover()).isEqualTo("classic");
            assertThat(j.fields()).containsEntry("comment", "Our offer is attached.");
        });
        assertThat(r.dataReply()).contains(String.valueOf(jobs.get(0).id()));
    }

    /** T.37 simple mode: a TIFF-F (T.4 one-dimensional, fine resolution) attachment is faxed as it is. */
    @Test
    void aTiffFAttachmentIsTheDocumentAsItIs() throws Exception {
        BilevelPage page = new BilevelPage(1728, 400, 204, 196);
        for (int x = 100; x < 1600; x++) page.setPixel(x, 200, true);
        Path tiff = Files.write(dir.resolve("scan.tif"), TiffWriter.toBytes(List.of(page, page), TiffWriteOptions.of(TiffEncoding.G3_1D)));
        Swaks r = send(gateway, "<tiff-1@smtp-it>", "t37", List.of("+15550801@" + DOMAIN), USER_PW,
                "--attach-type", "image/tiff", "--attach", "@" + tiff);
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 ");
        assertThat(jobs(server, "t37")).singleElement().satisfies(j -> assertThat(j.documents()).containsExactly(FaxlanClient.sha256(tiff)));
    }

    @Test
    void aTextBodyAloneIsTheDocument() throws Exception {
        Swaks r = send(gateway, "<text-1@smtp-it>", "note", List.of("+15550102@" + DOMAIN), USER_PW, "--body", "Please call me back.");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 ");
        assertThat(jobs(server, "note")).singleElement().satisfies(j -> {
            assertThat(j.documents()).hasSize(1);
            assertThat(j.cover()).isNull();
        });
    }

    @Test
    void threeRecipientsAreThreeJobsOfOneSubmission() throws Exception {
        Swaks r = send(gateway, "<three-1@smtp-it>", "circular",
                List.of("+15550201@" + DOMAIN, "+15550202@" + DOMAIN, "+15550203@" + DOMAIN), USER_PW, "--body", "To all branches.");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 ");
        List<Job> jobs = jobs(server, "circular");
        assertThat(jobs).extracting(Job::to).containsExactlyInAnyOrder("+15550201", "+15550202", "+15550203");
        assertThat(jobs).extracting(Job::submission).containsOnly(jobs.get(0).submission());
    }

    @Test
    void anAttachmentThatCannotBeFaxedIsRefusedWithTheReasonAndMakesNoJob() throws Exception {
        Path junk = Files.write(dir.resolve("data.bin"), new byte[] {0x13, 0x37, 0x00, 0x01, 0x7f, 0x42, 0x00, 0x00});
        Swaks r = send(gateway, "<junk-1@smtp-it>", "binary", List.of("+15550301@" + DOMAIN), USER_PW, "--attach", "@" + junk);
        assertThat(r.dataReply()).as(r.transcript()).startsWith("554 5.6.1 attachment data.bin cannot be faxed: unknown format")
                .doesNotContain(System.getProperty("java.io.tmpdir"));
        assertThat(jobs(server, "binary")).isEmpty();
    }

    @Test
    void aMessageOverTheSizeLimitIs552AndMakesNoJob() throws Exception {
        StringBuilder text = new StringBuilder();
        while (text.length() < MAX_BYTES + 1024) text.append("A line of a long letter, longer than the gateway takes.\n");
        Path big = Files.writeString(dir.resolve("long.txt"), text);
        Swaks r = send(gateway, "<big-1@smtp-it>", "too long", List.of("+15550601@" + DOMAIN), USER_PW, "--attach", "@" + big, "--body", "hi");
        assertThat(r.dataReply()).as(r.transcript()).startsWith("552");
        assertThat(jobs(server, "too long")).isEmpty();
    }

    /** 1,000 recipients: those past max.recipients (default 50) are refused with 452, and the gateway serves the next message. */
    @Test
    void aThousandRecipientsAreTakenUpToTheLimitAndTheRestDeferred() throws Exception {
        List<String> to = new ArrayList<>();
        for (int i = 0; i < 1000; i++) to.add(String.format("+1555%06d@%s", 100000 + i, DOMAIN));
        Swaks r = send(gateway, "<many-1@smtp-it>", "mass mailing", to, USER_PW, "--body", "hi");
        // As SMTP has it: the first 50 are taken, the rest deferred (452) for the sending MTA to try again.
        assertThat(r.transcript().lines().filter(l -> l.startsWith("<** 452 ")).count()).as(r.transcript()).isEqualTo(950);
        assertThat(r.dataReply()).startsWith("250 fax jobs");
        assertThat(jobs(server, "mass mailing")).hasSize(50);
        Swaks next = send(gateway, "<many-2@smtp-it>", "after the mass mailing", List.of("+15550901@" + DOMAIN), USER_PW, "--body", "hi");
        assertThat(next.dataReply()).as(next.transcript()).startsWith("250 ");
    }

    @Test
    void aRecipientThatIsNotANumberIsRefused() throws Exception {
        Swaks r = send(gateway, "<name-1@smtp-it>", "named", List.of("bob@" + DOMAIN), USER_PW, "--body", "hi");
        // not a number, and not in the sender's (empty) phonebook
        assertThat(r.transcript()).contains("<** 550 5.1.1 <bob@" + DOMAIN + ">: no phonebook entry bob");
        assertThat(jobs(server, "named")).isEmpty();
    }

    @Test
    void aWrongPasswordIs535AndNoLoginIs530AndNeitherMakesAJob() throws Exception {
        Swaks wrong = send(gateway, "<auth-1@smtp-it>", "guess", List.of("+15550401@" + DOMAIN), "not-the-password", "--body", "hi");
        assertThat(wrong.transcript()).contains("<** 535 ");
        Swaks none = send(gateway, "<auth-2@smtp-it>", "guess", List.of("+15550401@" + DOMAIN), null, "--body", "hi");
        assertThat(none.transcript()).contains("<** 530 ");
        assertThat(jobs(server, "guess")).isEmpty();
    }

    /**
     * With the fax server down the mail is deferred (4xx); once it is back the MTA's retry is accepted,
     * and a second retry (a reply lost on the way back) makes no second job.
     */
    @Test
    void anUnreachableServerDefersTheMailAndTheRetryMakesExactlyOneJob() throws Exception {
        // The restarted server binds its old port again; should another program take it meanwhile, the
        // whole scenario runs again on a fresh port.
        int[] attempt = {0};
        PortRetry.onAddressInUse("smtp gateway restart", n -> {
            deferredThenAccepted(dir.resolve("data-restart-" + ++attempt[0]), "<retry-" + attempt[0] + "@smtp-it>");
            return null;
        });
    }

    private void deferredThenAccepted(Path data, String messageId) throws Exception {
        ServerConfig cfg = ServerConfig.defaults().withDataDir(data).withBind(new InetSocketAddress("127.0.0.1", 0)).withName("smtp-restart")
                .withAdminPassword(ADMIN_PW);
        FaxlanServer first = TestTrunk.start(cfg);
        InetSocketAddress address = first.address();
        addUser(first);
        first.close();
        try (SmtpGateway deferring = SmtpGateway.start(config(3), new InetSocketAddress("127.0.0.1", 0), address, null)) {
            List<String> to = List.of("+15550501@" + DOMAIN);
            Swaks down = send(deferring, messageId, "retried", to, USER_PW, "--body", "Once only.");
            assertThat(down.transcript()).containsPattern("<\\*\\* 4[0-9][0-9] ").doesNotContain("<-  250 fax jobs");
            // The same port again, as a restarted server has it: the gateway knows only that address.
            FaxlanServer again = TestTrunk.start(cfg.withBind(address));
            try {
                Swaks retry = send(deferring, messageId, "retried", to, USER_PW, "--body", "Once only.");
                assertThat(retry.dataReply()).as(retry.transcript()).startsWith("250 ");
                Swaks repeat = send(deferring, messageId, "retried", to, USER_PW, "--body", "Once only.");
                assertThat(repeat.dataReply()).as(repeat.transcript()).isEqualTo(retry.dataReply());
                assertThat(jobs(again, "retried")).hasSize(1);
            } finally {
                again.close();
            }
        }
    }

    /** The command as shipped: it binds port 0, prints the real port on one line, and serves there. */
    @Test
    void theCommandPrintsWhereItListensAndServesThere() throws Exception {
        Path cfg = Files.writeString(dir.resolve("gateway.properties"), "fax.domain=" + DOMAIN + "\nauth.without.tls=loopback\n");
        List<String> cmd = new ArrayList<>(Cli.javaCommand());
        cmd.addAll(List.of("smtp-gateway", "--listen", "127.0.0.1:0", "--server", "127.0.0.1:" + server.port(), "--config", cfg.toString()));
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("gateway.err").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String l; (l = out.readLine()) != null; ) if (l.startsWith("faxlan smtp-gateway listening on smtp ")) return l;
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(90, TimeUnit.SECONDS);
            assertThat(line).as(Files.readString(dir.resolve("gateway.err"))).isNotNull();
            Matcher m = Pattern.compile("listening on smtp 127\\.0\\.0\\.1:([0-9]+) for mail to NUMBER@" + Pattern.quote(DOMAIN)).matcher(line);
            assertThat(m.find()).as(line).isTrue();
            int port = Integer.parseInt(m.group(1));
            assertThat(port).isPositive();
            Swaks r = send(port, "<cmd-1@smtp-it>", "by command", List.of("+15550701@" + DOMAIN), USER_PW, "--body", "Through the shipped command.");
            assertThat(r.dataReply()).as(r.transcript()).startsWith("250 ");
            assertThat(jobs(server, "by command")).singleElement().extracting(Job::to).isEqualTo("+15550701");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------ helpers

    static SmtpGatewayConfig config(int serverTimeoutSeconds) throws Exception {
        return SmtpFixture.config(serverTimeoutSeconds, MAX_BYTES);
    }
}
