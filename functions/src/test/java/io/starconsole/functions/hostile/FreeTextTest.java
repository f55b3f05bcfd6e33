package io.starconsole.functions.hostile;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.address.TestPools;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.ApiTestSupport.adminToken;
import static io.starconsole.functions.ApiTestSupport.login;
import static io.starconsole.functions.DbAssertions.one;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fields that legitimately take any text keep a hostile string as plain data: stored verbatim,
 * answered unchanged, with no effect on SQL (spnclients is still there). Fields that name places
 * (firmware versions, release models and versions) refuse path traversal.
 */
@QuarkusTest
class FreeTextTest {

    /** SQL, markup and unicode oddities at once; no control characters (those are refused). */
    private static final String HOSTILE = Variant.SQL + " <script>alert(1)</script> ../../etc/passwd \u202E\u200B📦";

    @Inject
    Pool pool;

    private void spnclientsStillThere() {
        assertThat(one(pool, "SELECT count(*) AS n FROM spnclients").getLong("n")).isNotNegative();
    }

    @Test
    void enrolmentTokenDescription_withInjection_isStoredVerbatimAsPlainData() {
        long id = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("description", HOSTILE)).post("/api/v1/enrolment-tokens")
                .then().statusCode(201).extract().jsonPath().getLong("details.id");

        JsonPath list = given().auth().oauth2(adminToken()).get("/api/v1/enrolment-tokens").then().statusCode(200)
                .extract().jsonPath();
        assertThat(list.getString("find { it.id == " + id + " }.description")).isEqualTo(HOSTILE);
        assertThat(one(pool, "SELECT description FROM enrolment_tokens WHERE id = $1", id).getString("description"))
                .isEqualTo(HOSTILE);
        spnclientsStillThere();
    }

    @Test
    void preregisteredKeyNote_withInjection_isStoredVerbatimAsPlainData() {
        String key = Edge.newKey();
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("publicKey", key, "note", HOSTILE)).post("/api/v1/preregistered-keys")
                .then().statusCode(201);

        assertThat(given().auth().oauth2(adminToken()).get("/api/v1/preregistered-keys").then().statusCode(200)
                .extract().jsonPath().getString("find { it.publicKey == '" + key + "' }.note")).isEqualTo(HOSTILE);
        spnclientsStillThere();
    }

    @Test
    void reservationNote_withInjection_isStoredVerbatimAsPlainData() {
        String group = TestPools.newGroup();
        Ipv4.Cidr network = TestPools.createPool(pool, group, 28);
        int poolId = one(pool, "SELECT id FROM address_pools WHERE groupname = $1", group).getInteger("id");
        String address = Ipv4.format(network.firstHost() + 4);

        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("address", address, "note", HOSTILE))
                .post("/api/v1/address-pools/" + poolId + "/reservations")
                .then().statusCode(201);

        assertThat(given().auth().oauth2(adminToken()).get("/api/v1/address-pools/" + poolId + "/leases")
                .then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.address == '" + address + "' }.note")).isEqualTo(HOSTILE);
        spnclientsStillThere();
    }

    @Test
    void boxIdString_withInjection_isStoredVerbatimAsPlainData() {
        Map<String, Object> hello = Edge.hello(TestPools.newGroup(), null);
        hello.put("idString", HOSTILE);
        int box = Edge.registerBox(Edge.register(Edge.newKey(), "203.0.113.7", 40000, hello)).getInt("boxId");

        assertThat(given().auth().oauth2(adminToken()).get("/api/v1/boxes/" + box).then().statusCode(200)
                .extract().jsonPath().getString("idString")).isEqualTo(HOSTILE);
        spnclientsStillThere();
    }

    @Test
    void accountPassword_withInjection_isJustAPassword_thatLogsIn() {
        String username = "free-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", HOSTILE, "role", "viewer"))
                .post("/api/v1/admins").then().statusCode(201);

        assertThat(login(username, HOSTILE)).isNotBlank();
        spnclientsStillThere();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../etc/passwd", "..", "1.0/../../x", "1.0\\..\\x"})
    void helloFirmwareVersion_withPathTraversal_isRefusedNokBadRequest_andNoBoxIsStored(String version) {
        Map<String, Object> hello = Edge.hello(TestPools.newGroup(), null);
        hello.put("firmwareVersion", version);
        long before = one(pool, "SELECT count(*) AS n FROM spnclients").getLong("n");

        JsonPath answer = Edge.registerBox(Edge.register(Edge.newKey(), "203.0.113.7", 40000, hello));

        assertThat(answer.getString("outcome")).isEqualTo("NOK");
        assertThat(answer.getString("nokReason")).isEqualTo("BAD_REQUEST");
        assertThat(one(pool, "SELECT count(*) AS n FROM spnclients").getLong("n")).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model", "version", "imageKey"})
    void releaseManifest_withPathTraversalInModelVersionOrImageKey_isRefused_andNothingStored(String field) {
        for (String hostile : new String[] {"../../etc/passwd", "..", "a/../../b", Variant.SQL, "<script>x</script>",
                "a\u0000b"}) {
            String model = field.equals("model") ? hostile : "sim-hostile";
            String version = field.equals("version") ? hostile : "1.0.0";
            String imageKey = field.equals("imageKey") ? "firmware/" + hostile + "/image.enc"
                    : "firmware/" + model + "/" + version + "/image.enc";
            String manifest = manifest(model, version, imageKey);
            long before = one(pool, "SELECT count(*) AS n FROM firmware_releases").getLong("n");

            given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                    .body(Map.of("manifest", Base64.getEncoder().encodeToString(manifest.getBytes(StandardCharsets.UTF_8)),
                            "releaseKey", Base64.getEncoder().encodeToString(new byte[32])))
                    .post("/api/v1/releases")
                    .then().statusCode(400)
                    .body("field", org.hamcrest.Matchers.equalTo("manifest"));

            assertThat(one(pool, "SELECT count(*) AS n FROM firmware_releases").getLong("n")).isEqualTo(before);
        }
    }

    /** A manifest in canonical form (keys sorted, no whitespace) with these three values. */
    private static String manifest(String model, String version, String imageKey) {
        String sha = "0".repeat(128);
        return "{\"chunkSize\":4096,\"cipher\":\"AES-256-GCM-CHUNKED-1\",\"compatibleModels\":[" + quoted(model) + "],"
                + "\"encryptedSha512\":\"" + sha + "\",\"encryptedSize\":100,\"format\":1,\"imageKey\":" + quoted(imageKey)
                + ",\"model\":" + quoted(model) + ",\"plainSha512\":\"" + sha + "\",\"plainSize\":50,"
                + "\"releasedAt\":\"2030-01-01T00:00:00Z\",\"version\":" + quoted(version) + "}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0000", "\\u0000") + "\"";
    }
}
