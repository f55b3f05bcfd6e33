package io.starconsole.e2e;

import io.restassured.path.json.JsonPath;
import io.starconsole.agent.Box;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.simulation.SimulatedFleet;
import io.starconsole.localcloud.LocalCloudSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Firmware updates through every real part: the publisher encrypts and uploads to the S3 API
 * server, the functions sign and roll out in waves, the edge relays, and agents download (from the
 * object store, by presigned URL), verify, install into their inactive slot, re-register on the new
 * version — or refuse a tampered image, or roll back an unhealthy one.
 */
class OtaEndToEndTest {

    private static RunningConsole console;

    @BeforeAll
    static void startConsole() throws Exception {
        console = RunningConsole.start(Map.of(
                "STAR_CONSOLE_OTA_HEALTH_DEADLINE", "PT60S",
                "STAR_CONSOLE_COMMANDS_SWEEP_EVERY", "1s",
                "STAR_CONSOLE_PRESENCE_CHECK_EVERY", "1s"));
    }

    @AfterAll
    static void stopConsole() {
        if (console != null) {
            console.close();
        }
    }

    private static AgentConfig boxes(String name, String group) throws IOException {
        return AgentConfig.defaults()
                .with(Option.EDGE, "127.0.0.1:" + console.udpPort())
                .with(Option.EDGE_PUBLIC_KEY_FILE, console.console.edgePublicKeyFile().toString())
                .with(Option.OTA_TRUSTED_KEYS_FILE, console.console.otaTrustedKeysFile().toString())
                .with(Option.STATE_DIRECTORY, console.scratchDirectory("e2e-" + name).toString())
                .with(Option.GROUP, group)
                .with(Option.ID, name)
                .with(Option.FIRMWARE_VERSION, "1.0.0")
                .with(Option.PING_INTERVAL, "PT1S")
                .with(Option.OTA_HEALTH_DEADLINE, "PT20S");
    }

