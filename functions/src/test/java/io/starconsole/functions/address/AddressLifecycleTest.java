package io.starconsole.functions.address;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.box.PresenceService;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.registerBox;
import static io.starconsole.functions.DbAssertions.one;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class AddressLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    PresenceService presence;

    @Test
    void cancelIp_releasesIntoCoolDown_theAddressIsNotHandedOutUntilItEnds() {
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 28);
        String key = newKey();
        String address = registerBox(key, group, null).getString("spnIp");

        Edge.call().body(Map.of("publicKey", key)).post("/internal/v1/cancel-ip").then().statusCode(204);
        assertThat(lease(address).getString("state")).isEqualTo("cooling");
        assertThat(vpnip(key)).startsWith("0.");

        JsonPath other = registerBox(newKey(), group, address);
        assertThat(other.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(other.getString("spnIp")).isNotEqualTo(address);
        JsonPath same = registerBox(key, group, address);
        assertThat(same.getString("spnIp")).isNotEqualTo(address);

        pool.preparedQuery("UPDATE address_leases SET cool_down_until = now() - interval '1 second'"
                + " WHERE address = $1::text::inet").execute(Tuple.of(address)).await().atMost(WAIT);
        JsonPath later = registerBox(newKey(), group, address);
        assertThat(later.getString("outcome")).isEqualTo("OK");
        assertThat(later.getString("spnIp")).isEqualTo(address);
    }

    @Test
    void reclaim_afterLongAbsence_returnsTheAddress_butNotOfABoxStillOnline() {
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 28);
        String gone = newKey();
        String stays = newKey();
        String goneAddress = registerBox(gone, group, null).getString("spnIp");
        String staysAddress = registerBox(stays, group, null).getString("spnIp");
        Edge.call().body(Map.of("publicKey", gone, "edgeId", "edge-1")).post("/internal/v1/bye").then().statusCode(204);

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        presence.reclaimLeases(now.plusDays(29)).await().atMost(WAIT);
        assertThat(lease(goneAddress).getString("state")).isEqualTo("bound");

        presence.reclaimLeases(now.plusDays(31)).await().atMost(WAIT);
        assertThat(lease(goneAddress).getString("state")).isEqualTo("cooling");
        assertThat(vpnip(gone)).startsWith("0.");
        assertThat(lease(staysAddress).getString("state")).isEqualTo("bound");
        assertThat(vpnip(stays)).isEqualTo(staysAddress);

        JsonPath back = registerBox(gone, group, goneAddress);
        assertThat(back.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(back.getString("spnIp")).isNotEqualTo(goneAddress);
    }

    @Test
    void cancelIp_unknownBox_is404() {
        Edge.call().body(Map.of("publicKey", newKey())).post("/internal/v1/cancel-ip").then().statusCode(404);
    }

    private Row lease(String address) {
        return one(pool, "SELECT * FROM address_leases WHERE address = $1::text::inet", address);
    }

    private String vpnip(String key) {
        return one(pool, "SELECT vpnip FROM spnclients WHERE publickey = $1", key).getString(0);
    }
}
