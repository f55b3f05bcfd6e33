package io.starconsole.functions.accounts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.web.Caller;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.ApiTestSupport.adminToken;
import static io.starconsole.functions.ApiTestSupport.login;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class AccountApiTest {

    private static final String PASSWORD = "a-long-enough-password";

    @Inject
    Pool pool;

    @Inject
    AccountService service;

    private static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int create(String token, String username, String role) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD, "role", role))
                .post("/api/v1/admins")
                .then().statusCode(201)
                .body("username", equalTo(username))
                .body("role", equalTo(role))
                .body("disabled", equalTo(false))
                .body("createdAt", notNullValue())
                .body("passwordHash", nullValue())
                .extract().path("id");
    }

    @Test
    void create_viewer_canLogInAndListBoxesButNotManageAccounts() {
        String name = uniqueName("viewer");
        create(adminToken(), name, "viewer");

        String token = login(name, PASSWORD);
        given().auth().oauth2(token).get("/api/v1/boxes").then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/admins").then().statusCode(403).body("code", equalTo("forbidden"));
        given().auth().oauth2(token).post("/api/v1/boxes/1/approve").then().statusCode(403);
    }

    @Test
    void list_showsAccountsWithoutPasswordHashes() {
        String name = uniqueName("listed");
        create(adminToken(), name, "operator");
        given().auth().oauth2(adminToken()).get("/api/v1/admins")
                .then().statusCode(200)
                .body("username", hasItem(name))
                .body("[0]", not(org.hamcrest.Matchers.hasKey("passwordHash")));
    }

    @Test
    void create_shortPasswordOrBadNameOrRole_namesTheField() {
        String admin = adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", uniqueName("u"), "password", "short", "role", "viewer"))
                .post("/api/v1/admins").then().statusCode(400).body("field", equalTo("password"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", "no spaces allowed", "password", PASSWORD, "role", "viewer"))
                .post("/api/v1/admins").then().statusCode(400).body("field", equalTo("username"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", uniqueName("u"), "password", PASSWORD, "role", "root"))
                .post("/api/v1/admins").then().statusCode(400).body("field", equalTo("role"));
    }

    @Test
    void create_takenName_isAConflict() {
        String name = uniqueName("twice");
        create(adminToken(), name, "viewer");
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", PASSWORD, "role", "viewer"))
                .post("/api/v1/admins").then().statusCode(409).body("code", equalTo("username_taken"));
    }

    @Test
    void create_storesAnArgon2idHashAndAuditsWithoutThePassword() {
        String name = uniqueName("hashed");
        create(adminToken(), name, "operator");
        String hash = pool.preparedQuery("SELECT password_hash FROM admins WHERE username = $1")
                .execute(Tuple.of(name)).await().indefinitely().iterator().next().getString(0);
        assertThat(hash).startsWith("$argon2id$v=19$");
        String audit = pool.preparedQuery("SELECT string_agg(detail::text, ' ') FROM audit_log WHERE target = $1")
                .execute(Tuple.of(name)).await().indefinitely().iterator().next().getString(0);
        assertThat(audit).contains("operator").doesNotContain(PASSWORD);
    }

    @Test
    void patch_roleChange_revokesTheAccountsTokens() {
        String name = uniqueName("demoted");
        int id = create(adminToken(), name, "operator");
        String token = login(name, PASSWORD);
        given().auth().oauth2(token).get("/api/v1/auth/me").then().statusCode(200).body("role", equalTo("operator"));

        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(Map.of("role", "viewer"))
                .patch("/api/v1/admins/" + id).then().statusCode(200).body("role", equalTo("viewer"));

        given().auth().oauth2(token).get("/api/v1/auth/me").then().statusCode(401);
        given().auth().oauth2(login(name, PASSWORD)).get("/api/v1/auth/me").then().body("role", equalTo("viewer"));
    }

    @Test
    void patch_disable_refusesLoginAndRevokesTokens() {
        String name = uniqueName("disabled");
        int id = create(adminToken(), name, "viewer");
        String token = login(name, PASSWORD);
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(Map.of("disabled", true))
                .patch("/api/v1/admins/" + id).then().statusCode(200).body("disabled", equalTo(true));
        given().auth().oauth2(token).get("/api/v1/auth/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", name, "password", PASSWORD))
                .post("/api/v1/auth/login").then().statusCode(401);
    }

    @Test
    void patch_password_replacesItAndRevokesTokens() {
        String name = uniqueName("reset");
        int id = create(adminToken(), name, "viewer");
        String token = login(name, PASSWORD);
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("password", "another-long-password"))
                .patch("/api/v1/admins/" + id).then().statusCode(200);
        given().auth().oauth2(token).get("/api/v1/auth/me").then().statusCode(401);
        login(name, "another-long-password");
    }

    @Test
    void adminCannotDisableDemoteOrDeleteThemself() {
        String name = uniqueName("boss");
        int id = create(adminToken(), name, "admin");
        String token = login(name, PASSWORD);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("disabled", true))
                .patch("/api/v1/admins/" + id).then().statusCode(409).body("code", equalTo("self"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("role", "viewer"))
                .patch("/api/v1/admins/" + id).then().statusCode(409).body("code", equalTo("self"));
        given().auth().oauth2(token).delete("/api/v1/admins/" + id).then().statusCode(409).body("code", equalTo("self"));
        // Another admin may.
        given().auth().oauth2(adminToken()).delete("/api/v1/admins/" + id).then().statusCode(204);
        given().auth().oauth2(token).get("/api/v1/auth/me").then().statusCode(401);
    }

    @Test
    void lastEnabledAdmin_cannotBeDisabledDemotedOrDeleted() {
        // Through the API the caller is always an enabled admin itself, so this guards against two
        // admins removing each other at once; the service is called as a third party to show it.
        pool.query("UPDATE admins SET disabled = true WHERE role = 'admin' AND username <> 'admin'")
                .execute().await().indefinitely();
        int first = pool.query("SELECT id FROM admins WHERE username = 'admin'").execute().await().indefinitely()
                .iterator().next().getInteger(0);
        Caller someoneElse = new Caller("someone-else", "test");

        assertThatThrownBy(() -> service.change(first, new AccountService.Change(null, true, null), someoneElse)
                .await().indefinitely())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("last_admin"));
        assertThatThrownBy(() -> service.change(first, new AccountService.Change("operator", null, null), someoneElse)
                .await().indefinitely())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("last_admin"));
        assertThatThrownBy(() -> service.delete(first, someoneElse).await().indefinitely())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("last_admin"));
        given().auth().oauth2(adminToken()).get("/api/v1/auth/me").then().statusCode(200);
    }

    @Test
    void ownPassword_needsTheCurrentOne_andKeepsTheTokenInUse() {
        String name = uniqueName("self");
        create(adminToken(), name, "viewer");
        String first = login(name, PASSWORD);
        String second = login(name, PASSWORD);
        given().auth().oauth2(first).contentType(ContentType.JSON)
                .body(Map.of("current", "not-the-password", "new", "my-new-long-password"))
                .post("/api/v1/auth/password").then().statusCode(403).body("field", equalTo("current"));
        given().auth().oauth2(first).contentType(ContentType.JSON)
                .body(Map.of("current", PASSWORD, "new", "short"))
                .post("/api/v1/auth/password").then().statusCode(400).body("field", equalTo("new"));
        given().auth().oauth2(first).contentType(ContentType.JSON)
                .body(Map.of("current", PASSWORD, "new", "my-new-long-password"))
                .post("/api/v1/auth/password").then().statusCode(204);
        given().auth().oauth2(first).get("/api/v1/auth/me").then().statusCode(200);
        given().auth().oauth2(second).get("/api/v1/auth/me").then().statusCode(401);
        login(name, "my-new-long-password");
    }

    @Test
    void accounts_needALogin() {
        given().get("/api/v1/admins").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("current", "x", "new", "y"))
                .post("/api/v1/auth/password").then().statusCode(401);
    }
}
