package io.starconsole.e2e.viewer;

import io.restassured.specification.RequestSpecification;
import io.starconsole.agent.Box;
import io.starconsole.agent.backend.SandboxBackend;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.simulation.SimulatedFleet;
import io.starconsole.launcher.StarConsole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer in a real headless Chromium against the whole console (local cloud, functions, edge as
 * their own processes, through the launcher) and simulated boxes over real UDP. Presence is tuned
 * short (offline after 3 s). Each step leaves a screenshot in target/screenshots.
 */
class ViewerBrowserTest {

    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(60);
    private static final String XSS = "<img src=x onerror=alert(1)>";

    private static ViewerConsole running;
    private static StarConsole console;
    private static Browser browser;
    private static String adminPassword;
    private static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        running = ViewerConsole.start("star-console-viewer", Map.of("STAR_CONSOLE_PRESENCE_OFFLINE_AFTER", "PT3S", "STAR_CONSOLE_PRESENCE_CHECK_EVERY", "1s"));
        console = running.console;
        adminPassword = console.adminPassword();
        adminToken = login("admin", adminPassword);
        browser = Browser.open(base());
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (running != null) {
            running.close();
        }
    }

    private static String base() {
        return running.base();
    }

    private static String login(String username, String password) {
        return running.login(username, password);
    }

    private static RequestSpecification api(String token) {
        return running.api(token);
    }

    private static AgentConfig boxes(String id) throws IOException {
        return AgentConfig.defaults()
                .with(Option.EDGE, "127.0.0.1:" + console.ports().udp())
                .with(Option.EDGE_PUBLIC_KEY_FILE, console.edgePublicKeyFile().toString())
                .with(Option.STATE_DIRECTORY, running.scratchDirectory("viewer-boxes").toString())
                .with(Option.ID, id)
                .with(Option.PING_INTERVAL, "PT1S");
    }

    /** The API id of a box, found by its public key. */
    private static int boxId(Box box) {
        List<Integer> ids = api(adminToken).queryParam("q", box.publicKey().toBase64())
                .get("/api/v1/boxes").then().statusCode(200).extract().path("items.id");
        assertThat(ids).hasSize(1);
        return ids.get(0);
    }

    /** The list's row of a box by its id string (one lookup, so a live update cannot make it stale). */
    private static WebElement row(String idString) {
        List<WebElement> rows = browser.driver.findElements(By.xpath(
                "//tbody[@id='box-rows']/tr[.//a[@class='box-link' and text()='" + idString + "']]"));
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static void search(String text) {
        WebElement search = browser.await(By.id("box-search"));
        search.clear();
        search.sendKeys(text);
    }

    @Test
    void login_wrongPasswordShowsAClearMessage_thenTheRightOneOpensTheOverview() throws IOException {
        browser.openLoggedOut("#/boxes");
        browser.await(By.id("login-username")).sendKeys("admin");
        browser.driver.findElement(By.id("login-password")).sendKeys("not-the-password");
        browser.driver.findElement(By.id("login-submit")).click();
        WebElement error = browser.await(By.cssSelector("#login-error .error"));
        assertThat(error.getText()).isEqualTo("Wrong username or password.");
        assertThat(error.getAttribute("role")).isEqualTo("alert");
        browser.screenshot("01-login-wrong-password");

        browser.driver.findElement(By.id("login-password")).sendKeys(adminPassword);
        browser.driver.findElement(By.id("login-submit")).click();
        // Back to where the user wanted to go.
        browser.until(d -> d.getCurrentUrl().endsWith("#/boxes"));
        browser.await(By.id("box-table"));
        browser.go("#/overview");
        browser.until(d -> !d.findElement(By.cssSelector("[data-count=total]")).getText().equals("…"));
        browser.screenshot("02-overview");

        browser.driver.findElement(By.id("logout")).click();
        browser.until(d -> d.getCurrentUrl().endsWith("#/login"));
        assertThat(browser.await(By.id("notice")).getText()).isEqualTo("You are logged out.");
    }

    @Test
    void boxes_appearLiveWithoutReload_andAStoppedBoxGoesOffline() throws Exception {
        browser.logIn("admin", adminPassword);
        browser.go("#/boxes");
        String prefix = "live-" + UUID.randomUUID().toString().substring(0, 6);
        search(prefix);
        browser.until(d -> d.findElement(By.id("box-summary")).getText().equals("No boxes match."));
        // Mark the document: a reload would lose the mark.
        ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("window.__noReload = true;");

        try (SimulatedFleet fleet = SimulatedFleet.start(boxes(prefix), 3)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            browser.until(d -> d.findElements(By.cssSelector("#box-rows tr[data-status=online]")).size() == 3);
            assertThat((Boolean) ((org.openqa.selenium.JavascriptExecutor) browser.driver)
                    .executeScript("return window.__noReload === true;")).isTrue();
            WebElement first = row(prefix + "-1");
            assertThat(first).isNotNull();
            Box box = fleet.boxes().get(0);
            String key = box.publicKey().toBase64();
            assertThat(first.findElement(By.cssSelector("td.key span")).getAttribute("title")).isEqualTo(key);
            assertThat(first.findElement(By.cssSelector("td.key button")).getText()).isEqualTo("Copy");
            assertThat(first.findElement(By.cssSelector("td[data-label='SPN IP']")).getText()).startsWith("10.99.");
            browser.screenshot("03-boxes-online");

            box.stop();
            browser.until(d -> "offline".equals(row(prefix + "-1").getAttribute("data-status")), Duration.ofSeconds(20));
            assertThat(row(prefix + "-2").getAttribute("data-status")).isEqualTo("online");
            browser.screenshot("04-box-offline");

            browser.resize(420, 900);
            browser.screenshot("05-boxes-narrow");
            browser.resize(1280, 900);
        }
    }

    @Test
    void rename_throughTheDetailPageForm_reachesTheBox() throws Exception {
        browser.logIn("admin", adminPassword);
        try (SimulatedFleet fleet = SimulatedFleet.start(boxes("rename"), 1)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            Box box = fleet.boxes().get(0);
            browser.go("#/boxes/" + boxId(box));
            WebElement form = browser.await(By.id("box-command-form"));
            new Select(form.findElement(By.name("type"))).selectByValue("CHANGE_SPNBOX_NAME");

            // Checked in the page before anything is sent.
            WebElement hostname = form.findElement(By.cssSelector("input[data-field=hostname]"));
            hostname.sendKeys("not a hostname!");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            assertThat(browser.await(By.cssSelector("#box-command-form .error")).getText()).contains("RFC 1123");
            assertThat(hostname.getAttribute("aria-invalid")).isEqualTo("true");

            hostname.clear();
            hostname.sendKeys("renamed-by-viewer");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            browser.await(By.cssSelector("#box-command-form .ok"));
            Path file = box.sandboxDirectory().resolve(SandboxBackend.HOSTNAME);
            browser.until(d -> Files.exists(file) && readTrimmed(file).equals("renamed-by-viewer"),
                    Duration.ofSeconds(30));
            browser.until(d -> d.findElements(By.cssSelector("#box-commands td.state.succeeded")).size() == 1);
            browser.screenshot("06-rename-succeeded");
        }
    }

    private static String readTrimmed(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aBoxNamedLikeMarkup_isShownAsText() throws Exception {
        browser.logIn("admin", adminPassword);
        browser.go("#/boxes");
        try (SimulatedFleet fleet = SimulatedFleet.start(boxes(XSS), 1)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            String name = XSS + "-1";
            search("onerror");
            browser.until(d -> row(name) != null);
            assertThat(browser.driver.findElements(By.cssSelector("#view img"))).isEmpty();
            assertThat(browser.alertShown()).isFalse();
            browser.screenshot("07-xss-list");

            browser.go("#/boxes/" + boxId(fleet.boxes().get(0)));
            assertThat(browser.await(By.id("box-title")).getText()).isEqualTo(name);
            // The record is redrawn by each live update: look it up inside the wait.
            browser.until(d -> d.findElement(By.id("box-id-string")).getText().equals(name));
            assertThat(browser.driver.findElements(By.tagName("img"))).isEmpty();
            assertThat(browser.alertShown()).isFalse();
            browser.screenshot("08-xss-detail");
        }
    }

    @Test
    void groupCommand_showsHowManyBoxesItReaches_andItsDeliveriesLive() throws Exception {
        browser.logIn("admin", adminPassword);
        String group = "yard-" + UUID.randomUUID().toString().substring(0, 6);
        try (SimulatedFleet fleet = SimulatedFleet.start(boxes("yard").with(Option.GROUP, group), 2)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            browser.go("#/commands");
            WebElement groupName = browser.await(By.id("bc-group"));
            groupName.sendKeys(group);
            browser.until(d -> d.findElement(By.id("bc-preview")).getText().equals("This reaches 2 boxes now."));
            WebElement form = browser.driver.findElement(By.cssSelector("form.command-form"));
            new Select(form.findElement(By.name("type"))).selectByValue("CHANGE_SPNBOX_NAME");
            form.findElement(By.cssSelector("input[data-field=hostname]")).sendKeys("yard-gateway");
            form.findElement(By.cssSelector("button[type=submit]")).click();

            WebElement confirm = browser.await(By.id("confirm-text"));
            assertThat(confirm.getText()).contains("group " + group).contains("2 boxes");
            browser.screenshot("10-group-command-confirm");
            browser.driver.findElement(By.id("confirm-yes")).click();
            browser.await(By.cssSelector("form.command-form .ok a")).click();

            browser.until(d -> d.findElements(By.cssSelector("#delivery-table td.state.succeeded")).size() == 2);
            for (Box box : fleet.boxes()) {
                assertThat(readTrimmed(box.sandboxDirectory().resolve(SandboxBackend.HOSTNAME))).isEqualTo("yard-gateway");
            }
            browser.screenshot("11-group-command-deliveries");
        }
    }

    @Test
    void tenThousandBoxes_arePagedSortedAndSearchedByTheApi() throws Exception {
        try (Connection c = DriverManager.getConnection(console.jdbcUrl(), "spnbox", "spnbox");
             Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO spnclients (realip, vpnip, publickey, edport, mac_addr, spnbox_id, created_date,"
                    + " online, last_seen) SELECT '198.18.' || (g / 256) || '.' || (g % 256), 'bulk-' || g,"
                    + " 'bulk' || lpad(g::text, 39, '0') || '=', 0, '02:00:00:00:00:00', 'bulk-' || g, current_date,"
                    + " false, now() - g * interval '1 second' FROM generate_series(1, 10000) g");
        }
        browser.logIn("admin", adminPassword);
        browser.go("#/boxes");
        long started = System.nanoTime();
        search("bulk-");
        browser.until(d -> d.findElement(By.id("box-summary")).getText().startsWith("10000 boxes match"));
        assertThat(browser.driver.findElements(By.cssSelector("#box-rows tr"))).hasSize(50);

        // Newest last-seen first: bulk-1 was seen most recently.
        browser.driver.findElement(By.cssSelector("th[data-sort=lastSeen] button")).click();
        browser.driver.findElement(By.cssSelector("th[data-sort=lastSeen] button")).click();
        browser.until(d -> "descending".equals(d.findElement(By.cssSelector("th[data-sort=lastSeen]")).getAttribute("aria-sort"))
                && row("bulk-1") != null && row("bulk-1").equals(d.findElement(By.cssSelector("#box-rows tr"))));
        browser.driver.findElement(By.xpath("//nav[@class='pager']/button[text()='Next']")).click();
        browser.until(d -> row("bulk-51") != null);
        assertThat(browser.driver.findElement(By.cssSelector(".pager-info")).getText()).isEqualTo("Page 2 of 200 (10000 in all)");
        assertThat(browser.driver.findElements(By.cssSelector("#box-rows tr"))).hasSize(50);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        browser.screenshot("12-ten-thousand-boxes");
    }

    @Test
    void aViewer_seesNoCommandForms_andTheApiRefusesItsCommands() throws Exception {
        String name = "viewer-" + UUID.randomUUID().toString().substring(0, 6);
        String password = "viewer-password-long";
        api(adminToken).body(Map.of("username", name, "password", password, "role", "viewer"))
                .post("/api/v1/admins").then().statusCode(201);
        try (SimulatedFleet fleet = SimulatedFleet.start(boxes("watched"), 1)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            int id = boxId(fleet.boxes().get(0));

            browser.logIn(name, password);
            assertThat(browser.driver.findElement(By.id("session-user")).getText()).isEqualTo(name + " (viewer)");
            browser.go("#/boxes/" + id);
            browser.await(By.id("box-record"));
            assertThat(browser.driver.findElements(By.id("box-command-form"))).isEmpty();
            assertThat(browser.driver.findElements(By.tagName("form"))).isEmpty();
            browser.screenshot("09-viewer-box-detail");
            browser.go("#/commands");
            browser.await(By.cssSelector("h1"));
            assertThat(browser.driver.findElements(By.cssSelector("form.command-form"))).isEmpty();
            assertThat(browser.driver.findElement(By.cssSelector("#nav li[data-role=admin]")).isDisplayed()).isFalse();

            String token = login(name, password);
            api(token).body(Map.of("type", "CHANGE_SPNBOX_NAME", "target", Map.of("box", String.valueOf(id)),
                            "arguments", "sneaky", "priority", "normal"))
                    .post("/api/v1/commands").then().statusCode(403).body("code", org.hamcrest.Matchers.equalTo("forbidden"));
            api(token).post("/api/v1/boxes/" + id + "/reject").then().statusCode(403);
        }
    }
}
