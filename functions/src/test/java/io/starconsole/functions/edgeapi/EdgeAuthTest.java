package io.starconsole.functions.edgeapi;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starconsole.functions.ApiTestSupport;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.edgeapi.Edge.hello;
import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.register;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class EdgeAuthTest {

    @Test
    void internal_withoutSecret_is401() {
        given().contentType(ContentType.JSON).body(register(newKey(), "203.0.113.7", 1, hello(null, null)))
                .post("/internal/v1/register")
                .then().statusCode(401).body("code", equalTo("unauthorized"));
    }

    @Test
    void internal_withAnOperatorToken_is401() {
        given().contentType(ContentType.JSON).auth().oauth2(ApiTestSupport.adminToken())
                .body(register(newKey(), "203.0.113.7", 1, hello(null, null)))
                .post("/internal/v1/register")
                .then().statusCode(401);
    }

    @Test
    void internal_withAWrongSecret_is401() {
        given().contentType(ContentType.JSON).auth().oauth2("test-edge-secreT")
                .body(register(newKey(), "203.0.113.7", 1, hello(null, null)))
                .post("/internal/v1/register")
                .then().statusCode(401);
    }

    @Test
    void api_withTheEdgeSecret_isRefused() {
        given().auth().oauth2(Edge.SECRET).get("/api/v1/auth/me").then().statusCode(401);
    }
}
