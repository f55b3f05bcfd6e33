package io.starconsole.functions.ota;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.starconsole.functions.ApiTestSupport;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@TestProfile(OtaNotConfiguredTest.NoSigningKeys.class)
class OtaNotConfiguredTest {

    /** The production default: no signing keys. */
    public static class NoSigningKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("star-console.ota.signing-keys", "");
        }
    }

    @Test
    void withoutSigningKeys_otaAnswers503_andTheRestWorks() {
        String token = ApiTestSupport.adminToken();
        given().auth().oauth2(token).get("/api/v1/ota/keys").then().statusCode(503)
                .body("code", equalTo("ota_not_configured"));
        given().auth().oauth2(token).contentType("application/json").body(Map.of("manifest", "e30=", "releaseKey", "AA=="))
                .post("/api/v1/releases").then().statusCode(503).body("code", equalTo("ota_not_configured"));
        given().auth().oauth2(token).get("/api/v1/rollouts").then().statusCode(503);
        given().auth().oauth2(token).get("/api/v1/commands").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/boxes").then().statusCode(200);
    }
}
