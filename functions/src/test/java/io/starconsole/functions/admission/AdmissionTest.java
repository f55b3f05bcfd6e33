package io.starconsole.functions.admission;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.ApiTestSupport;
import io.starconsole.functions.address.TestPools;
import io.vertx.mutiny.sqlclient.Pool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.edgeapi.Edge.hello;
import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.register;
import static io.starconsole.functions.edgeapi.Edge.registerBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class AdmissionTest {

    @Inject
    Pool pool;

    @AfterEach
    void backToTheConfiguredDefaults() {
        given().auth().oauth2(ApiTestSupport.adminToken()).delete("/api/v1/admission-settings")
                .then().statusCode(200).body("policy", equalTo("open")).body("source", equalTo("config"));
    }

    @Test
    void tokenPolicy_refusesWithoutAValidToken_andSpendsSingleUseTokens() {
        String admin = ApiTestSupport.adminToken();
        setPolicy(admin, "token", false);
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 28);

        JsonPath none = registerBox(newKey(), null, null);
        assertThat(none.getString("outcome")).isEqualTo("NOK");
        assertThat(none.getString("nokReason")).isEqualTo("DENIED");

        String single = issue(admin, Map.of("description", "one box", "group", group, "uses", 1));
        JsonPath first = registerWithToken(newKey(), "ignored-group", single);
        assertThat(first.getString("outcome")).isEqualTo("OK_NEWIP");
        int boxId = first.getInt("boxId");
        assertThat(one(pool, "SELECT groupname FROM spnclients WHERE id = $1", boxId).getString(0)).isEqualTo(group);
        assertThat(first.getString("spnIp")).startsWith("172.");

        JsonPath second = registerWithToken(newKey(), null, single);
        assertThat(second.getString("nokReason")).isEqualTo("DENIED");

        // A box once admitted needs no token again.
        given().auth().oauth2(admin).get("/api/v1/boxes/" + boxId).then().statusCode(200);
        String key = one(pool, "SELECT publickey FROM spnclients WHERE id = $1", boxId).getString(0);
        assertThat(registerBox(key, null, null).getString("outcome")).isEqualTo("OK_NEWIP");
    }

    @Test
    void tokenPolicy_expiredOrRevokedTokens_areDenied_unlimitedOnesServeMany() {
        String admin = ApiTestSupport.adminToken();
        setPolicy(admin, "token", false);
        Map<String, Object> unlimited = new HashMap<>();
        unlimited.put("description", "fleet");
        unlimited.put("uses", null);
        String many = issue(admin, unlimited);
        for (int i = 0; i < 3; i++) {
            assertThat(registerWithToken(newKey(), null, many).getString("outcome")).isEqualTo("OK_NEWIP");
        }

        Map<String, Object> soon = Map.of("expiresAt", OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1).toString());
        String expiring = issue(admin, soon);
        pool.preparedQuery("UPDATE enrolment_tokens SET expires_at = now() - interval '1 minute'"
                + " WHERE expires_at IS NOT NULL").execute().await().indefinitely();
        assertThat(registerWithToken(newKey(), null, expiring).getString("nokReason")).isEqualTo("DENIED");

        JsonPath issued = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("uses", 5))
                .post("/api/v1/enrolment-tokens").then().statusCode(201).extract().jsonPath();
        given().auth().oauth2(admin).delete("/api/v1/enrolment-tokens/" + issued.getLong("details.id"))
                .then().statusCode(204);
        assertThat(registerWithToken(newKey(), null, issued.getString("token")).getString("nokReason"))
                .isEqualTo("DENIED");
        given().auth().oauth2(admin).get("/api/v1/enrolment-tokens").then().statusCode(200)
                .body("find { it.id == " + issued.getLong("details.id") + " }.state", equalTo("revoked"))
                .body("find { it.id == " + issued.getLong("details.id") + " }.token", equalTo(null));
    }

    @Test
    void preregisteredPolicy_admitsOnlyKnownKeys_inTheirGroup() {
        String admin = ApiTestSupport.adminToken();
        setPolicy(admin, "preregistered", false);
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 29);
        String key = newKey();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("publicKey", key, "group", group, "note", "rack 4"))
                .post("/api/v1/preregistered-keys").then().statusCode(201).body("group", equalTo(group));

        assertThat(registerBox(newKey(), group, null).getString("nokReason")).isEqualTo("DENIED");
        JsonPath known = registerBox(key, null, null);
        assertThat(known.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(known.getString("spnIp")).startsWith("172.");

        String urlSafe = key.replace('+', '-').replace('/', '_');
        given().auth().oauth2(admin).delete("/api/v1/preregistered-keys/" + urlSafe).then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/preregistered-keys/" + urlSafe).then().statusCode(404);
    }

    @Test
    void manualApproval_boxWaitsPending_thenIsAcceptedAfterApproval() {
        String admin = ApiTestSupport.adminToken();
        setPolicy(admin, "open", true);
        String key = newKey();
        JsonPath pending = registerBox(key, null, null);
        assertThat(pending.getString("outcome")).isEqualTo("NOK");
        assertThat(pending.getString("nokReason")).isEqualTo("PENDING_APPROVAL");
        assertThat(pending.getString("spnIp")).isNull();
        int id = pending.getInt("boxId");
        assertThat(registerBox(key, null, null).getString("nokReason")).isEqualTo("PENDING_APPROVAL");

        given().auth().oauth2(admin).queryParam("admission", "pending").get("/api/v1/boxes")
                .then().statusCode(200).body("items.id", org.hamcrest.Matchers.hasItem(id));
        given().auth().oauth2(admin).post("/api/v1/boxes/" + id + "/approve")
                .then().statusCode(200).body("admission", equalTo("accepted"));

        JsonPath accepted = registerBox(key, null, null);
        assertThat(accepted.getString("outcome")).isEqualTo("OK_NEWIP");

        given().auth().oauth2(admin).post("/api/v1/boxes/" + id + "/reject")
                .then().statusCode(200).body("admission", equalTo("rejected")).body("spnIp", equalTo(null));
        assertThat(registerBox(key, null, null).getString("nokReason")).isEqualTo("DENIED");
    }

    @Test
    void settings_badPolicy_namesTheField_andNothingChanges() {
        String admin = ApiTestSupport.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("policy", "closed", "manualApproval", false))
                .put("/api/v1/admission-settings").then().statusCode(400).body("field", equalTo("policy"));
        given().auth().oauth2(admin).get("/api/v1/admission-settings").then().statusCode(200)
                .body("policy", equalTo("open")).body("source", equalTo("config"));
    }

    @Test
    void tokens_badInput_namesTheField() {
        String admin = ApiTestSupport.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("uses", 0))
                .post("/api/v1/enrolment-tokens").then().statusCode(400).body("field", equalTo("uses"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("expiresAt", "2001-01-01T00:00:00Z"))
                .post("/api/v1/enrolment-tokens").then().statusCode(400).body("field", equalTo("expiresAt"));
    }

    private static void setPolicy(String admin, String policy, boolean manualApproval) {
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("policy", policy, "manualApproval", manualApproval))
                .put("/api/v1/admission-settings")
                .then().statusCode(200).body("policy", equalTo(policy)).body("source", equalTo("api"));
    }

    private static String issue(String admin, Map<String, Object> body) {
        return given().auth().oauth2(admin).contentType(ContentType.JSON).body(body)
                .post("/api/v1/enrolment-tokens")
                .then().statusCode(201).extract().path("token");
    }

    private static JsonPath registerWithToken(String key, String group, String token) {
        Map<String, Object> hello = hello(group, null);
        hello.put("enrolmentToken", token);
        return registerBox(register(key, "203.0.113.7", 40000, hello));
    }
}
