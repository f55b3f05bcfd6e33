package io.starconsole.functions;

import io.restassured.http.ContentType;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** Small helpers shared by the API tests. */
public final class ApiTestSupport {

    public static final String ADMIN = "admin";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private ApiTestSupport() {
    }

    public static String login(String username, String password) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login")
                .then().statusCode(200)
                .extract().path("token");
    }

    public static String adminToken() {
        return login(ADMIN, ADMIN_PASSWORD);
    }
}
