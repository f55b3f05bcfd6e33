package io.starconsole.e2e.viewer;

import io.starconsole.agent.Box;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.simulation.SimulatedFleet;
import io.starconsole.launcher.StarConsole;
import io.starconsole.localcloud.LocalCloudSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer's OTA pages in headless Chromium against the whole console: a release published with
 * the real publisher, rolled out through the release page's form to two simulated boxes that trust
 * the console's signing key, and followed live on the rollout page until both run the new version.
 */
class OtaPagesBrowserTest {

    private static ViewerConsole running;
    private static StarConsole console;
    private static Browser browser;
    private static String adminPassword;
    private static String adminToken;

    @BeforeAll
    static void start() throws Exception {
        running = ViewerConsole.start("star-console-ota-viewer", Map.of(
                "STAR_CONSOLE_OTA_HEALTH_DEADLINE", "PT60S",
                "STAR_CONSOLE_COMMANDS_SWEEP_EVERY", "1s",
                "STAR_CONSOLE_PRESENCE_CHECK_EVERY", "1s"));
        console = running.console;
        adminPassword = console.adminPassword();
        adminToken = running.login("admin", adminPassword);
        browser = Browser.open(running.base());
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

    private static AgentConfig boxes(String id, String group) throws IOException {
        return AgentConfig.defaults()
                .with(Option.EDGE, "127.0.0.1:" + console.ports().udp())
                .with(Option.EDGE_PUBLIC_KEY_FILE, console.edgePublicKeyFile().toString())
                .with(Option.OTA_TRUSTED_KEYS_FILE, console.otaTrustedKeysFile().toString())
                .with(Option.STATE_DIRECTORY, running.scratchDirectory("ota-viewer-boxes").toString())
                .with(Option.GROUP, group)
                .with(Option.ID, id)
                .with(Option.FIRMWARE_VERSION, "1.0.0")
                .with(Option.PING_INTERVAL, "PT1S")
                .with(Option.OTA_HEALTH_DEADLINE, "PT20S");
    }

    /** Publishes a random image with the real publisher, as an operator would; returns the release id. */
    private static long publish(String version) throws Exception {
        byte[] bytes = new byte[400_000];
        new Random(7).nextBytes(bytes);
        Path image = running.scratchDirectory("firmware").resolve("firmware.img");
        Files.write(image, bytes);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar",
                ViewerConsole.HOME.resolve("ota-bucket/target/star-console-publish.jar").toString(),
                "--image", image.toString(), "--model", "spnbox-sim", "--version", version,
                "--url", running.base(), "--user", "admin",
                "--s3-endpoint", "http://127.0.0.1:" + console.ports().objectStore(),
                "--bucket", LocalCloudSettings.DEFAULT_BUCKET,
                "--access-key", LocalCloudSettings.LOCAL_ACCESS_KEY,
                "--secret-key", LocalCloudSettings.LOCAL_SECRET_KEY,
                "--region", "us-east-1", "--path-style")
                .redirectErrorStream(true);
        builder.environment().put("STAR_CONSOLE_PASSWORD", adminPassword);
        Path log = running.scratchDirectory("publish").resolve("publish.log");
        Process publisher = builder.redirectOutput(log.toFile()).start();
        assertThat(publisher.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(publisher.exitValue()).as(Files.readString(log)).isZero();
        List<Map<String, Object>> releases = running.api(adminToken).queryParam("size", 200).get("/api/v1/releases")
                .then().statusCode(200).extract().jsonPath().getList("items");
        return releases.stream().filter(r -> version.equals(r.get("version")))
                .map(r -> ((Number) r.get("id")).longValue()).findFirst()
                .orElseThrow(() -> new AssertionError("release " + version + " not listed"));
    }

    private static String firmwareVersionOf(Box box) {
        List<String> versions = running.api(adminToken).queryParam("q", box.publicKey().toBase64())
                .get("/api/v1/boxes").then().statusCode(200).extract().path("items.firmwareVersion");
        return versions.isEmpty() ? null : versions.get(0);
    }

    @Test
    void releaseRolledOutThroughTheForm_isFollowedLiveUntilBothBoxesSucceed_andAViewerSeesNoForm() throws Exception {
        long release = publish("2.0.0");
        String group = "ota-yard-" + UUID.randomUUID().toString().substring(0, 6);
        String viewer = "ota-viewer-" + UUID.randomUUID().toString().substring(0, 6);
        String viewerPassword = "viewer-password-long";
        running.api(adminToken).body(Map.of("username", viewer, "password", viewerPassword, "role", "viewer"))
                .post("/api/v1/admins").then().statusCode(201);

        try (SimulatedFleet fleet = SimulatedFleet.start(boxes("ota-yard", group), 2)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(60))).isTrue();

            browser.logIn("admin", adminPassword);
            browser.driver.findElement(By.cssSelector("#nav a[href='#/releases']")).click();
            WebElement row = browser.await(By.cssSelector("#release-table tr[data-release='" + release + "']"));
            assertThat(row.getText()).contains("spnbox-sim", "2.0.0", "published");
            browser.screenshot("20-releases");
            row.findElement(By.cssSelector("a.release-link")).click();

            browser.until(d -> d.findElement(By.id("release-title")).getText().equals("Release spnbox-sim 2.0.0"));
            WebElement form = browser.await(By.id("rollout-form"));
            form.findElement(By.id("ro-value")).sendKeys(group);
            browser.until(d -> d.findElement(By.id("ro-preview")).getText().equals("This reaches 2 boxes now."));

            // The waves are checked in the page before anything is sent.
            WebElement waves = form.findElement(By.id("ro-waves"));
            waves.clear();
            waves.sendKeys("50, 10");
            form.findElement(By.id("ro-submit")).click();
            assertThat(browser.await(By.cssSelector("#ro-feedback .error")).getText()).isEqualTo("The waves must be ascending.");
            assertThat(waves.getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.driver.findElements(By.tagName("dialog"))).isEmpty();

            waves.clear();
            waves.sendKeys("50, 100");
            form.findElement(By.id("ro-force")).click();
            assertThat(browser.driver.findElement(By.id("ro-force-warning")).isDisplayed()).isTrue();
            form.findElement(By.id("ro-force")).click();
            form.findElement(By.id("ro-submit")).click();
            WebElement confirm = browser.await(By.id("confirm-text"));
            assertThat(confirm.getText()).contains("group " + group).contains("2 boxes").contains("50, 100");
            browser.screenshot("21-rollout-confirm");
            browser.driver.findElement(By.id("confirm-yes")).click();

            browser.until(d -> d.getCurrentUrl().matches(".*#/rollouts/\\d+$"));
            String rollout = browser.driver.getCurrentUrl().replaceAll(".*#/rollouts/", "");
            browser.until(d -> d.findElements(By.cssSelector("#rollout-boxes tbody tr")).size() == 2);
            browser.screenshot("22-rollout-running");
            browser.until(d -> d.findElements(By.cssSelector("#rollout-boxes td.state.succeeded")).size() == 2,
                    Duration.ofSeconds(180));
            browser.until(d -> d.findElement(By.id("rollout-state")).getText().equals("completed"), Duration.ofSeconds(60));
            assertThat(browser.driver.findElement(By.id("rollout-wave")).getText()).isEqualTo("wave 2 of 2 (50 %, 100 %)");
            assertThat(browser.driver.findElement(By.cssSelector("[data-count=succeeded] strong")).getText()).isEqualTo("2");
            assertThat(browser.driver.findElement(By.id("rollout-halt")).isDisplayed()).isFalse();
            browser.screenshot("23-rollout-completed");
            ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                    "document.getElementById('rollout-boxes').scrollIntoView();");
            browser.screenshot("23-rollout-completed-boxes");
            for (Box box : fleet.boxes()) {
                assertThat(firmwareVersionOf(box)).isEqualTo("2.0.0");
            }

