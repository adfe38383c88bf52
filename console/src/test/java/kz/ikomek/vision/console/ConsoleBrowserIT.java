package kz.ikomek.vision.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.stream.Collectors;
import kz.ikomek.vision.bridge.Incident;
import kz.ikomek.vision.bridge.IncidentAction;
import kz.ikomek.vision.config.IncidentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in Debian's Chromium (headless, through Debian's chromedriver; Selenium Manager is never asked to
 * download anything): each role logs in, the live queue updates when the bridge records an incident, an operator
 * confirms and dispatches, police see the dumping frames, a utility sees only its own and resolves one.
 * Writes the screenshots in docs/.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Duration WAIT = Duration.ofSeconds(20);

    ConsoleFixture fx;
    Path profiles;
    WebDriver driver;
    WebDriverWait wait;
    final List<Incident> dispatchedToSnow = new ArrayList<>();
    Incident dispatchedToDrains;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        fx = new ConsoleFixture(dir);
        profiles = dir.resolve("profiles");
        // A morning's worth of queue: every type, every stage.
        fx.record(IncidentType.SNOW);
        fx.record(IncidentType.FLOOD);
        fx.record(IncidentType.OPEN_MANHOLE);
        fx.record(IncidentType.DUMPING);
        fx.advance(fx.record(IncidentType.DUMPING), IncidentAction.CONFIRM);
        fx.record(IncidentType.SNOW);
        dispatchedToSnow.add(fx.advance(fx.record(IncidentType.SNOW), IncidentAction.CONFIRM, IncidentAction.DISPATCH));
        dispatchedToSnow.add(fx.advance(fx.record(IncidentType.SNOW), IncidentAction.CONFIRM, IncidentAction.DISPATCH));
        dispatchedToDrains = fx.advance(fx.record(IncidentType.FLOOD), IncidentAction.CONFIRM, IncidentAction.DISPATCH);
        fx.advance(fx.record(IncidentType.OPEN_MANHOLE), IncidentAction.REJECT);
        browser();
    }

    @AfterAll
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        fx.close();
    }

    /** Each test starts logged out, in the same browser: starting Chromium once keeps the suite quick. */
    @BeforeEach
    void loggedOut() {
        driver.manage().deleteAllCookies();
        driver.get("about:blank");
    }

    private void browser() throws java.io.IOException {
        assertThat(new File(CHROMIUM).canExecute()).as("Debian's chromium (apt-get install chromium)").isTrue();
        assertThat(new File(CHROMEDRIVER).canExecute()).as("Debian's chromedriver (apt-get install chromium-driver)").isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1600,1200", "--force-device-scale-factor=1", "--lang=en-GB",
                "--user-data-dir=" + Files.createTempDirectory(Files.createDirectories(profiles), "chromium"));
        // Browser console messages, to catch anything the Content-Security-Policy refused.
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT);
    }

    /** The pages use no inline script or style: a CSP refusal would mean a broken page in production too. */
    @AfterEach
    void nothingRefusedByTheContentSecurityPolicy() {
        List<String> refused = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Content Security Policy") || m.contains("Refused to"))
                .toList();
        assertThat(refused).isEmpty();
    }

    private void login(String user) {
        driver.get(fx.url("/"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username"))).sendKeys(user);
        driver.findElement(By.id("login-password")).sendKeys(ConsoleFixture.PASSWORD);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("user-chip"), user));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("live-text"), "live"));
    }

    private Set<String> rowIds() {
        return driver.findElements(By.cssSelector("#incident-list .incident-row")).stream()
                .map(e -> e.getAttribute("data-id")).collect(Collectors.toSet());
    }

    private By row(String id) {
        return By.cssSelector(".incident-row[data-id='" + id + "']");
    }

    private void open(String id) {
        wait.until(ExpectedConditions.elementToBeClickable(row(id))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#detail .detail-sub"), id));
    }

    private void framesLoaded(int count) {
        wait.until(d -> {
            List<WebElement> imgs = d.findElements(By.cssSelector("#detail .frame img"));
            return imgs.size() == count && imgs.stream().allMatch(i ->
                    Boolean.TRUE.equals(((org.openqa.selenium.JavascriptExecutor) d)
                            .executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", i)));
        });
    }

    private void screenshot(String name) throws Exception {
        Path docs = Path.of("..", "docs");
        Files.createDirectories(docs);
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(docs.resolve(name), png);
        assertThat(png.length).isGreaterThan(20_000);
    }

    @Test
    void a_wrong_password_is_refused_on_the_page() {
        driver.get(fx.url("/"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-username"))).sendKeys("operator");
        driver.findElement(By.id("login-password")).sendKeys("not-the-password");
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "wrong username or password"));
        assertThat(driver.findElement(By.id("app-view")).isDisplayed()).isFalse();
        // The console log reaches the test (so the CSP check after each test can see a refusal): the 401 is there.
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll()).extracting(LogEntry::getMessage)
                .anyMatch(m -> m.contains("/api/login") && m.contains("401"));
    }

    @Test
    void an_operator_sees_a_new_incident_arrive_live_then_confirms_and_dispatches_it() throws Exception {
        login("operator");
        wait.until(d -> rowIds().size() >= 10);
        Incident fresh = fx.record(IncidentType.SNOW);
        wait.until(ExpectedConditions.presenceOfElementLocated(row(fresh.id())));
        open(fresh.id());
        framesLoaded(1);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='confirm']"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("detail-state"), "Confirmed"));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='dispatch']"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("detail-state"), "Dispatched"));
        assertThat(fx.bridge.get(fresh.id()).orElseThrow().state().name()).isEqualTo("DISPATCHED");
        dispatchedToSnow.add(fx.bridge.get(fresh.id()).orElseThrow());

        // a false alarm needs a reason on the page as well
        Incident manhole = fx.record(IncidentType.OPEN_MANHOLE);
        open(manhole.id());
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='reject']"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("reason-input"))).sendKeys("cover is in place, shadow");
        driver.findElement(By.id("reason-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("detail-state"), "Rejected"));

        Incident dumping = fx.record(IncidentType.DUMPING);
        open(dumping.id());
        framesLoaded(4);
        wait.until(d -> d.findElements(By.cssSelector("#detail .frame svg.zones")).size() == 4);
        wait.until(d -> !d.findElements(By.cssSelector("#detail-map svg .map-point")).isEmpty());
        screenshot("console-operator.png");
    }

    @Test
    void police_see_only_dumping_with_before_during_after_frames_and_an_export() throws Exception {
        login("police");
        wait.until(d -> !rowIds().isEmpty());
        List<WebElement> rows = driver.findElements(By.cssSelector("#incident-list .incident-row"));
        assertThat(rows).allSatisfy(r -> assertThat(r.findElement(By.className("row-title")).getText()).startsWith("Dumping"));
        Incident live = fx.record(IncidentType.DUMPING);
        fx.record(IncidentType.SNOW); // must not reach the police queue
        wait.until(ExpectedConditions.presenceOfElementLocated(row(live.id())));
        open(live.id());
        framesLoaded(4);
        List<String> roles = driver.findElements(By.cssSelector("#detail .frame")).stream()
                .map(f -> f.getAttribute("data-role")).toList();
        assertThat(roles).containsExactly("before", "during", "after", "vehicle");
        assertThat(driver.findElement(By.id("export")).getAttribute("href")).endsWith("/api/incidents/" + live.id() + "/export");
        assertThat(driver.findElements(By.cssSelector("button[data-action='dispatch']"))).isEmpty();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='confirm']"))).click();
        wait.until(ExpectedConditions.textToBe(By.id("detail-state"), "Confirmed"));
        assertThat(rowIds()).allMatch(id -> fx.bridge.get(id).orElseThrow().type() == IncidentType.DUMPING);
        screenshot("console-police.png");
    }

    @Test
    void a_utility_sees_only_incidents_dispatched_to_its_service_and_resolves_one_with_a_comment() throws Exception {
        login("utility");
        Set<String> expected = dispatchedToSnow.stream().map(Incident::id).collect(Collectors.toSet());
        wait.until(d -> rowIds().containsAll(expected));
        assertThat(rowIds()).doesNotContain(dispatchedToDrains.id());
        assertThat(rowIds()).allMatch(id -> {
            Incident i = fx.bridge.get(id).orElseThrow();
            return "snow-removal".equals(i.serviceCode()) && i.history().stream().anyMatch(t -> t.to().name().equals("DISPATCHED"));
        });
        // an incident dispatched while the page is open appears live
        Incident late = fx.advance(fx.record(IncidentType.SNOW), IncidentAction.CONFIRM, IncidentAction.DISPATCH);
        wait.until(ExpectedConditions.presenceOfElementLocated(row(late.id())));
        String target = dispatchedToSnow.get(0).id();
        open(target);
        framesLoaded(1);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("button[data-action='resolve']"))).click();
        driver.findElement(By.id("reason-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "comment is required"));
        driver.findElement(By.id("reason-input")).sendKeys("Plough and grader passed at 07:40, lane clear");
        driver.findElement(By.id("reason-submit")).click();
        wait.until(ExpectedConditions.textToBe(By.id("detail-state"), "Resolved"));
        assertThat(fx.bridge.get(target).orElseThrow().history()).last()
                .satisfies(t -> assertThat(t.reason()).isEqualTo("Plough and grader passed at 07:40, lane clear"));
        open(dispatchedToSnow.get(1).id());
        framesLoaded(1);
        screenshot("console-utility.png");
    }

    @Test
    void an_admin_reads_the_verified_audit_log_and_pages_through_thousands_of_cameras() throws Exception {
        login("admin");
        driver.findElement(By.cssSelector(".tab[data-tab='audit']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-verify"), "hash chain verified"));
        assertThat(driver.findElements(By.cssSelector("#audit-rows tr"))).isNotEmpty();
        driver.findElement(By.cssSelector(".tab[data-tab='cameras']")).click();
        wait.until(ExpectedConditions.textToBe(By.id("cam-page"), "1–100 of " + ConsoleFixture.CAMERAS));
        assertThat(driver.findElements(By.cssSelector("#camera-rows tr"))).hasSize(100);
        driver.findElement(By.id("cam-next")).click();
        wait.until(ExpectedConditions.textToBe(By.id("cam-page"), "101–200 of " + ConsoleFixture.CAMERAS));
        assertThat(driver.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        driver.findElement(By.cssSelector("#camera-states .chip.c-unreachable")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cam-page"), "1–"));
        assertThat(driver.findElements(By.cssSelector("#camera-rows td.c-unreachable"))).isNotEmpty();
        driver.findElement(By.cssSelector("#camera-states .chip")).click();
        wait.until(ExpectedConditions.textToBe(By.id("cam-page"), "1–100 of " + ConsoleFixture.CAMERAS));
        screenshot("console-cameras.png");
    }
}
