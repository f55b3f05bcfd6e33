package io.starconsole.functions.hostile;

import io.restassured.http.ContentType;
import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.address.TestPools;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.ApiTestSupport.adminToken;
import static io.starconsole.functions.ApiTestSupport.login;
import static io.starconsole.functions.DbAssertions.one;

/**
 * What the hostile requests are aimed at: an id no row has, a spare account (so no refused
 * password change ever touches the admin the other tests log in as), an account to aim changes
 * at, and a real address pool.
 * Made once per test class; {@code ${name}} in a path or body is replaced by the value of name.
 */
final class Fixtures {

    /** An id no table reaches in a test run. */
    static final String ABSENT_ID = "2000000000";
    static final String PASSWORD = "a-spare-account-password";

    private final Map<String, String> values = new HashMap<>();
    private final String adminToken;
    private final String spareToken;

    Fixtures(Pool pool) {
        adminToken = adminToken();
        String username = "spare-" + UUID.randomUUID().toString().substring(0, 8);
        newAccount(username);
        spareToken = login(username, PASSWORD);
        int account = newAccount("target-" + UUID.randomUUID().toString().substring(0, 8));
        String group = TestPools.newGroup();
        Ipv4.Cidr network = TestPools.createPool(pool, group, 28);
        int poolId = one(pool, "SELECT id FROM address_pools WHERE groupname = $1", group).getInteger("id");

        values.put("id", ABSENT_ID);
        values.put("account", Integer.toString(account));
        values.put("pool", Integer.toString(poolId));
        values.put("poolAddress", Ipv4.format(network.firstHost() + 2));
        values.put("group", group);
        values.put("publicKey", Edge.newKey());
        values.put("urlKey", Edge.newKey().replace('+', '-').replace('/', '_'));
        values.put("address", Ipv4.format(network.firstHost() + 3));
        values.put("token", "AAAAAAAAAAAAAAAAAAAAAA");
        values.put("name", "manifest.json");
    }

    private int newAccount(String username) {
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", PASSWORD, "role", "viewer"))
                .post("/api/v1/admins").then().statusCode(201).extract().path("id");
    }

    String token(Endpoint.Access access) {
        return switch (access) {
            case NONE -> null;
            case ADMIN -> adminToken;
            case SPARE_ACCOUNT -> spareToken;
            case EDGE -> Edge.SECRET;
        };
    }

    /** The template with {@code {name}} and {@code ${name}} replaced; unique and newKey are new each time. */
    String fill(String template) {
        String filled = template;
        Map<String, String> all = new HashMap<>(values);
        all.put("unique", UUID.randomUUID().toString().substring(0, 8));
        all.put("newKey", Edge.newKey());
        for (Map.Entry<String, String> value : all.entrySet()) {
            filled = filled.replace("${" + value.getKey() + "}", value.getValue())
                    .replace("{" + value.getKey() + "}", value.getValue());
        }
        return filled;
    }
}