            browser.go("#/rollouts");
            browser.await(By.cssSelector("#rollout-table tr[data-rollout='" + rollout + "']"));
            browser.until(d -> d.findElement(By.cssSelector("#rollout-table tr[data-rollout='" + rollout + "']"))
                    .getText().contains("2 succeeded of 2"));
            browser.screenshot("24-rollouts");

            // A viewer sees the same pages without the forms and buttons.
            browser.logIn(viewer, viewerPassword);
            browser.go("#/releases/" + release);
            browser.await(By.id("release-record"));
            browser.await(By.cssSelector("#release-rollouts tr[data-rollout='" + rollout + "']"));
            assertThat(browser.driver.findElements(By.id("rollout-form"))).isEmpty();
            assertThat(browser.driver.findElement(By.id("release-withdraw")).isDisplayed()).isFalse();
            browser.screenshot("25-viewer-release");
            browser.go("#/releases");
            browser.await(By.cssSelector("#release-table tr[data-release='" + release + "']"));
            assertThat(browser.driver.findElements(By.xpath("//table[@id='release-table']//button[text()='Withdraw']"))).isEmpty();
            browser.go("#/rollouts/" + rollout);
            browser.await(By.cssSelector("#rollout-boxes tbody tr"));
            assertThat(browser.driver.findElement(By.id("rollout-halt")).isDisplayed()).isFalse();
            assertThat(browser.driver.findElement(By.id("rollout-resume")).isDisplayed()).isFalse();
        }
    }
}
