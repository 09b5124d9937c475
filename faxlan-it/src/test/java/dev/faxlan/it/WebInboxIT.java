package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.InboxFax;
import dev.faxlan.sdk.Job;
import dev.faxlan.sdk.Route;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The inbox, the page viewer and the routing rules of the web pages in a real browser (Debian's
 * chromium) against {@code faxlan web} as shipped and a real server on loopback: a 2-page PDF with a
 * cover page sent to 0000 comes back over the loopback line as a 3-page fax that the viewer shows as
 * 3 pictures; another user sees neither the fax nor the job; an administrator adds a routing rule in
 * the page, and a fax to its number lands in the rule's mailbox, seen by a member of it.
 */
class WebInboxIT {
    static final String ADMIN_PW = "inbox-web-admin-pw-1";
    /** A number of the loopback line that only the rule the administrator adds in the page routes. */
    static final String RECORDS_DID = "+12125550300";
    static final Duration FAX = Duration.ofSeconds(240);
    static final Duration PAGE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static WebProcess web;

    @BeforeAll
    static void start() throws Exception {
        Chromium.require();
        Properties lines = new Properties();
        lines.setProperty("numbers.country-code", "1");
        lines.setProperty("numbers.area-code", "212");
        lines.setProperty("line.loopback.dids", RECORDS_DID);
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("web-inbox-it").withAdminPassword(ADMIN_PW).withLines(FastLoopback.lines(lines)));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            for (String u : List.of("alice", "bob", "carol")) admin.addUser(u, password(u).toCharArray(), "user");
            admin.addMailbox("Records");
            admin.setMailboxMember("Records", "carol", true);
            // Faxes to the loopback line's own number are alice's.
            admin.addRoute(new Route.Match("0000", null, null, null, null), "alice", 0);
        }
        web = WebProcess.start(dir, server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
        if (server != null) server.close();
    }

    static String password(String user) {
        return user + "-password-1";
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(30)).build();
    }

    static void logIn(Chromium b, String user, String pw) {
        b.logIn(web.base, user, pw);
        Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
    }

    /** Waits for job {@code id} to finish and answers the fax it made in {@code user}'s inbox (the newest one from the loopback line). */
    static InboxFax sentAndReceived(String user, long jobId, long after) {
        try (FaxlanClient c = client(user, password(user))) {
            Awaitility.await().atMost(FAX).pollInterval(Duration.ofMillis(500)).until(() -> c.job(jobId).finished());
            assertThat(c.job(jobId).state()).isEqualTo("done");
        }
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            return Awaitility.await().atMost(FAX).pollInterval(Duration.ofMillis(500))
                    .until(() -> admin.inbox(null, false).stream().filter(f -> f.id() > after).findFirst(), Optional::isPresent).get();
        }
    }

    static long newestFax() {
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            return admin.inbox(null, false).stream().mapToLong(InboxFax::id).max().orElse(0);
        }
    }

    @Test
    void aReceivedFaxOpensInTheViewerAsThreePagesAndAnotherUserSeesNeitherItNorTheJob() throws Exception {
        Path pdf = WebPagesIT.pdf(dir.resolve("offer.pdf"), 2);
        long before = newestFax();
        long jobId;
        try (FaxlanClient alice = client("alice", password("alice"))) {
            jobId = alice.submit(new SubmitRequest(List.of("0000"), List.of(pdf), "Offer", "classic", null, null)).get(0).id();
        }
        InboxFax fax = sentAndReceived("alice", jobId, before);
        assertThat(fax.mailbox()).isEqualTo("alice");
        assertThat(fax.pages()).isEqualTo(3);

        String session;
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "alice", password("alice"));
            b.find(By.linkText("Inbox")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("fax-" + fax.id())).isEmpty());
            WebElement row = b.find(By.id("fax-" + fax.id()));
            assertThat(row.getAttribute("class")).contains("unread");
            assertThat(row.findElement(By.cssSelector(".pages-count")).getText()).isEqualTo("3");
            // The thumbnail is page 1 drawn by the web process from the fax it fetched.
            Awaitility.await().atMost(PAGE).until(() -> WebPagesIT.naturalWidth(b, row.findElement(By.cssSelector(".thumb img"))) > 0);
            b.screenshot("inbox");

            row.findElement(By.cssSelector(".title a")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/inbox/" + fax.id()));
            List<WebElement> images = b.driver.findElements(By.cssSelector("#fax-pages img"));
            assertThat(images).hasSize(3);
            Awaitility.await().atMost(PAGE).until(() -> images.stream().allMatch(i -> WebPagesIT.naturalWidth(b, i) > 1000));
            b.screenshot("viewer");

            // The viewer's buttons, by keyboard: next page, zoom in, rotate.
            WebElement position = b.find(By.id("page-position"));
            assertThat(position.getText()).isEqualTo("Page 1 of 3");
            b.find(By.id("next-page")).sendKeys(Keys.ENTER);
            assertThat(position.getText()).isEqualTo("Page 2 of 3");
            b.find(By.id("zoom-in")).sendKeys(Keys.ENTER);
            assertThat(b.find(By.id("zoom-level")).getText()).isEqualTo("150%");
            b.find(By.id("rotate")).sendKeys(Keys.ENTER);
            assertThat(images.get(0).getCssValue("transform")).isNotEqualTo("none");
            b.screenshot("viewer-rotated");

            // Opening it was reading it; the downloads are the fax itself.
            try (FaxlanClient alice = client("alice", password("alice"))) {
                assertThat(alice.receivedFax(fax.id()).read()).isTrue();
            }
            session = b.driver.manage().getCookieNamed("faxlan_session").getValue();
            HttpResponse<byte[]> pdfDownload = get("/inbox/" + fax.id() + "/document?format=pdf", session);
            assertThat(pdfDownload.statusCode()).isEqualTo(200);
            assertThat(new String(pdfDownload.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
            HttpResponse<byte[]> tiffDownload = get("/inbox/" + fax.id() + "/document?format=tiff", session);
            assertThat(tiffDownload.statusCode()).isEqualTo(200);
            assertThat(tiffDownload.body().length).isEqualTo((int) fax.size());

            b.find(By.id("mark-unread")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("/inbox?notice="));
            assertThat(b.find(By.id("fax-" + fax.id())).getAttribute("class")).contains("unread");
        }

        // Bob sees neither the fax nor the job, in the pages or by asking for them directly.
        try (Chromium b = Chromium.start(dir, 390)) {
            logIn(b, "bob", password("bob"));
            assertThat(b.driver.findElements(By.id("job-" + jobId))).isEmpty();
            b.driver.get(web.base + "/inbox");
            assertThat(b.driver.findElements(By.id("fax-" + fax.id()))).isEmpty();
            assertThat(b.find(By.id("no-faxes")).getText()).startsWith("No received faxes");
            b.screenshot("inbox-other-user-phone-width");
            String bobs = b.driver.manage().getCookieNamed("faxlan_session").getValue();
            for (String path : List.of("/inbox/" + fax.id(), "/inbox/" + fax.id() + "/pages/1.png", "/inbox/" + fax.id() + "/thumbnail.png",
                    "/inbox/" + fax.id() + "/document?format=tiff")) {
                assertThat(get(path, bobs).statusCode()).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void anAdministratorsRuleFromThePageRoutesAFaxToItsMailboxWhereAMemberSeesIt() throws Exception {
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "admin", ADMIN_PW);
            b.find(By.linkText("Administration")).click();
            b.find(By.linkText("Routing rules")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/admin/routes"));
            b.find(By.id("route-did")).sendKeys(RECORDS_DID);
            new Select(b.find(By.id("route-mailbox"))).selectByValue("Records");
            b.find(By.id("route-position")).clear();
            b.find(By.id("route-position")).sendKeys("1");
            b.find(By.id("add-route")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("notice="));
            assertThat(b.find(By.cssSelector("#routes tbody")).getText()).contains(RECORDS_DID, "Records");
            // Which rule would take a fax to that number: the new one.
            b.find(By.id("test-did")).sendKeys(RECORDS_DID);
            b.find(By.id("test-route")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("route-hit")).isEmpty());
            assertThat(b.find(By.id("route-hit")).getText()).contains("Records");
            b.screenshot("admin-routes");
        }

        long before = newestFax();
        long jobId;
        try (FaxlanClient alice = client("alice", password("alice"))) {
            jobId = alice.submit(new SubmitRequest(List.of("555-0300"), List.of(WebPagesIT.pdf(dir.resolve("records.pdf"), 1)), "For records",
                    null, null, null)).get(0).id();
        }
        InboxFax fax = sentAndReceived("alice", jobId, before);
        assertThat(fax.mailbox()).isEqualTo("Records");

        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "carol", password("carol"));
            b.driver.get(web.base + "/inbox");
            new Select(b.find(By.id("mailbox"))).selectByValue("Records");
            b.find(By.cssSelector("form.chooser button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("mailbox=Records"));
            WebElement row = b.find(By.id("fax-" + fax.id()));
            assertThat(row.findElement(By.cssSelector(".did")).getText()).isEqualTo(RECORDS_DID);
            assertThat(row.findElement(By.cssSelector(".mailbox")).getText()).isEqualTo("Records");
            b.screenshot("inbox-shared-mailbox");

            // A member moves it to her own mailbox.
            row.findElement(By.cssSelector(".title a")).click();
            new Select(b.find(By.id("move-to"))).selectByValue("carol");
            b.find(By.id("move-button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("notice="));
        }
        try (FaxlanClient carol = client("carol", password("carol"))) {
            assertThat(carol.receivedFax(fax.id()).mailbox()).isEqualTo("carol");
        }
    }

    @Test
    void aReceivedFaxForwardedByFaxIsSentAsItsOwnPages() throws Exception {
        long before = newestFax();
        long jobId;
        try (FaxlanClient alice = client("alice", password("alice"))) {
            jobId = alice.submit(new SubmitRequest(List.of("0000"), List.of(WebPagesIT.pdf(dir.resolve("two.pdf"), 2)), "Two", null, null, null))
                    .get(0).id();
        }
        InboxFax fax = sentAndReceived("alice", jobId, before);
        long forwarded;
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "alice", password("alice"));
            b.driver.get(web.base + "/inbox/" + fax.id());
            b.find(By.id("forward-to")).sendKeys("0000");
            b.find(By.id("forward-button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("/outbox?notice="));
            String notice = b.find(By.cssSelector(".notice")).getText();
            assertThat(notice).startsWith("Fax " + fax.id() + " forwarded: job ");
            forwarded = Long.parseLong(notice.replaceAll(".*job ([0-9]+) queued.*", "$1"));
        }
        InboxFax again = sentAndReceived("alice", forwarded, fax.id());
        try (FaxlanClient alice = client("alice", password("alice"))) {
            Job job = alice.job(forwarded);
            assertThat(job.pages()).isEqualTo(2);
        }
        assertThat(again.pages()).isEqualTo(2);
    }

    static HttpResponse<byte[]> get(String path, String session) throws Exception {
        return get(path, session, web);
    }

    /** A GET of {@code path} from {@code web} with browser session {@code session}, redirects not followed. */
    static HttpResponse<byte[]> get(String path, String session, WebProcess web) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(web.base + path)).timeout(Duration.ofSeconds(60))
                .header("Cookie", "faxlan_session=" + session).build();
        return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }
}
