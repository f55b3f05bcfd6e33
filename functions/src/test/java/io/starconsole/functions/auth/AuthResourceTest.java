package io.starconsole.functions.auth;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.ApiTestSupport.ADMIN;
import static io.starconsole.functions.ApiTestSupport.ADMIN_PASSWORD;
import static io.starconsole.functions.ApiTestSupport.login;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class AuthResourceTest {

    @Inject
    AdminRepository admins;

    @Inject
    PasswordHasher hasher;

    @Test
    void login_firstAdmin_getsTokenThatOpensTheApi() {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("username", ADMIN, "password", ADMIN_PASSWORD))
                .post("/api/v1/auth/login")
                .then().statusCode(200)
                .body("token", matchesPattern("sc_[A-Za-z0-9_-]{43}"))
                .body("role", equalTo("admin"))
                .body("expiresAt", notNullValue())
                .extract().path("token");

        given().auth().oauth2(token).get("/api/v1/auth/me")
                .then().statusCode(200)
                .body("username", equalTo(ADMIN))
                .body("role", equalTo("admin"));
    }

    @Test
    void login_wrongPassword_isRefusedWithTheErrorBody() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", ADMIN, "password", "not-it"))
                .post("/api/v1/auth/login")
                .then().statusCode(401)
                .body("code", equalTo("invalid_credentials"))
                .body("error", equalTo("wrong username or password"));
    }

    @Test
    void login_unknownUser_looksLikeAWrongPassword() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "nobody-" + UUID.randomUUID(), "password", "x"))
                .post("/api/v1/auth/login")
                .then().statusCode(401)
                .body("code", equalTo("invalid_credentials"));
    }

    @Test
    void login_missingPassword_namesTheField() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", ADMIN))
                .post("/api/v1/auth/login")
                .then().statusCode(400)
                .body("code", equalTo("invalid_field"))
                .body("field", equalTo("password"));
    }

    @Test
    void login_invalidJson_isA400WithTheErrorBody() {
        given().contentType(ContentType.JSON)
                .body("{\"username\": ")
                .post("/api/v1/auth/login")
                .then().statusCode(400)
                .body("code", equalTo("invalid_json"));
    }

    @Test
    void api_withoutToken_isRefused() {
        given().get("/api/v1/auth/me")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("unauthorized"));
    }

    @Test
    void api_withForgedToken_isRefused() {
        given().auth().oauth2("sc_" + "A".repeat(43)).get("/api/v1/auth/me")
                .then().statusCode(401)
                .body("code", equalTo("unauthorized"));
    }

    @Test
    void logout_revokesTheToken() {
        String token = login(ADMIN, ADMIN_PASSWORD);
        given().auth().oauth2(token).post("/api/v1/auth/logout").then().statusCode(204);
        given().auth().oauth2(token).get("/api/v1/auth/me").then().statusCode(401);
    }

    @Test
    void login_repeatedFailures_lockTheAccount() {
        String user = "op-" + UUID.randomUUID().toString().substring(0, 8);
        admins.insertIfAbsent(user, hasher.hash("right-password"), Role.OPERATOR)
                .await().atMost(Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", user, "password", "wrong-" + i))
                    .post("/api/v1/auth/login")
                    .then().statusCode(401);
        }
        // Locked now: even the right password is refused until the lock ends.
        given().contentType(ContentType.JSON)
                .body(Map.of("username", user, "password", "right-password"))
                .post("/api/v1/auth/login")
                .then().statusCode(429)
                .body("code", equalTo("locked"));
    }

    @Test
    void login_viewer_getsTheViewerRoleOnly() {
        String user = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        admins.insertIfAbsent(user, hasher.hash("viewer-password"), Role.VIEWER)
                .await().atMost(Duration.ofSeconds(10));
        String token = login(user, "viewer-password");
        given().auth().oauth2(token).get("/api/v1/auth/me")
                .then().statusCode(200).body("role", equalTo("viewer"));
    }
}
