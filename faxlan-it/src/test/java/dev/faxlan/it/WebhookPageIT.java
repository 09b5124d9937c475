package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.faxlan.lines.LinesConfig;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Route;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The webhooks page in a real browser (Debian's chromium) against {@code faxlan web} as shipped and a
 * real server on loopback: a user registers a webhook to a JDK HTTP server, sees its signing secret once,
 * sends a fax, and the page's delivery log shows the deliveries the receiver answered 200; another user
 * neither lists the webhook nor opens its page (404).
 */
class WebhookPageIT {
    static final String ADMIN_PW = "webhook-page-admin-pw-1";
    static final String TO_ALICE = "+12125550400";
    static final Duration FAX = Duration.ofSeconds(240);
    static final Duration DELIVERY = Duration.ofSeconds(180);
    static final Duration PAGE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static WebProcess web;
    static HttpServer receiver;
    /** The timestamp and signature headers and the body of each request the receiver got. */
    record Got(String timestamp, String signature, byte[] body) {}
    static final List<Got> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Chromium.require();
        Properties lines = new Properties();
        lines.setProperty("numbers.country-code", "1");
        lines.setProperty("numbers.area-code", "212");
        lines.setProperty("line.loopback.dids", TO_ALICE);
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("server")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("webhook-page-it").withAdminPassword(ADMIN_PW).withLines(LinesConfig.parse(lines)));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            for (String u : List.of("alice", "bob")) admin.addUser(u, password(u).toCharArray(), "user");
            admin.addRoute(new Route.Match(TO_ALICE, null, null, null, null), "alice", 0);
        }
        Files.writeString(dir.resolve("letter.txt"), "A letter for the webhook page test.\n");
        // Port 0: the receiver's own port, never handed over before it is bound.
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(new Got(ex.getRequestHeaders().getFirst("Faxlan-Timestamp"), ex.getRequestHeaders().getFirst("Faxlan-Signature"), body));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        Path config = dir.resolve("web.properties");
        Files.writeString(config, "data.dir=" + dir.resolve("web") + "\nwebhook.allow.private=true\nwebhook.retry.first.seconds=1\n");
        web = WebProcess.start(dir, server.port(), "--config", config.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) web.close();
        if (receiver != null) receiver.stop(0);
        if (server != null) server.close();
    }

    static String password(String user) {
        return user + "-password-1";
    }

    static FaxlanClient client(String user, String pw) {
        return FaxlanClient.builder().server(server.address()).user(user).password(pw.toCharArray()).timeout(Duration.ofSeconds(60)).build();
    }

    static void logIn(Chromium b, String user) {
        b.logIn(web.base, user, password(user));
        Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().endsWith("/outbox"));
    }

    static String hookUrl() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @Test
    void aWebhookRegisteredInThePageShowsItsSecretOnceAndItsDeliveriesAndIsNotAnotherUsers() throws Exception {
        long id;
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "alice");
            b.find(By.linkText("Webhooks")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("no-webhooks")).isEmpty());
            // Every event type is offered, ticked.
            List<WebElement> boxes = b.driver.findElements(By.cssSelector("input[name=event]"));
            assertThat(boxes).extracting(e -> e.getAttribute("value")).contains("fax.queued", "fax.sent", "fax.received");
            assertThat(boxes).allMatch(WebElement::isSelected);
            b.screenshot("webhooks-empty");

            // A URL the web process does not post to is refused with its reason, and nothing is registered.
            b.find(By.id("webhook-url")).sendKeys("ftp://127.0.0.1/x");
            b.find(By.id("register-webhook")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("page-error")).isEmpty());
            assertThat(b.find(By.id("page-error")).getText()).contains("http:// or https://");
            b.driver.get(web.base + "/webhooks");
            assertThat(b.driver.findElements(By.cssSelector("#webhooks tbody tr"))).isEmpty();

            b.find(By.id("webhook-url")).sendKeys(hookUrl());
            b.find(By.id("register-webhook")).click();
            Awaitility.await().atMost(DELIVERY).until(() -> !b.driver.findElements(By.id("new-secret")).isEmpty());
            String secret = b.find(By.id("new-secret")).getText();
            assertThat(secret).startsWith("whsec_");
            WebElement row = b.find(By.cssSelector("#webhooks tbody tr"));
            id = Long.parseLong(row.getAttribute("id").substring("webhook-".length()));
            assertThat(row.findElement(By.cssSelector(".url")).getText()).isEqualTo(hookUrl());
            assertThat(row.findElement(By.cssSelector(".events")).getText()).isEqualTo("all");
            assertThat(row.findElement(By.cssSelector(".state")).getText()).isEqualTo("active");
            b.screenshot("webhook-registered");

            // Shown once: the list page, loaded again, has the webhook but not its secret.
            b.driver.get(web.base + "/webhooks");
            assertThat(b.driver.findElements(By.id("new-secret"))).isEmpty();
            assertThat(b.driver.getPageSource()).doesNotContain(secret);
            assertThat(b.driver.findElements(By.id("webhook-" + id))).hasSize(1);

            long job;
            try (FaxlanClient alice = client("alice", password("alice"))) {
                job = alice.submit(new SubmitRequest(List.of(TO_ALICE), List.of(dir.resolve("letter.txt")), "Hook", null, "fine", null)).get(0).id();
                Awaitility.await().atMost(FAX).pollInterval(Duration.ofMillis(500)).until(() -> alice.job(job).finished());
                assertThat(alice.job(job).state()).isEqualTo("done");
            }
            b.find(By.cssSelector("#webhook-" + id + " .url")).click();
            Awaitility.await("the sent and the received fax in the delivery log").atMost(DELIVERY).pollInterval(Duration.ofSeconds(1)).until(() -> {
                b.driver.navigate().refresh();
                List<String> delivered = b.driver.findElements(By.cssSelector("#deliveries tr.delivery")).stream()
                        .filter(r -> r.findElement(By.cssSelector(".status")).getText().equals("200")
                                && r.findElement(By.cssSelector(".outcome")).getText().equals("delivered"))
                        .map(r -> r.findElement(By.cssSelector(".type")).getText()).toList();
                return delivered.containsAll(List.of("fax.queued", "fax.sent", "fax.received"));
            });
            assertThat(b.driver.getCurrentUrl()).endsWith("/webhooks/" + id);
            assertThat(b.find(By.id("webhook-url")).getText()).isEqualTo(hookUrl());
            List<WebElement> log = b.driver.findElements(By.cssSelector("#deliveries tr.delivery"));
            assertThat(log).allSatisfy(r -> {
                assertThat(r.findElement(By.cssSelector(".event")).getText()).startsWith(id + "-");
                assertThat(Integer.parseInt(r.findElement(By.cssSelector(".attempt")).getText())).isPositive();
                assertThat(r.findElement(By.cssSelector(".duration")).getText()).endsWith(" ms");
            });
            // Newest first: event ids are "<webhook>-<sequence number>", delivered in order.
            List<Long> seqs = log.stream().map(r -> Long.parseLong(r.findElement(By.cssSelector(".event")).getText().substring((id + "-").length()))).toList();
            assertThat(seqs).isSortedAccordingTo(java.util.Comparator.reverseOrder());
            // What the log shows is what the receiver got, signed with the secret the page showed.
            assertThat(received).hasSizeGreaterThanOrEqualTo(log.size());
            for (Got g : received) assertThat(WebhookReceiver.validSignature(secret, g.timestamp(), g.signature(), g.body())).isTrue();
            b.screenshot("webhook-deliveries");
        }

        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "bob");
            b.driver.get(web.base + "/webhooks");
            assertThat(b.driver.findElements(By.id("no-webhooks"))).hasSize(1);
            assertThat(b.driver.findElements(By.id("webhook-" + id))).isEmpty();
            Object status = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/webhooks/" + id + "').then(r => done(r.status)).catch(e => done(String(e)));");
            assertThat(status).isEqualTo(404L);
            Object removeStatus = b.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "fetch('/webhooks/" + id + "/remove', {method: 'POST', headers: {'X-CSRF-Token': document.body.dataset.csrf}})"
                    + ".then(r => done(r.status)).catch(e => done(String(e)));");
            assertThat(removeStatus).isEqualTo(404L);
            b.driver.get(web.base + "/webhooks/" + id);
            assertThat(b.find(By.id("page-error")).getText()).contains("No such webhook");
            b.screenshot("webhook-other-user");
        }

        // Its owner removes it in the page: gone from the list, and its API key revoked.
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "alice");
            b.driver.get(web.base + "/webhooks");
            b.find(By.cssSelector("#webhook-" + id + " button[type=submit]")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("no-webhooks")).isEmpty());
            assertThat(b.find(By.cssSelector("p.notice")).getText()).contains("removed");
            b.screenshot("webhook-removed");
        }
        try (FaxlanClient alice = client("alice", password("alice"))) {
            assertThat(alice.apiKeys(false)).extracting(k -> k.label()).doesNotContain("webhook " + hookUrl());
        }
    }
}
