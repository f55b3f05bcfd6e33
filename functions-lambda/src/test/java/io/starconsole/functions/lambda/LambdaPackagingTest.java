package io.starconsole.functions.lambda;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starconsole.localcloud.LocalCloudTestResource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The same functions code, as a Lambda: requests go through Quarkus' mock Lambda event server as
 * API Gateway HTTP API events, against the real local cloud.
 */
@QuarkusTest
@QuarkusTestResource(LocalCloudTestResource.class)
class LambdaPackagingTest {

    @Test
    void readiness_throughLambdaEvents_isUp() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("object store", "database"));
    }

    @Test
    void loginAndAuthenticatedCall_throughLambdaEvents_work() {
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "test-admin-password"))
                .post("/api/v1/auth/login")
                .then().statusCode(200)
                .extract().path("token");
        given().auth().oauth2(token).get("/api/v1/auth/me")
                .then().statusCode(200)
                .body("role", equalTo("admin"));
    }

    @Test
    void wrongPassword_throughLambdaEvents_getsTheJsonError() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "wrong"))
                .post("/api/v1/auth/login")
                .then().statusCode(401)
                .body("code", equalTo("invalid_credentials"));
    }
}
