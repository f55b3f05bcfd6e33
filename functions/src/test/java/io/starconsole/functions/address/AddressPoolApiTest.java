package io.starconsole.functions.address;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starconsole.functions.ApiTestSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.registerBox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class AddressPoolApiTest {

    @Inject
    Pool pool;

    @Test
    void create_validatesAndRefusesOverlaps_storingNothingOnError() {
        String admin = ApiTestSupport.adminToken();
        String group = TestPools.newGroup();
        String block = TestPools.newBlock(24);
        long before = one(pool, "SELECT count(*) FROM address_pools").getLong(0);

        post(admin, pool("p-" + group, group, "10.99.128.0/24", null)).then().statusCode(409)
                .body("code", equalTo("pool_overlaps"));
        post(admin, pool("p-" + group, group, "172.30.0.1/24", null)).then().statusCode(400).body("field", equalTo("network"));
        post(admin, pool("p-" + group, group, "172.30.0.0/31", null)).then().statusCode(400).body("field", equalTo("network"));
        post(admin, pool("p-" + group, group, "172.30.0.0/7", null)).then().statusCode(400).body("field", equalTo("network"));
        post(admin, pool("p-" + group, group, block, "192.0.2.1")).then().statusCode(400).body("field", equalTo("gateway"));
        post(admin, pool("bad name!", group, block, null)).then().statusCode(400).body("field", equalTo("name"));
        post(admin, pool("p-" + group, null, block, null)).then().statusCode(409).body("code", equalTo("group_has_pool"));
        assertThat(one(pool, "SELECT count(*) FROM address_pools").getLong(0)).isEqualTo(before);

        post(admin, pool("p-" + group, group, block, null)).then().statusCode(201)
                .body("gateway", equalTo(block.replace(".0/24", ".1"))).body("mask", equalTo("255.255.255.0"))
                .body("assignable", equalTo(253));
        given().auth().oauth2(admin).get("/api/v1/address-pools").then().statusCode(200)
                .body("name", hasItem("p-" + group)).body("name", hasItem("default"));
    }

    @Test
    void delete_isRefusedWhileAddressesAreBound() {
        String admin = ApiTestSupport.adminToken();
        String group = TestPools.newGroup();
        int id = post(admin, pool("p-" + group, group, TestPools.newBlock(28), null))
                .then().statusCode(201).extract().path("id");
        int box = registerBox(newKey(), group, null).getInt("boxId");

        given().auth().oauth2(admin).delete("/api/v1/address-pools/" + id).then().statusCode(409)
                .body("code", equalTo("addresses_bound"));
        given().auth().oauth2(admin).delete("/api/v1/boxes/" + box + "/address").then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/address-pools/" + id).then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/address-pools/" + id).then().statusCode(404);
    }

    @Test
    void reservations_holdAnAddressFromEveryone_orPinItToABox() {
        String admin = ApiTestSupport.adminToken();
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = Ipv4.Cidr.parse(TestPools.newBlock(28));
        int id = post(admin, pool("p-" + group, group, cidr.toString(), null)).then().statusCode(201).extract().path("id");
        String held = Ipv4.format(cidr.network() + 3);
        String pinned = Ipv4.format(cidr.network() + 9);

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("address", held, "note", "printer"))
                .post("/api/v1/address-pools/" + id + "/reservations")
                .then().statusCode(201).body("state", equalTo("reserved"));
        assertThat(registerBox(newKey(), group, held).getString("spnIp")).isNotEqualTo(held);

        String key = newKey();
        var first = registerBox(key, group, null);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("address", pinned, "boxId", first.getInt("boxId")))
                .post("/api/v1/address-pools/" + id + "/reservations")
                .then().statusCode(201).body("state", equalTo("bound")).body("pinned", equalTo(true));
        var again = registerBox(key, group, first.getString("spnIp"));
        assertThat(again.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(again.getString("spnIp")).isEqualTo(pinned);

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("address", pinned))
                .post("/api/v1/address-pools/" + id + "/reservations").then().statusCode(409);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("address", Ipv4.format(cidr.firstHost())))
                .post("/api/v1/address-pools/" + id + "/reservations").then().statusCode(400).body("field", equalTo("address"));

        given().auth().oauth2(admin).get("/api/v1/address-pools/" + id + "/leases").then().statusCode(200)
                .body("total", equalTo(4)) // reserved, another box's, the pinned one, the one it gave up (cooling)
                .body("items.find { it.address == '" + first.getString("spnIp") + "' }.state", equalTo("cooling"));
        given().auth().oauth2(admin).delete("/api/v1/address-pools/" + id + "/reservations/" + held).then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/address-pools/" + id + "/reservations/" + held).then().statusCode(404);
    }

    private static Map<String, Object> pool(String name, String group, String network, String gateway) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("group", group);
        body.put("network", network);
        body.put("gateway", gateway);
        return body;
    }

    private static io.restassured.response.Response post(String admin, Map<String, Object> body) {
        return given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).post("/api/v1/address-pools");
    }
}
