package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.faxlan.sdk.Contact;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.FaxlanException;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The phonebook, API key and administration pages in a real browser (Debian's chromium) against
 * {@code faxlan web} as shipped and a real server: every change made in a page is checked through
 * the SDK, and what the server refuses a user is shown as its refusal and changes nothing.
 */
class WebAdminPagesIT {
    static final String ADMIN_PW = "admin-pages-admin-pw-1";
    static final Duration PAGE = Duration.ofSeconds(60);
    @TempDir
    static Path dir;
    static FaxlanServer server;
    static WebProcess web;

    @BeforeAll
    static void start() throws Exception {
        Chromium.require();
        server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data")).withBind(new InetSocketAddress("127.0.0.1", 0))
                .withName("web-admin-it").withAdminPassword(ADMIN_PW));
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            for (String u : List.of("alice", "bob")) admin.addUser(u, password(u).toCharArray(), "user");
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

    static void submit(Chromium b, By button) {
        String before = b.driver.getCurrentUrl();
        b.find(button).click();
        Awaitility.await().atMost(PAGE).until(() -> !b.driver.getCurrentUrl().equals(before) || !b.driver.findElements(By.cssSelector(".notice, #page-error")).isEmpty());
    }

    @Test
    void thePhonebookAddsOwnEntriesAndShowsTheServersRefusalOfASharedOne() throws Exception {
        try (Chromium b = Chromium.start(dir, 390)) {
            logIn(b, "alice", password("alice"));
            b.find(By.linkText("Phonebook")).click();
            b.find(By.id("contact-name")).sendKeys("Dentist");
            b.find(By.id("contact-company")).sendKeys("Smile Ltd");
            b.find(By.id("contact-fax")).sendKeys("+12125550177");
            submit(b, By.id("add-contact"));
            assertThat(b.find(By.cssSelector("#own-contacts tbody")).getText()).contains("Dentist", "Smile Ltd", "+12125550177");

            // A shared entry is the administrators': the page shows the server's refusal, and nothing is stored.
            b.find(By.id("contact-name")).sendKeys("Everyone's plumber");
            b.find(By.id("contact-fax")).sendKeys("+12125550178");
            b.find(By.id("scope-shared")).click();
            b.find(By.id("add-contact")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("page-error")).isEmpty());
            assertThat(b.find(By.id("page-error")).getText()).startsWith("Adding shared entry Everyone's plumber failed: ");
            b.screenshot("phonebook-shared-refused-phone-width");
        }
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            admin.addContact("Front desk", null, "+12125550100", true);
        }
        try (FaxlanClient alice = client("alice", password("alice"))) {
            assertThat(alice.contacts()).extracting(Contact::name).containsExactlyInAnyOrder("Dentist", "Front desk");
        }
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "alice", password("alice"));
            b.driver.get(web.base + "/phonebook");
            assertThat(b.find(By.cssSelector("#shared-contacts tbody")).getText()).contains("Front desk");
            b.screenshot("phonebook");
            b.find(By.cssSelector("#own-contacts button[aria-label='Remove Dentist']")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("notice="));
        }
        try (FaxlanClient alice = client("alice", password("alice"))) {
            assertThat(alice.contacts()).extracting(Contact::name).containsExactly("Front desk");
        }
    }

    @Test
    void anApiKeyIsShownOnceWorksAndIsRevokedInThePage() throws Exception {
        String key;
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "bob", password("bob"));
            b.find(By.linkText("API keys")).click();
            b.find(By.id("key-label")).sendKeys("billing script");
            b.find(By.id("create-key")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("new-key")).isEmpty());
            key = b.find(By.id("new-key")).getText();
            assertThat(key).startsWith("fxk_");
            // The key is in that answer only: not in the address, not in the list.
            assertThat(b.driver.getCurrentUrl()).endsWith("/keys").doesNotContain(key);
            b.screenshot("keys-created");
            try (FaxlanClient byKey = FaxlanClient.builder().server(server.address()).apiKey(key.toCharArray()).timeout(Duration.ofSeconds(30)).build()) {
                assertThat(byKey.login()).isEqualTo("user");
            }
            b.driver.get(web.base + "/keys");
            assertThat(b.find(By.id("keys")).getText()).contains("billing script").doesNotContain(key);
            b.find(By.cssSelector("button[aria-label='Revoke API key billing script']")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("notice="));
            assertThat(b.driver.findElements(By.cssSelector("#keys tbody tr"))).isEmpty();
            b.screenshot("keys");
        }
        try (FaxlanClient byKey = FaxlanClient.builder().server(server.address()).apiKey(key.toCharArray()).timeout(Duration.ofSeconds(30)).build()) {
            assertThatThrownBy(byKey::login).isInstanceOf(FaxlanException.AuthenticationFailed.class);
        }
    }

    @Test
    void anAdministratorManagesAccountsMailboxesCoversAndSeesTheLines() throws Exception {
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "admin", ADMIN_PW);
            b.find(By.linkText("Administration")).click();
            b.screenshot("admin");

            b.find(By.linkText("Accounts")).click();
            b.find(By.id("account-name")).sendKeys("dave");
            b.find(By.id("account-password")).sendKeys("dave-first-pw-1");
            submit(b, By.id("add-account"));
            assertThat(b.find(By.id("account-dave")).getText()).contains("dave", "user");
            b.find(By.id("pw-dave")).sendKeys("dave-second-pw-2");
            b.find(By.cssSelector("button[aria-label='Set the password of dave']")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.find(By.cssSelector(".notice")).getText().startsWith("Password of dave set"));
            b.screenshot("admin-accounts");
            try (FaxlanClient dave = client("dave", "dave-second-pw-2")) {
                assertThat(dave.login()).isEqualTo("user");
            }

            b.driver.get(web.base + "/admin/mailboxes");
            b.find(By.id("mailbox-name")).sendKeys("Sales");
            submit(b, By.id("add-mailbox"));
            new Select(b.find(By.id("member-Sales"))).selectByValue("dave");
            b.find(By.cssSelector("button[aria-label='Add the chosen user to Sales']")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.find(By.cssSelector(".notice")).getText().equals("dave now sees Sales."));
            assertThat(b.find(By.id("mailbox-Sales")).getText()).contains("dave");
            b.screenshot("admin-mailboxes");
            try (FaxlanClient admin = client("admin", ADMIN_PW)) {
                assertThat(admin.mailboxes()).filteredOn(m -> m.name().equals("Sales")).singleElement()
                        .satisfies(m -> assertThat(m.members()).containsExactly("dave"));
            }

            // A template that does not parse is refused before it reaches the server; a good one is stored and drawn.
            b.driver.get(web.base + "/admin/covers");
            b.find(By.id("cover-name")).sendKeys("memo");
            b.find(By.id("cover-source")).sendKeys("nonsense x=0 y=0");
            b.find(By.id("upload-cover")).click();
            Awaitility.await().atMost(PAGE).until(() -> !b.driver.findElements(By.id("page-error")).isEmpty());
            assertThat(b.find(By.id("page-error")).getText()).startsWith("Not a cover page template: ");
            b.driver.get(web.base + "/admin/covers");
            b.find(By.id("cover-name")).sendKeys("memo");
            b.find(By.id("cover-source")).sendKeys("margin 20mm\ntext x=0 y=0 size=28pt style=bold \"MEMO\"\ntext x=0 y=20mm \"To: ${to}\"");
            b.find(By.cssSelector("input[name=scope][value=shared]")).click();
            b.find(By.id("upload-cover")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("/admin/covers/memo"));
            Awaitility.await().atMost(PAGE).until(() -> WebPagesIT.naturalWidth(b, By.id("cover-preview")) > 0);
            assertThat(b.find(By.id("cover-source-text")).getText()).contains("MEMO");
            b.screenshot("admin-cover");
            try (FaxlanClient alice = client("alice", password("alice"))) {
                assertThat(alice.covers()).anySatisfy(c -> assertThat(c.name() + " " + c.kind()).isEqualTo("memo shared"));
            }

            b.driver.get(web.base + "/admin/lines");
            WebElement loopback = b.find(By.id("line-loopback"));
            assertThat(loopback.getText()).contains("loopback");
            assertThat(loopback.findElement(By.cssSelector(".line-state")).getText()).isEqualTo("ready");
            assertThat(loopback.findElement(By.cssSelector(".line-calls")).getText()).isEqualTo("0");
            b.screenshot("admin-lines");

            b.driver.get(web.base + "/admin/accounts");
            b.find(By.cssSelector("button[aria-label='Remove account dave']")).click();
            Awaitility.await().atMost(PAGE).until(() -> b.driver.getCurrentUrl().contains("notice="));
        }
        try (FaxlanClient admin = client("admin", ADMIN_PW)) {
            assertThat(admin.users()).noneMatch(u -> u.name().equals("dave"));
        }

        // A user has no Administration entry, and the server refuses the pages' calls all the same.
        try (Chromium b = Chromium.start(dir, 1280)) {
            logIn(b, "alice", password("alice"));
            assertThat(b.driver.findElements(By.linkText("Administration"))).isEmpty();
            for (String path : List.of("/admin/accounts", "/admin/lines", "/admin/routes")) {
                b.driver.get(web.base + path);
                assertThat(b.find(By.id("page-error")).getText()).as(path).contains("failed: ");
            }
            assertThat(WebInboxIT.get("/admin/lines", b.driver.manage().getCookieNamed("faxlan_session").getValue(), web).statusCode()).isEqualTo(403);
            b.screenshot("admin-refused-to-user");
        }
    }
}
