package io.starconsole.functions.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

/** CORS for the viewer's origin only, and the security headers every answer carries. */
@QuarkusTest
class BrowserPolicyTest {

    private static final String VIEWER = "https://viewer.example.org";

    @Test
    void preflight_fromTheViewersOrigin_isAllowed() {
        given().header("Origin", VIEWER)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/v1/auth/login")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(VIEWER))
                .header("Access-Control-Allow-Methods", containsString("POST"));
    }

    @Test
    void request_fromAnotherOrigin_getsNoCorsGrant() {
        given().header("Origin", "https://evil.example.com")
                .contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "x"))
                .post("/api/v1/auth/login")
                .then()
                .header("Access-Control-Allow-Origin", not(equalTo("*")))
                .header("Access-Control-Allow-Origin", not(equalTo("https://evil.example.com")));
    }

    @Test
    void answers_carrySecurityHeaders_andApiAnswersAreNotCached() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "wrong"))
                .post("/api/v1/auth/login")
                .then().statusCode(401)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
        given().get("/q/health/live")
                .then().header("X-Content-Type-Options", "nosniff")
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
