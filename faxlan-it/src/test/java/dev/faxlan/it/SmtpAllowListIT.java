package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.it.SmtpFixture.Swaks;
import dev.faxlan.mail.smtp.SmtpGateway;
import dev.faxlan.mail.smtp.SmtpGatewayConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SMTP gateway's sender allow-list, against a real server on loopback, sent real mail by swaks
 * without SMTP AUTH: an allow-listed sender from a trusted client address gets a job in the mapped
 * account's job list (read through the SDK as that account), submitted by the gateway's own account;
 * any other sender, or a listed one from another client address, is refused with 550 and no job.
 */
class SmtpAllowListIT {
    static final String ADMIN_PW = "allow-admin-pw-1";
    static final String GATEWAY_USER = "mailgw";
    static final String GATEWAY_PW = "mailgw-password-1";
    static final String DOMAIN = "fax.example.org";
    @TempDir
    static Path dir;
    static FaxlanServer server;
    /** Trusts senders from 127.0.0.1 only, so a client on 127.0.0.2 is outside its networks. */
    static SmtpGateway gateway;
    static String swaks;

    @BeforeAll
    static void start() throws Exception {
        swaks = SmtpFixture.requireSwaks();
        server = TestTrunk.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("allow-list-it").withAdminPassword(ADMIN_PW));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addUser("alice", "alice-password-1".toCharArray(), "user");
            admin.addUser("bob", "bob-password-1".toCharArray(), "user");
            admin.addUser("branch", "branch-password-1".toCharArray(), "user");
            admin.addUser(GATEWAY_USER, GATEWAY_PW.toCharArray(), "gateway");
        }
        Files.writeString(dir.resolve("senders"), """
                # sender               account
                alice@example.org      alice
                *@branch.example.org   branch
                """);
        gateway = SmtpGateway.start(config(GATEWAY_USER, GATEWAY_PW), new InetSocketAddress("127.0.0.1", 0), server.address(), null);
    }

    /** An allow-list configuration whose gateway account is {@code user} with {@code password}. */
    static SmtpGatewayConfig config(String user, String password) throws Exception {
        Path pw = Files.writeString(dir.resolve(user + ".pw"), password + "\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        Properties p = new Properties();
        p.setProperty("fax.domain", DOMAIN);
        p.setProperty("senders.file", "senders");
        p.setProperty("senders.networks", "127.0.0.1/32");
        p.setProperty("gateway.user", user);
        p.setProperty("gateway.password.file", pw.getFileName().toString());
        // bob logs in from 127.0.0.2 without STARTTLS (SmtpGatewayTlsIT tests TLS)
        p.setProperty("auth.without.tls", "loopback");
        return SmtpGatewayConfig.parse(p, dir);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) gateway.close();
        if (server != null) server.close();
    }

    @Test
    void anAllowListedSenderWithoutAuthGetsAJobInTheMappedAccountsList() throws Exception {
        Swaks r = send("alice@example.org", "<allowed-1@allow-it>", "from alice", "+15550111", null, null);

        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        List<Job> jobs = jobs("alice", "from alice");
        assertThat(jobs).singleElement().satisfies(j -> {
            assertThat(j.to()).isEqualTo("+15550111");
            assertThat(j.owner()).isEqualTo("alice");
            assertThat(j.submitter()).as("alice sees that the job came in through the mail gateway").isEqualTo(GATEWAY_USER);
        });
        assertThat(r.dataReply()).isEqualTo("250 fax jobs " + jobs.get(0).id());
        assertThat(jobs(GATEWAY_USER, "from alice")).as("the gateway's account keeps no view of alice's faxes").isEmpty();
    }

    @Test
    void aDomainEntryCoversEveryAddressOfTheDomain() throws Exception {
        Swaks r = send("reception@branch.example.org", "<domain-1@allow-it>", "from the branch", "+15550112", null, null);
        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs("branch", "from the branch")).singleElement().satisfies(j -> assertThat(j.submitter()).isEqualTo(GATEWAY_USER));
    }

    @Test
    void aSenderNotOnTheListIs550AndNoJobAnywhere() throws Exception {
        Swaks r = send("mallory@example.com", "<refused-1@allow-it>", "toll fraud", "+15550113", null, null);

        assertThat(r.transcript()).as(r.transcript()).contains("<** 550 5.7.1 <mallory@example.com>: sender not allowed without AUTH");
        assertThat(r.dataReply()).isEmpty();
        assertThat(everyonesJobs("toll fraud")).isEmpty();
    }

    @Test
    void aListedSenderFromAClientOutsideTheNetworksIsRefused() throws Exception {
        Swaks r = send("alice@example.org", "<outside-1@allow-it>", "from outside", "+15550114", "127.0.0.2", null);

        assertThat(r.transcript()).as(r.transcript()).contains("<** 550 5.7.1 <alice@example.org>: sender not allowed without AUTH");
        assertThat(everyonesJobs("from outside")).isEmpty();
    }

    /**
     * Phonebook names for a sender without AUTH: a shared entry is found by the gateway at RCPT; the
     * sender's own entry, which the gateway's account may not read, by the server in the owner's
     * phonebook; a name neither knows refuses the message at its end, and no job is made.
     */
    @Test
    void anAllowListedSendersPhonebookNamesAreTheOwnersEntries() throws Exception {
        try (FaxlanClient admin = client("admin", ADMIN_PW); FaxlanClient alice = client("alice", "alice-password-1")) {
            admin.addContact("Front Desk", "Head office", "+15550121", true);
            alice.addContact("Dr Smith", "Clinic", "+15550120", false);
        }
        Swaks shared = send("alice@example.org", "<names-1@allow-it>", "to the front desk", "front_desk", null, null);
        assertThat(shared.dataReply()).as(shared.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs("alice", "to the front desk")).singleElement().extracting(Job::to).isEqualTo("+15550121");

        Swaks own = send("alice@example.org", "<names-2@allow-it>", "to her doctor", "dr.smith", null, null);
        assertThat(own.dataReply()).as(own.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs("alice", "to her doctor")).singleElement().satisfies(j -> {
            assertThat(j.to()).isEqualTo("+15550120");
            assertThat(j.fields()).containsEntry("to_company", "Clinic");
        });

        Swaks unknown = send("alice@example.org", "<names-3@allow-it>", "to nobody", "nobody.known", null, null);
        assertThat(unknown.dataReply()).as(unknown.transcript()).startsWith("554 5.7.0 the fax server refused the fax");
        assertThat(everyonesJobs("to nobody")).isEmpty();
    }

    @Test
    void aSessionThatLoggedInSendsAsItsAccountWhateverItsEnvelopeSender() throws Exception {
        Swaks r = send("alice@example.org", "<auth-1@allow-it>", "bob logged in", "+15550115", "127.0.0.2", "bob");

        assertThat(r.dataReply()).as(r.transcript()).startsWith("250 fax jobs ");
        assertThat(jobs("bob", "bob logged in")).singleElement().satisfies(j -> {
            assertThat(j.owner()).isEqualTo("bob");
            assertThat(j.submitter()).isNull();
        });
        assertThat(jobs("alice", "bob logged in")).isEmpty();
    }

    @Test
    void anMtasRetryOfAnAllowListedMailMakesNoSecondJob() throws Exception {
        Swaks first = send("alice@example.org", "<retry-1@allow-it>", "sent twice", "+15550116", null, null);
        Swaks again = send("alice@example.org", "<retry-1@allow-it>", "sent twice", "+15550116", null, null);

        assertThat(first.dataReply()).as(first.transcript()).startsWith("250 fax jobs ");
        assertThat(again.dataReply()).as(again.transcript()).isEqualTo(first.dataReply());
        assertThat(jobs("alice", "sent twice")).hasSize(1);
    }

    /** The gateway's own account is checked at start: a plain user, or a wrong password, is named before any mail comes. */
    @Test
    void theGatewaysOwnAccountIsCheckedAtStart() throws Exception {
        assertThat(SmtpGateway.gatewayAccountProblem(config(GATEWAY_USER, GATEWAY_PW), server.address(), null)).isEmpty();
        assertThat(SmtpGateway.gatewayAccountProblem(config("bob", "bob-password-1"), server.address(), null)).contains(
                "gateway.user bob has the role user: it needs the role gateway to fax for the senders of senders.file (faxlan user add NAME --role gateway)");
        assertThat(SmtpGateway.gatewayAccountProblem(config(GATEWAY_USER, "not-the-password"), server.address(), null))
                .contains("gateway.user mailgw: the fax server refused the password in gateway.password.file");
    }

    // ------------------------------------------------------------------ helpers

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    /** {@code user}'s jobs, finished ones included, with this subject. */
    static List<Job> jobs(String user, String subject) {
        String pw = user.equals(GATEWAY_USER) ? GATEWAY_PW : user + "-password-1";
        try (FaxlanClient c = client(user, pw)) {
            return c.jobs(true).stream().filter(j -> subject.equals(j.subject())).toList();
        }
    }

    /** Every account's jobs with this subject, as the administrator sees them. */
    static List<Job> everyonesJobs(String subject) {
        try (FaxlanClient c = client("admin", ADMIN_PW)) {
            return c.jobs(true).stream().filter(j -> subject.equals(j.subject())).toList();
        }
    }

    /**
     * One message through swaks from envelope sender {@code from}, with a text body; from client
     * address {@code localInterface} when given, logged in as {@code authUser} when given. A number
     * is passed with a leading space, which swaks drops, because it reads a leading '+' as an option.
     */
    static Swaks send(String from, String messageId, String subject, String number, String localInterface, String authUser)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(swaks, "--server", "127.0.0.1:" + gateway.address().getPort(), "--from", from,
                "--to", " " + number + "@" + DOMAIN, "--header", "Message-Id: " + messageId, "--header", "Subject: " + subject,
                "--header", "From: " + from, "--header", "Date: Sun, 06 Dec 2026 12:00:00 +0000", "--body", "Please fax this.", "--timeout", "90"));
        if (localInterface != null) cmd.addAll(List.of("--local-interface", localInterface));
        if (authUser != null) cmd.addAll(List.of("--auth", "PLAIN", "--auth-user", authUser, "--auth-password", authUser + "-password-1"));
        Path out = Files.createTempFile(dir, "swaks", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("swaks did not finish: " + Files.readString(out));
        }
        return new Swaks(p.exitValue(), Files.readString(out));
    }
}