    @Test
    void release_rolledOutToTwentyBoxesInTwoWaves_allRunTheNewVersion() throws Exception {
        long release = publish("2.0.0", image(3_000_000, false));
        try (SimulatedFleet fleet = SimulatedFleet.start(boxes("wave", "ota-waves"), 20)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(90))).isTrue();
            long rollout = rollout(release, "ota-waves", List.of(50, 100));
            JsonPath done = awaitRollout(rollout, Duration.ofSeconds(180));
            assertThat(done.getString("state")).isEqualTo("completed");
            assertThat(done.getInt("counts.succeeded")).isEqualTo(20);
            for (Box box : fleet.boxes()) {
                assertThat(firmwareVersionOf(box)).as("the registry sees the box on the new version")
                        .isEqualTo("2.0.0");
            }
        }
    }

    @Test
    void tamperedImage_isRefusedByEveryBox_andTheRolloutHaltsItself() throws Exception {
        long release = publish("3.0.0", image(1_000_000, false));
        // Someone with write access to the bucket changes the image after it was signed.
        try (S3Client s3 = s3()) {
            String key = "firmware/spnbox-sim/3.0.0/image.enc";
            byte[] image = s3.getObjectAsBytes(b -> b.bucket(LocalCloudSettings.DEFAULT_BUCKET).key(key)).asByteArray();
            image[image.length / 2] ^= 0x01;
            s3.putObject(b -> b.bucket(LocalCloudSettings.DEFAULT_BUCKET).key(key), RequestBody.fromBytes(image));
        }
        try (SimulatedFleet fleet = SimulatedFleet.start(boxes("tampered", "ota-tampered"), 4)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(60))).isTrue();
            long rollout = rollout(release, "ota-tampered", List.of(50, 100));
            JsonPath halted = awaitRollout(rollout, Duration.ofSeconds(120));
            assertThat(halted.getString("state")).isEqualTo("halted");
            assertThat(halted.getInt("counts.succeeded")).isZero();
            assertThat(halted.getInt("counts.failed")).as("the first wave refused it").isEqualTo(2);
            for (Box box : fleet.boxes()) {
                assertThat(firmwareVersionOf(box)).as("no box installed it").isEqualTo("1.0.0");
            }
        }
    }

    @Test
    void unhealthyRelease_isRolledBackByTheBox_andReportedSo() throws Exception {
        long release = publish("4.0.0", image(500_000, true));
        try (SimulatedFleet fleet = SimulatedFleet.start(boxes("unhealthy", "ota-unhealthy"), 1)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(60))).isTrue();
            long rollout = rollout(release, "ota-unhealthy", List.of(100));
            awaitRollout(rollout, Duration.ofSeconds(120));
            JsonPath box = new JsonPath(console.api().get("/api/v1/rollouts/" + rollout + "/boxes").asString())
                    .setRootPath("items[0]");
            assertThat(box.getString("state")).isEqualTo("rolled_back");
            assertThat(firmwareVersionOf(fleet.boxes().get(0))).isEqualTo("1.0.0");
        }
    }

    // --- helpers ---

    /** A firmware image; an unhealthy one carries the marker the sandbox's health check refuses. */
    private static Path image(int size, boolean unhealthy) throws IOException {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        if (unhealthy) {
            byte[] marker = "UNHEALTHY".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(marker, 0, bytes, 100, marker.length);
        }
        Path file = console.scratchDirectory("firmware").resolve("firmware.img");
        Files.write(file, bytes);
        return file;
    }

    /** Publishes with the real publisher, as an operator would, and returns the release id. */
    private static long publish(String version, Path image) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar",
                RunningConsole.HOME.resolve("ota-bucket/target/star-console-publish.jar").toString(),
                "--image", image.toString(), "--model", "spnbox-sim", "--version", version,
                "--url", console.apiBase(), "--user", "admin",
                "--s3-endpoint", "http://127.0.0.1:" + console.console.ports().objectStore(),
                "--bucket", LocalCloudSettings.DEFAULT_BUCKET,
                "--access-key", LocalCloudSettings.LOCAL_ACCESS_KEY,
                "--secret-key", LocalCloudSettings.LOCAL_SECRET_KEY,
                "--region", "us-east-1", "--path-style")
                .redirectErrorStream(true);
        builder.environment().put("STAR_CONSOLE_PASSWORD", console.console.adminPassword());
        Path log = console.scratchDirectory("publish").resolve("publish.log");
        Process publisher = builder.redirectOutput(log.toFile()).start();
        assertThat(publisher.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(publisher.exitValue()).as(Files.readString(log)).isZero();
        List<Map<String, Object>> releases = new JsonPath(console.api().queryParam("size", 200).get("/api/v1/releases").asString()).getList("items");
        return releases.stream().filter(r -> version.equals(r.get("version")))
                .map(r -> ((Number) r.get("id")).longValue()).findFirst()
                .orElseThrow(() -> new AssertionError("release " + version + " not listed"));
    }

    private static long rollout(long release, String group, List<Integer> waves) throws IOException {
        return console.api().body(Map.of("releaseId", release, "target", Map.of("group", group), "waves", waves,
                        "failureThresholdPercent", 10))
                .post("/api/v1/rollouts").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static JsonPath awaitRollout(long id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath rollout;
        do {
            rollout = new JsonPath(console.api().get("/api/v1/rollouts/" + id).asString());
            if (!"running".equals(rollout.getString("state"))) {
                return rollout;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("rollout " + id + " still running: " + rollout.prettify());
    }

    private static String firmwareVersionOf(Box box) throws IOException {
        List<Map<String, Object>> items = console.api().queryParam("q", box.publicKey().toBase64())
                .get("/api/v1/boxes").then().statusCode(200).extract().jsonPath().getList("items");
        return items.isEmpty() ? null : (String) items.get(0).get("firmwareVersion");
    }

    private static S3Client s3() {
        return S3Client.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + console.console.ports().objectStore()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalCloudSettings.LOCAL_ACCESS_KEY, LocalCloudSettings.LOCAL_SECRET_KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }
}
