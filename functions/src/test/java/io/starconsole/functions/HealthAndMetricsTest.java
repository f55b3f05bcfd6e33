package io.starconsole.functions;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class HealthAndMetricsTest {

    @Test
    void readiness_isUp_andNamesDatabaseAndObjectStore() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("object store", "database"));
    }

    @Test
    void metrics_arePrometheusText() {
        given().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
    }

    @Test
    void metrics_countTheDatabaseClientsWork_withoutGaugesOfASingleConnection() {
        given().get("/q/health/ready").then().statusCode(200); // the database answered at least once
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).contains("postgresql_processing_seconds_count{clientName=\"<default>\"")
                .doesNotContain("postgresql_queue_size").doesNotContain("postgresql_current");
    }

    @Test
    void openApi_describesTheLogin() {
        given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200)
                .body(containsString("/api/v1/auth/login"))
                .body(containsString("/api/v1/boxes"))
                .body(containsString("/api/v1/address-pools/{id}/reservations"))
                .body(containsString("/api/v1/enrolment-tokens"))
                .body(containsString("/internal/v1/register"))
                .body(containsString("/internal/v1/presence"));
    }
}
