package io.starconsole.functions.box;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starconsole.functions.ApiTestSupport;
import io.starconsole.functions.address.TestPools;
import io.starconsole.functions.auth.AdminRepository;
import io.starconsole.functions.auth.PasswordHasher;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.registerBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class BoxApiTest {

    @Inject
    Pool pool;

    @Inject
    AdminRepository admins;

    @Inject
    PasswordHasher hasher;

    @Test
    void list_filtersByGroupOnlineAndText_pagesAndSorts() {
        String admin = ApiTestSupport.adminToken();
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 28);
        for (int i = 0; i < 5; i++) {
            registerBox(newKey(), group, null);
        }
        String goneKey = newKey();
        registerBox(goneKey, group, null);
        Edge.call().body(Map.of("publicKey", goneKey, "edgeId", "edge-1")).post("/internal/v1/bye").then().statusCode(204);

        given().auth().oauth2(admin).queryParam("group", group).queryParam("size", 4).queryParam("sort", "-spnIp")
                .get("/api/v1/boxes")
                .then().statusCode(200).body("total", equalTo(6)).body("items", hasSize(4))
                .body("page", equalTo(0)).body("size", equalTo(4));
        given().auth().oauth2(admin).queryParam("group", group).queryParam("online", false).get("/api/v1/boxes")
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].publicKey", equalTo(goneKey));
        given().auth().oauth2(admin).queryParam("q", goneKey.substring(0, 20)).get("/api/v1/boxes")
                .then().statusCode(200).body("items.publicKey", hasItem(goneKey));

        List<String> ips = given().auth().oauth2(admin).queryParam("group", group).queryParam("sort", "spnIp")
                .get("/api/v1/boxes").then().statusCode(200).extract().path("items.spnIp");
        assertThat(ips).isSortedAccordingTo((a, b) -> Long.compare(
                io.starconsole.functions.address.Ipv4.parse(a), io.starconsole.functions.address.Ipv4.parse(b)));
    }

    @Test
    void list_unknownSortOrBigPage_isA400NamingTheField() {
        String admin = ApiTestSupport.adminToken();
        given().auth().oauth2(admin).queryParam("sort", "publickey; drop table spnclients").get("/api/v1/boxes")
                .then().statusCode(400).body("field", equalTo("sort"));
        given().auth().oauth2(admin).queryParam("size", 501).get("/api/v1/boxes")
                .then().statusCode(400).body("field", equalTo("size"));
    }

    @Test
    void detailAndHistory_showSeedFieldsLeaseAndTransitions() {
        String admin = ApiTestSupport.adminToken();
        String key = newKey();
        var answer = registerBox(key, null, null);
        int id = answer.getInt("boxId");

        given().auth().oauth2(admin).get("/api/v1/boxes/" + id)
                .then().statusCode(200)
                .body("publicKey", equalTo(key)).body("spnIp", equalTo(answer.getString("spnIp")))
                .body("vpnip", equalTo(answer.getString("spnIp"))).body("edport", equalTo((int) (short) 51820)) // the seed's uint16 bits, read as signed
                .body("lease.address", equalTo(answer.getString("spnIp"))).body("lease.pinned", equalTo(false))
                .body("online", equalTo(true)).body("macAddress", notNullValue()).body("createdDate", notNullValue());
        given().auth().oauth2(admin).get("/api/v1/boxes/" + id + "/history")
                .then().statusCode(200).body("total", equalTo(3)).body("items.kind", hasItem("spn_ip_assigned"));
        given().auth().oauth2(admin).get("/api/v1/boxes/999999").then().statusCode(404);
    }

    @Test
    void releaseAddress_byAnOperator_isAudited_andTheBoxGetsANewOne() {
        String admin = ApiTestSupport.adminToken();
        String key = newKey();
        var answer = registerBox(key, null, null);
        int id = answer.getInt("boxId");
        given().auth().oauth2(admin).delete("/api/v1/boxes/" + id + "/address").then().statusCode(204);
        given().auth().oauth2(admin).get("/api/v1/boxes/" + id).then().statusCode(200).body("spnIp", equalTo(null));
        assertThat(registerBox(key, null, answer.getString("spnIp")).getString("spnIp"))
                .isNotEqualTo(answer.getString("spnIp"));
        long audited = io.starconsole.functions.DbAssertions.one(pool,
                "SELECT count(*) FROM audit_log WHERE action = 'box.address_released' AND target = $1", "box:" + id).getLong(0);
        assertThat(audited).isEqualTo(1);
    }

    @Test
    void viewer_canRead_butNotChange() {
        String user = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        admins.insertIfAbsent(user, hasher.hash("viewer-password"), Role.VIEWER).await().atMost(Duration.ofSeconds(10));
        String viewer = ApiTestSupport.login(user, "viewer-password");
        int id = registerBox(newKey(), null, null).getInt("boxId");

        given().auth().oauth2(viewer).get("/api/v1/boxes").then().statusCode(200);
        given().auth().oauth2(viewer).get("/api/v1/address-pools").then().statusCode(200);
        given().auth().oauth2(viewer).post("/api/v1/boxes/" + id + "/approve").then().statusCode(403);
        given().auth().oauth2(viewer).contentType(ContentType.JSON)
                .body(Map.of("name", "v", "network", "10.200.0.0/24")).post("/api/v1/address-pools")
                .then().statusCode(403);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/enrolment-tokens").then().statusCode(403);
        given().get("/api/v1/boxes").then().statusCode(401);
    }
}
