package dev.faxlan.it;

import dev.faxlan.testkit.PortRetry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.awaitility.Awaitility;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver (packages {@code chromium} and
 * {@code chromium-driver}). Selenium Manager stays off: the driver is named here, nothing is downloaded.
 * Screenshots go to {@code target/screenshots/} as test artefacts.
 */
final class Chromium implements AutoCloseable {
    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** How long a page may take to show an element on a busy machine. */
    static final Duration APPEAR = Duration.ofSeconds(60);

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the test without chromium and chromedriver, except under CI=true, where it fails. */
    static void require() {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) return;
        String reason = "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)";
        if ("true".equals(System.getenv("CI"))) Assertions.fail(reason + " (CI=true: the browser tests must run)");
        System.out.println("SKIPPED (chromium): " + reason);
        Assumptions.abort(reason);
    }

    /** A fresh browser with its own empty profile under {@code dir}; its window is {@code width} pixels wide. */
    static Chromium start(Path dir, int width) throws IOException {
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        System.setProperty("SE_MANAGER", "off");
        Path profile = Files.createTempDirectory(dir, "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + ",1000");
        // chromedriver's port is chosen here and handed to it: taken meanwhile, it is started again on another.
        ChromeDriver driver = PortRetry.onAddressInUse("chromedriver", attempt -> {
            Path log = Files.createTempFile(dir, "chromedriver-", ".log");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort()
                    .withLogFile(log.toFile()).withTimeout(Duration.ofSeconds(90)).build();
            try {
                return new ChromeDriver(service, options);
            } catch (RuntimeException e) {
                String out = Files.exists(log) ? Files.readString(log) : "";
                if (PortRetry.inUse(out)) throw new PortRetry.PortTaken("chromedriver: " + out.strip(), e);
                throw e;
            }
        });
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(120)).scriptTimeout(Duration.ofSeconds(120));
        return new Chromium(driver, profile);
    }

    /**
     * The element {@code by} finds, once the page shows it: a click that submits a form returns before the
     * answer is drawn, so a lookup straight after it may still see the page before.
     */
    WebElement find(By by) {
        return Awaitility.await().atMost(APPEAR).ignoreException(NoSuchElementException.class)
                .until(() -> driver.findElement(by), e -> true);
    }

    /** Fills in and sends faxlan web's login form at {@code base} (the caller waits for what it expects next). */
    void logIn(String base, String user, String password) {
        driver.get(base + "/login");
        find(By.id("user")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("form[action='/login'] button[type=submit]")).click();
    }

    /** Saves what the browser shows as {@code target/screenshots/NAME.png}. */
    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
        dev.faxlan.documents.WorkDirectories.delete(profile);
    }
}
