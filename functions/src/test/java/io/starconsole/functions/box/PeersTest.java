package io.starconsole.functions.box;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.address.TestPools;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.registerBox;
import static io.starconsole.functions.DbAssertions.one;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class PeersTest {

    @Inject
    Pool pool;

    @Test
    void peers_areTheOtherBoxesOfTheGroup_pagedByEight() {
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 27);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String key = newKey();
            registerBox(key, group, null);
            keys.add(key);
        }
        registerBox(newKey(), TestPools.newGroup(), null); // another group: never a peer

        JsonPath first = peers(keys.get(0), 0);
        assertThat(first.getInt("page")).isEqualTo(0);
        assertThat(first.getInt("totalPages")).isEqualTo(2);
        assertThat(first.getList("peers")).hasSize(8);
        JsonPath second = peers(keys.get(0), 1);
        assertThat(second.getList("peers")).hasSize(1);

        List<String> seen = new ArrayList<>(first.getList("peers.publicKey"));
        seen.addAll(second.getList("peers.publicKey"));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(keys.subList(1, 10));
        assertThat(first.getString("peers[0].endpoint")).isEqualTo("203.0.113.7:51820");
        assertThat(first.getString("peers[0].groupName")).isEqualTo(group);
        assertThat(first.getString("peers[0].allowedIps")).isEqualTo("10.1.2.1/32");
        assertThat(first.getString("peers[0].spnIp")).startsWith("172.");
    }

    @Test
    void spnInfo_updatesWhatPeersSee_andTheSeedEdport() {
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 29);
        String a = newKey();
        String b = newKey();
        registerBox(a, group, null);
        registerBox(b, group, null);

        Map<String, Object> info = new HashMap<>();
        info.put("publicKey", b);
        info.put("endpointHost", "gw.example.net");
        info.put("endpointPort", 60000);
        info.put("allowedIps", "10.1.3.0/24");
        info.put("listenPort", 60000);
        Edge.call().body(info).post("/internal/v1/spn-info").then().statusCode(204);

        JsonPath peers = peers(a, 0);
        assertThat(peers.getString("peers[0].endpoint")).isEqualTo("gw.example.net:60000");
        assertThat(peers.getString("peers[0].allowedIps")).isEqualTo("10.1.3.0/24");
        var row = one(pool, "SELECT edport, endpoint_port, listen_port FROM spnclients WHERE publickey = $1", b);
        assertThat(row.getShort("edport")).isEqualTo((short) (60000 - 65536));
        assertThat(row.getInteger("endpoint_port")).isEqualTo(60000);
        assertThat(row.getInteger("listen_port")).isEqualTo(60000);
    }

    @Test
    void spnInfo_badAllowedIps_namesTheField() {
        String a = newKey();
        registerBox(a, null, null);
        Edge.call().body(Map.of("publicKey", a, "allowedIps", "everything")).post("/internal/v1/spn-info")
                .then().statusCode(400).body("field", org.hamcrest.Matchers.equalTo("allowedIps"));
    }

    private static JsonPath peers(String key, int page) {
        return Edge.call().body(Map.of("publicKey", key, "page", page)).post("/internal/v1/peers")
                .then().statusCode(200).extract().jsonPath();
    }
}
