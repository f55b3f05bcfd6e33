package io.starconsole.functions.ota;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.starconsole.functions.ApiTestSupport;
import io.starconsole.functions.auth.AdminRepository;
import io.starconsole.functions.auth.PasswordHasher;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.DbAssertions.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class RolloutTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OLD_VERSION = "3.0.1";

    @Inject
    S3Client s3;

    @Inject
    Pool pool;

    @Inject
    RolloutEngine engine;

    @Inject
    AdminRepository admins;

    @Inject
    PasswordHasher hasher;

    record TestBox(String key, int id) {
    }

    private static String newGroup() {
        return "g-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static TestBox box(String group) {
        String key = Edge.newKey();
        return new TestBox(key, Edge.registerBox(key, group, null).getInt("boxId"));
    }

    private static List<TestBox> boxes(String group, int n) {
        List<TestBox> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boxes.add(box(group));
        }
        return boxes;
    }

    private static long start(long releaseId, Map<String, Object> target, List<Integer> waves, boolean lateJoiners) {
        Map<String, Object> body = new HashMap<>();
        body.put("releaseId", releaseId);
        body.put("target", target);
        body.put("waves", waves);
        body.put("failureThresholdPercent", 10);
        body.put("includeLateJoiners", lateJoiners);
        return Ota.startRollout(body).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static JsonPath lease(TestBox box) {
        return Edge.call().body(Map.of("publicKey", box.key(), "edgeId", "edge-1")).post("/internal/v1/commands/lease")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void status(TestBox box, long releaseId, String state, Integer progress) {
        Map<String, Object> body = new HashMap<>();
        body.put("publicKey", box.key());
        body.put("releaseId", releaseId);
        body.put("version", "x");
        body.put("state", state);
        body.put("progressPercent", progress);
        body.put("message", state);
        Edge.call().body(body).post("/internal/v1/ota/status").then().statusCode(204);
    }

    private static void registerOn(TestBox box, String group, String version) {
        Map<String, Object> hello = Edge.hello(group, null);
        hello.put("firmwareVersion", version);
        Edge.registerBox(Edge.register(box.key(), "203.0.113.7", 40000, hello));
    }

    private static void heartbeat(TestBox box) {
        Edge.call().body(Map.of("edgeId", "edge-1", "heartbeats", List.of(Map.of("publicKey", box.key(),
                        "realIp", "203.0.113.7", "realPort", 40000, "at", OffsetDateTime.now(ZoneOffset.UTC).toString()))))
                .post("/internal/v1/presence").then().statusCode(200);
    }

    private static void result(TestBox box, long commandId, String state, String message) {
        Edge.call().body(Map.of("publicKey", box.key(), "commandId", commandId, "state", state, "message", message))
                .post("/internal/v1/commands/result").then().statusCode(204);
    }

    private static Map<String, String> fields(String contents) {
        Map<String, String> fields = new HashMap<>();
        for (String part : contents.split("\\|")) {
            int eq = part.indexOf('=');
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return fields;
    }

    private String boxState(long rolloutId, int boxId) {
        return one(pool, "SELECT state FROM rollout_boxes WHERE rollout_id = $1 AND box_id = $2", rolloutId, boxId)
                .getString("state");
    }

    private void tick(OffsetDateTime at) {
        engine.tick(at).await().atMost(WAIT);
    }

    @Test
    void rollout_inWaves_leaseExpandsTheCommand_downloadsWork_andSuccessByHealthAdvancesTheWave() throws Exception {
        Ota.Release release = Ota.published(s3, "4.0.0");
        String group = newGroup();
        List<TestBox> boxes = boxes(group, 20);
        long rolloutId = start(release.id(), Map.of("group", group), List.of(10, 50, 100), false);

        JsonPath view = Ota.rollout(rolloutId);
        assertThat(view.getInt("currentWave")).isEqualTo(1);
        assertThat(view.getInt("counts.total")).isEqualTo(20);
        assertThat(view.getString("state")).isEqualTo("running");
        long commandId = view.getLong("commandId");
        assertThat(one(pool, "SELECT count(*) FROM command_deliveries WHERE command_id = $1", commandId).getLong(0))
                .isEqualTo(2);
        assertThat(one(pool, "SELECT type, contents FROM commands WHERE id = $1", commandId).getString("contents"))
                .isEqualTo("release=" + release.id() + "|force=0");

        TestBox first = boxes.get(0);
        JsonPath leased = lease(first);
        assertThat(leased.getInt("command.type")).isEqualTo(112);
        Map<String, String> contents = fields(leased.getString("command.contents"));
        assertThat(contents).containsEntry("release", Long.toString(release.id()))
                .containsEntry("model", release.image().manifest().model()).containsEntry("version", "4.0.0")
                .containsEntry("force", "0")
                .containsEntry("key", Base64.getEncoder().encodeToString(release.image().releaseKey()));
        String base = contents.get("base");
        assertThat(base).startsWith("http://boxes.example.org:8080/ota/v1/download/");
        assertThat(one(pool, "SELECT contents FROM commands WHERE id = $1", commandId).getString("contents"))
                .isEqualTo("release=" + release.id() + "|force=0");

        String path = URI.create(base).getPath();
        assertThat(given().get(path + "/manifest.json").then().statusCode(200).extract().asByteArray())
                .isEqualTo(release.image().canonical());
        String signatures = given().get(path + "/signatures").then().statusCode(200).extract().asString();
        assertThat(signatures.trim().split(" ")).hasSize(2);
        Response redirect = given().redirects().follow(false).get(path + "/image.enc");
        assertThat(redirect.statusCode()).isEqualTo(302);
        HttpResponse<byte[]> image = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(redirect.header("Location"))).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.body()).isEqualTo(release.image().encrypted());
        given().get("/ota/v1/download/AAAAAAAAAAAAAAAAAAAAAA/manifest.json").then().statusCode(404);
        given().get(path + "/other").then().statusCode(404);

        status(first, release.id(), "downloading", 40);
        assertThat(boxState(rolloutId, first.id())).isEqualTo("downloading");
        status(first, release.id(), "rebooting", 100);
        status(first, release.id(), "succeeded", 100);
        assertThat(boxState(rolloutId, first.id())).isEqualTo("rebooting");
        registerOn(first, group, "4.0.0");
        assertThat(boxState(rolloutId, first.id())).isEqualTo("rebooting");
        heartbeat(first);
        assertThat(boxState(rolloutId, first.id())).isEqualTo("succeeded");

        tick(OffsetDateTime.now(ZoneOffset.UTC));
        assertThat(Ota.rollout(rolloutId).getInt("currentWave")).isEqualTo(1);

        TestBox second = boxes.get(1);
        lease(second);
        registerOn(second, group, "4.0.0");
        heartbeat(second);
        tick(OffsetDateTime.now(ZoneOffset.UTC));
        view = Ota.rollout(rolloutId);
        assertThat(view.getInt("currentWave")).isEqualTo(2);
        assertThat(view.getInt("counts.succeeded")).isEqualTo(2);
        assertThat(one(pool, "SELECT count(*) FROM command_deliveries WHERE command_id = $1", commandId).getLong(0))
                .isEqualTo(10);
        assertThat(Ota.rolloutBoxes(rolloutId).getList("items.findAll { it.state == 'succeeded' }.boxId"))
                .containsExactly(first.id(), second.id());
        assertThat(query(pool, "SELECT 1 FROM audit_log WHERE target = $1 AND action = 'rollout.wave_started'",
                "rollout:" + rolloutId).size()).isEqualTo(1);
    }

    @Test
    void rollout_failuresAboveTheThreshold_haltIt_andResumeQueuesAgain() {
        Ota.Release release = Ota.published(s3, "5.0.0");
        String group = newGroup();
        List<TestBox> boxes = boxes(group, 10);
        long rolloutId = start(release.id(), Map.of("group", group), List.of(20, 100), false);
        long commandId = Ota.rollout(rolloutId).getLong("commandId");

        lease(boxes.get(0));
        result(boxes.get(0), commandId, "failed", "tampered");
        assertThat(boxState(rolloutId, boxes.get(0).id())).isEqualTo("failed");
        tick(OffsetDateTime.now(ZoneOffset.UTC));

        JsonPath view = Ota.rollout(rolloutId);
        assertThat(view.getString("state")).isEqualTo("halted");
        assertThat(view.getString("haltedReason")).contains("threshold");
        assertThat(one(pool, "SELECT state FROM command_deliveries WHERE command_id = $1 AND box_id = $2", commandId,
                boxes.get(1).id()).getString("state")).isEqualTo("cancelled");
        assertThat(lease(boxes.get(1)).getString("command")).isNull();

        String feedBeforeResume = Edge.feedPosition("edge-1");
        given().auth().oauth2(Ota.token()).post("/api/v1/rollouts/" + rolloutId + "/resume").then().statusCode(200)
                .body("state", equalTo("running"));
        tick(OffsetDateTime.now(ZoneOffset.UTC));
        assertThat(Ota.rollout(rolloutId).getString("state")).isEqualTo("running");
        assertThat(Edge.feed("edge-1", feedBeforeResume).getList("boxes", String.class))
                .as("queued again: the edge's wake-up feed names the box").contains(boxes.get(1).key());
        assertThat(lease(boxes.get(1)).getInt("command.type")).isEqualTo(112);
        given().auth().oauth2(Ota.token()).post("/api/v1/rollouts/" + rolloutId + "/halt").then().statusCode(200)
                .body("state", equalTo("halted"));
        assertThat(query(pool, "SELECT action FROM audit_log WHERE target = $1", "rollout:" + rolloutId).size())
                .isEqualTo(4); // started, halted (threshold), resumed, halted (operator)
    }

    @Test
    void healthDeadline_failsABoxThatDoesNotComeBackOnTheNewVersion() {
        Ota.Release release = Ota.published(s3, "6.0.0");
        String group = newGroup();
        TestBox box = box(group);
        long rolloutId = start(release.id(), Map.of("box", Integer.toString(box.id())), List.of(100), false);
        lease(box);
        status(box, release.id(), "rebooting", 100);
        registerOn(box, group, OLD_VERSION);
        heartbeat(box);
        tick(OffsetDateTime.now(ZoneOffset.UTC));
        assertThat(boxState(rolloutId, box.id())).isEqualTo("rebooting");

        tick(OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10));
        assertThat(boxState(rolloutId, box.id())).isEqualTo("failed");
        assertThat(Ota.rolloutBoxes(rolloutId).getString("items[0].message")).contains("did not come back on 6.0.0");
        assertThat(Ota.rollout(rolloutId).getString("state")).isEqualTo("halted");
    }

    @Test
    void lateJoiners_getTheUpdate_onlyWhenTheRolloutSaysSo() {
        Ota.Release release = Ota.published(s3, "7.0.0");
        String withJoiners = newGroup();
        String without = newGroup();
        box(withJoiners);
        box(without);
        long joining = start(release.id(), Map.of("group", withJoiners), List.of(100), true);
        long closed = start(release.id(), Map.of("group", without), List.of(100), false);

        TestBox late = box(withJoiners);
        TestBox lateToo = box(without);
        tick(OffsetDateTime.now(ZoneOffset.UTC));

        assertThat(Ota.rollout(joining).getInt("counts.total")).isEqualTo(2);
        assertThat(lease(late).getInt("command.type")).isEqualTo(112);
        assertThat(Ota.rollout(closed).getInt("counts.total")).isEqualTo(1);
        assertThat(lease(lateToo).getString("command")).isNull();
    }

    @Test
    void rawUpdateFirmware_toOneBox_isCheckedAndExpanded_andViewersCannotWrite() {
        Ota.Release release = Ota.published(s3, "8.0.0");
        TestBox box = box(newGroup());
        Map<String, Object> command = new HashMap<>();
        command.put("type", 112);
        command.put("target", Map.of("box", Integer.toString(box.id())));
        command.put("arguments", "release=" + release.id() + "|force=1");
        given().auth().oauth2(Ota.token()).contentType("application/json").body(command).post("/api/v1/commands")
                .then().statusCode(201).body("arguments", equalTo("release=" + release.id() + "|force=1"));
        Map<String, String> contents = fields(lease(box).getString("command.contents"));
        assertThat(contents).containsEntry("force", "1").containsEntry("version", "8.0.0").containsKey("base");

        command.put("arguments", "release=999999999|force=0");
        given().auth().oauth2(Ota.token()).contentType("application/json").body(command).post("/api/v1/commands")
                .then().statusCode(400).body("field", equalTo("arguments"));

        String user = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        admins.insertIfAbsent(user, hasher.hash("viewer-password"), Role.VIEWER).await().atMost(WAIT);
        String viewer = ApiTestSupport.login(user, "viewer-password");
        given().auth().oauth2(viewer).contentType("application/json").body(Map.of("manifest", "e30=", "releaseKey", "AA=="))
                .post("/api/v1/releases").then().statusCode(403);
        given().auth().oauth2(viewer).contentType("application/json")
                .body(Map.of("releaseId", release.id(), "target", Map.of("all", true))).post("/api/v1/rollouts")
                .then().statusCode(403);
        given().auth().oauth2(viewer).post("/api/v1/releases/" + release.id() + "/withdraw").then().statusCode(403);
        given().auth().oauth2(viewer).get("/api/v1/releases/" + release.id()).then().statusCode(200);
        given().auth().oauth2(viewer).get("/api/v1/ota/keys").then().statusCode(200);
    }
}
