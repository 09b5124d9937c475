package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Job;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.io.IOException;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web pages in a real browser (Debian's chromium, headless) against {@code faxlan web} as shipped
 * and a real server on loopback, whose built-in loopback line answers 0000: log in, send a 2-page
 * PDF with a cover page and watch it reach {@code done} without reloading; another user does not see
 * the job; a POST without the CSRF token is refused; logging out ends the session on the server.
 */
class WebPagesIT {
    static final String ADMIN_PW = "web-admin-pw-1";
    static final Duration FAX = Duration.ofSeconds(240);
    static final Duration PAGE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static WebProcess web;

    @BeforeAll
    static void start() throws Exception {
        Chromium.require();
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("web-it").withAdminPassword(ADMIN_PW).withLines(FastLoopback.lines()));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            for (String u : List.of("alice", "bob", "carol", "dave", "erin")) admin.addUser(u, password(u).toCharArray(), "user");
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
    }

    @Test
    void aTwoPagePdfWithACoverReachesDoneInTheOutboxWithoutReloading() throws Exception {
        Path pdf = pdf(dir.resolve("offer.pdf"), 2);
        long jobId;
        try (Chromium b = Chromium.start(dir, 1280)) {
            b.driver.get(web.base + "/login");
            b.screenshot("login");
            logIn(b, "alice", password("alice"));
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
            b.find(By.linkText("Send")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/send"));
            b.find(By.id("file")).sendKeys(pdf.toString());
            b.find(By.id("to")).sendKeys("0000");
            b.find(By.id("subject")).sendKeys("Offer");
            b.find(By.id("comment")).sendKeys("Two pages follow.");
            new Select(b.find(By.id("cover"))).selectByValue("classic");
            // The cover preview is drawn by the web process: an image that loaded has a width.
            Awaitility.await().atMost(PAGE).until(() -> naturalWidth(b, By.id("cover-preview")) > 0);
            b.find(By.id("preview-button")).click();
            // The exact fax pages: the cover and the PDF's two.
            Awaitility.await().atMost(PAGE).until(() -> b.driver.findElements(By.cssSelector("#preview-pages img")).size() == 3
                    && b.driver.findElements(By.cssSelector("#preview-pages img")).stream().allMatch(i -> naturalWidth(b, i) > 0));
            assertThat(b.find(By.id("preview-status")).getText()).startsWith("3 pages");
            b.screenshot("send");
            b.find(By.id("send-button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("/outbox"));
            // A mark in this page's JavaScript state: a reload would lose it.
            b.driver.executeScript("window.faxlanNotReloaded = true;");
            WebElement row = b.find(By.cssSelector("#jobs tbody tr"));
            jobId = Long.parseLong(row.getAttribute("data-job"));
            assertThat(b.find(By.cssSelector(".notice")).getText()).contains("Job " + jobId + " queued");
            Awaitility.await().atMost(FAX).pollInterval(Duration.ofMillis(500))
                    .until(() -> stateShown(b, jobId), s -> s.equals("done") || s.equals("failed"));
            assertThat(stateShown(b, jobId)).isEqualTo("done");
            assertThat(b.driver.executeScript("return window.faxlanNotReloaded === true;")).isEqualTo(true);
            assertThat(b.driver.findElements(By.cssSelector("#job-" + jobId + " form.cancel")).get(0).isDisplayed()).isFalse();
            b.screenshot("outbox");
        }
        try (FaxlanClient alice = client("alice", password("alice"))) {
            Job job = alice.job(jobId);
            assertThat(job.state()).isEqualTo("done");
            assertThat(job.cover()).isEqualTo("classic");
            assertThat(job.subject()).isEqualTo("Offer");
            assertThat(job.fields()).containsEntry("comment", "Two pages follow.");
            assertThat(job.names()).containsExactly("offer.pdf");
            assertThat(job.pages()).isEqualTo(3);
        }

        // Another user sees neither the job in the outbox nor can act on it.
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "bob", password("bob"));
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
            assertThat(b.driver.findElements(By.id("job-" + jobId))).isEmpty();
            Object status = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/outbox/" + jobId + "/cancel', {method: 'POST', headers: {'X-CSRF-Token': document.body.dataset.csrf}})"
                    + ".then(r => done(r.status)).catch(e => done(String(e)));");
            assertThat(status).isEqualTo(404L);
            b.screenshot("outbox-other-user");
        }
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        Path pdf = pdf(dir.resolve("later.pdf"), 1);
        long jobId;
        try (FaxlanClient carol = client("carol", password("carol"))) {
            jobId = carol.submit(new dev.faxlan.sdk.SubmitRequest(List.of("0000"), List.of(pdf), "later", null, null,
                    java.time.Instant.parse("2099-01-01T00:00:00Z"))).get(0).id();
        }
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "carol", password("carol"));
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
            String script = "const done = arguments[arguments.length - 1];"
                    + "fetch('/outbox/" + jobId + "/cancel', {method: 'POST', headers: HEADERS}).then(r => r.text().then(t => done([r.status, t])))"
                    + ".catch(e => done(String(e)));";
            List<?> without = (List<?>) b.driver.executeAsyncScript(script.replace("HEADERS", "{}"));
            assertThat(without.get(0)).isEqualTo(403L);
            assertThat((String) without.get(1)).contains("CSRF");
            List<?> wrong = (List<?>) b.driver.executeAsyncScript(script.replace("HEADERS", "{'X-CSRF-Token': 'not-the-token'}"));
            assertThat(wrong.get(0)).isEqualTo(403L);
            try (FaxlanClient carol = client("carol", password("carol"))) {
                assertThat(carol.job(jobId).state()).isEqualTo("queued");
            }
            // With the token the same request goes through: the refusal was the token's.
            b.find(By.cssSelector("#job-" + jobId + " form.cancel button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("notice="));
            try (FaxlanClient carol = client("carol", password("carol"))) {
                assertThat(carol.job(jobId).state()).isEqualTo("cancelled");
            }
        }
    }

    @Test
    void loggingOutEndsTheSessionOnTheServerAndAWrongPasswordShowsTheServersRefusal() throws Exception {
        try (Chromium b = Chromium.start(dir, 390)) {
            logIn(b, "alice", "not-her-password");
            WebElement error = b.find(By.id("page-error"));
            String refusal = error.getText();
            assertThat(refusal).startsWith("Log in refused: ");
            b.screenshot("login-refused-phone-width");
            logIn(b, "nobody-of-that-name", "not-her-password");
            // Whether the user exists is not told: the server answers both alike.
            assertThat(b.find(By.id("page-error")).getText()).isEqualTo(refusal);

            logIn(b, "alice", password("alice"));
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
            b.screenshot("outbox-phone-width");
            Cookie session = b.driver.manage().getCookieNamed("faxlan_session");
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Strict");
            assertThat(get("/outbox", session.getValue()).statusCode()).isEqualTo(200);
            b.find(By.cssSelector("form.logout button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("/login"));
            assertThat(b.find(By.cssSelector(".notice")).getText()).isEqualTo("Logged out.");
            // The old cookie, kept by someone else, no longer opens anything.
            HttpResponse<String> after = get("/outbox", session.getValue());
            assertThat(after.statusCode()).isEqualTo(302);
            assertThat(after.headers().firstValue("Location")).hasValue("/login");
        }
    }

    @Test
    void droppedFilesJoinTheFormAndAFileThatCannotBeFaxedGetsTheConvertersReasonAndMakesNoJob() throws Exception {
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "erin", password("erin"));
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
            b.driver.get(web.base + "/send");
            drop(b, "new File(['Please call me back.\\n'], 'note.txt', {type: 'text/plain'})");
            assertThat(b.find(By.id("file-list")).getText()).contains("note.txt");
            assertThat(b.driver.executeScript("return document.getElementById('file').files.length;")).isEqualTo(1L);
            b.find(By.id("preview-button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.findElements(By.cssSelector("#preview-pages img")).size() == 1);
            assertThat(b.find(By.id("preview-status")).getText()).startsWith("1 page");

            b.driver.get(web.base + "/send");
            drop(b, "new File([new Uint8Array([0x13, 0x37, 0x00, 0x01, 0x7f, 0x42, 0x00, 0x00])], 'data.bin')");
            b.find(By.id("preview-button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.find(By.id("preview-status")).getText().startsWith("Cannot be faxed"));
            assertThat(b.find(By.id("preview-status")).getText()).contains("data.bin", "unknown format")
                    .doesNotContain(System.getProperty("java.io.tmpdir"));
            assertThat(b.driver.findElements(By.cssSelector("#preview-pages img"))).isEmpty();
            b.screenshot("send-unconvertible");
            // Sent anyway, it is refused before anything is uploaded, and no job is made.
            b.find(By.id("to")).sendKeys("0000");
            b.find(By.id("subject")).sendKeys("junk");
            b.find(By.id("send-button")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("page-error")).isEmpty());
            assertThat(b.find(By.id("page-error")).getText()).startsWith("Nothing was sent: ").contains("data.bin")
                    .doesNotContain(System.getProperty("java.io.tmpdir"));
        }
        try (FaxlanClient erin = client("erin", password("erin"))) {
            assertThat(erin.jobs(true)).noneMatch(j -> "junk".equals(j.subject()));
        }
    }

    /** A browser that sends a whole path as the file name: the job records only its last part. */
    @Test
    void aFileNameWithDirectoriesIsKeptAsItsLastPartAndThePhonebookCompletesNames() throws Exception {
        try (FaxlanClient erin = client("erin", password("erin"))) {
            erin.addContact("Front desk", "Example Ltd", "0000", false);
        }
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "erin", password("erin"));
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
            b.driver.get(web.base + "/send");
            assertThat(b.driver.findElements(By.cssSelector("datalist#phonebook option")))
                    .anySatisfy(o -> assertThat(o.getAttribute("value")).isEqualTo("Front desk"));
            Object status = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const f = new FormData(); f.append('to', 'Front desk'); f.append('send_at', '2099-01-01T00:00:00Z');"
                    + "f.append('file', new File(['A letter.\\n'], '..\\\\..\\\\outside\\\\letter.txt', {type: 'text/plain'}));"
                    + "fetch('/send', {method: 'POST', body: f, headers: {'X-CSRF-Token': document.body.dataset.csrf}, redirect: 'manual'})"
                    + ".then(r => done(r.type === 'opaqueredirect' ? 303 : r.status)).catch(e => done(String(e)));");
            assertThat(status).isEqualTo(303L);
        }
        try (FaxlanClient erin = client("erin", password("erin"))) {
            assertThat(erin.jobs(true)).filteredOn(j -> j.at() != null).singleElement().satisfies(j -> {
                assertThat(j.names()).containsExactly("letter.txt");
                assertThat(j.state()).isEqualTo("queued");
                erin.cancel(j.id());
            });
        }
    }

    @Test
    void aChangedPasswordEndsTheSessionAndTheNewOneLogsIn() throws Exception {
        String fresh = "dave-password-2";
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "dave", password("dave"));
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
            b.find(By.linkText("Password")).click();
            b.find(By.id("current")).sendKeys("not-the-password");
            b.find(By.id("new")).sendKeys(fresh);
            b.find(By.id("repeat")).sendKeys(fresh);
            b.find(By.cssSelector("form[action='/password'] button")).click();
            assertThat(b.find(By.id("page-error")).getText()).startsWith("Password not changed: ");
            b.screenshot("password-refused");
            b.find(By.id("current")).sendKeys(password("dave"));
            b.find(By.id("new")).sendKeys(fresh);
            b.find(By.id("repeat")).sendKeys(fresh);
            b.find(By.cssSelector("form[action='/password'] button")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("/login"));
            assertThat(b.find(By.cssSelector(".notice")).getText()).contains("Password changed");
            logIn(b, "dave", fresh);
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
        }
        try (FaxlanClient dave = client("dave", fresh)) {
            assertThat(dave.login()).isEqualTo("user");
        }
    }

    /** Drops the file the JavaScript expression {@code file} makes on the send page's drop box, as a user dragging it there. */
    static void drop(Chromium b, String file) {
        b.driver.executeScript("const t = new DataTransfer(); t.items.add(" + file + ");"
                + "document.getElementById('drop').dispatchEvent(new DragEvent('drop', {dataTransfer: t, bubbles: true, cancelable: true}));");
    }

    @Test
    void everyPageCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> r = get("/login", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline"));
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("faxlan_login=").contains("HttpOnly", "SameSite=Strict"));
        assertThat(r.body()).doesNotContain("<script>");
    }

    static HttpResponse<String> get(String path, String session) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).build();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(web.base + path)).timeout(Duration.ofSeconds(60));
        if (session != null) req.header("Cookie", "faxlan_session=" + session);
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String stateShown(Chromium b, long job) {
        List<WebElement> s = b.driver.findElements(By.cssSelector("#job-" + job + " .state"));
        return s.isEmpty() ? "" : s.get(0).getText();
    }

    static long naturalWidth(Chromium b, By by) {
        List<WebElement> e = b.driver.findElements(by);
        return e.isEmpty() ? 0 : naturalWidth(b, e.get(0));
    }

    static long naturalWidth(Chromium b, WebElement img) {
        Object w = b.driver.executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0;", img);
        return w instanceof Number n ? n.longValue() : 0;
    }

    static Path pdf(Path file, int pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 28);
                    cs.newLineAtOffset(72, 700);
                    cs.showText("Page " + i + " of " + pages);
                    cs.endText();
                }
            }
            doc.save(file.toFile());
        }
        return file;
    }
}
