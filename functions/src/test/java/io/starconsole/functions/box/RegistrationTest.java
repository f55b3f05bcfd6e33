package io.starconsole.functions.box;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.address.TestPools;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.starconsole.functions.edgeapi.Edge.hello;
import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.register;
import static io.starconsole.functions.edgeapi.Edge.registerBox;
import static io.starconsole.functions.DbAssertions.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class RegistrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    RegistrationService registrations;

    @Test
    void register_newBoxAskingForNone_getsAnAddressOfTheDefaultPool_andASeedRow() {
        String key = newKey();
        JsonPath answer = registerBox(register(key, "198.51.100.4", 40001, hello(null, "0.0.0.0")));

        assertThat(answer.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(answer.getString("mask")).isEqualTo("255.255.0.0");
        String spnIp = answer.getString("spnIp");
        Ipv4.Cidr defaultPool = Ipv4.Cidr.parse("10.99.0.0/16");
        assertThat(defaultPool.isHost(Ipv4.parse(spnIp))).isTrue();
        assertThat(spnIp).isNotEqualTo("10.99.0.1"); // the gateway
        assertThat(answer.getBoolean("commandsPending")).isFalse();

        Row row = seedRow(key);
        assertThat(row.getString("realip")).isEqualTo("198.51.100.4");
        assertThat(row.getString("vpnip")).isEqualTo(spnIp);
        assertThat(row.getShort("edport")).isEqualTo((short) 51820);
        assertThat(row.getString("mac_addr")).startsWith("02:00:00:");
        assertThat(row.getString("allowed_ips")).isEqualTo("10.1.2.1/32");
        assertThat(row.getString("spnbox_id")).startsWith("box-");
        assertThat(row.getLocalDate("created_date")).isNotNull();
        assertThat(row.getBoolean("online")).isTrue();
        assertThat(row.getInteger("realport")).isEqualTo(40001);
    }

    @Test
    void register_twice_neverFails_andKeepsTheAddress() {
        String key = newKey();
        String first = registerBox(key, null, null).getString("spnIp");

        JsonPath again = registerBox(key, null, first);
        assertThat(again.getString("outcome")).isEqualTo("OK");
        assertThat(again.getString("spnIp")).isEqualTo(first);

        // A restart that forgot its address, from a new uplink: still the same address (sticky by key).
        JsonPath restarted = registerBox(register(key, "192.0.2.99", 1234, hello(null, null)));
        assertThat(restarted.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(restarted.getString("spnIp")).isEqualTo(first);
        assertThat(restarted.getInt("boxId")).isEqualTo(again.getInt("boxId"));
    }

    @Test
    void register_twoBoxesBehindOneNat_bothGetDistinctAddresses() {
        JsonPath a = registerBox(register(newKey(), "203.0.113.50", 1000, hello(null, null)));
        JsonPath b = registerBox(register(newKey(), "203.0.113.50", 1001, hello(null, null)));
        assertThat(a.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(b.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(a.getString("spnIp")).isNotEqualTo(b.getString("spnIp"));
    }

    @Test
    void register_requestedAddress_isHonouredWhenFree_replacedWhenTakenOrOutsideThePool() {
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = TestPools.createPool(pool, group, 28);
        String wanted = Ipv4.format(cidr.network() + 5);

        JsonPath first = registerBox(newKey(), group, wanted);
        assertThat(first.getString("outcome")).isEqualTo("OK");
        assertThat(first.getString("spnIp")).isEqualTo(wanted);
        assertThat(first.getString("mask")).isEqualTo("255.255.255.240");

        JsonPath taken = registerBox(newKey(), group, wanted);
        assertThat(taken.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(taken.getString("spnIp")).isNotEqualTo(wanted);
        assertThat(cidr.isHost(Ipv4.parse(taken.getString("spnIp")))).isTrue();

        JsonPath outside = registerBox(newKey(), group, "10.99.0.77");
        assertThat(outside.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(cidr.isHost(Ipv4.parse(outside.getString("spnIp")))).isTrue();

        JsonPath gateway = registerBox(newKey(), group, Ipv4.format(cidr.firstHost()));
        assertThat(gateway.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(gateway.getString("spnIp")).isNotEqualTo(Ipv4.format(cidr.firstHost()));
    }

    @Test
    void register_smallPoolExhausted_isNokAddressExhausted_andNeverHandsOutNetworkBroadcastOrGateway() {
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = TestPools.createPool(pool, group, 29); // hosts .1-.6, gateway .1: five to give
        Set<String> given = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            JsonPath answer = registerBox(newKey(), group, null);
            assertThat(answer.getString("outcome")).isEqualTo("OK_NEWIP");
            given.add(answer.getString("spnIp"));
        }
        Set<String> expected = new HashSet<>();
        for (long a = cidr.network() + 2; a <= cidr.lastHost(); a++) {
            expected.add(Ipv4.format(a));
        }
        assertThat(given).isEqualTo(expected);

        JsonPath sixth = registerBox(newKey(), group, null);
        assertThat(sixth.getString("outcome")).isEqualTo("NOK");
        assertThat(sixth.getString("nokReason")).isEqualTo("ADDRESS_EXHAUSTED");
        assertThat(sixth.getInt("boxId")).isPositive();
        // The box is stored all the same, with its placeholder vpnip (0.x.y.z), and asks again later.
        Row row = one(pool, "SELECT vpnip FROM spnclients WHERE id = $1", sixth.getInt("boxId"));
        assertThat(row.getString("vpnip")).startsWith("0.");
    }

    @Test
    void register_200BoxesFrom16ParallelEdges_allGetDistinctAddressesOfTheirPool() throws Exception {
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = TestPools.createPool(pool, group, 24);
        ExecutorService workers = Executors.newFixedThreadPool(16);
        try {
            List<Future<JsonPath>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                answers.add(workers.submit(() -> registerBox(newKey(), group, null)));
            }
            Set<String> addresses = new HashSet<>();
            for (Future<JsonPath> answer : answers) {
                JsonPath json = answer.get();
                assertThat(json.getString("outcome")).isEqualTo("OK_NEWIP");
                long address = Ipv4.parse(json.getString("spnIp"));
                assertThat(cidr.isHost(address)).isTrue();
                assertThat(address).isNotEqualTo(cidr.firstHost());
                addresses.add(json.getString("spnIp"));
            }
            assertThat(addresses).hasSize(200);
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void register_concurrentlyThroughTheService_neverSharesAnAddress() {
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = TestPools.createPool(pool, group, 26); // 61 assignable hosts
        List<Uni<RegisterResult>> calls = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> hello = hello(group, null);
            RegisterRequest.Hello h = new RegisterRequest.Hello(group, "svc-" + i, (String) hello.get("macAddress"),
                    null, null, 51820, 51820, null, null, null);
            calls.add(registrations.register(new RegisterRequest(newKey(), "edge-2", "192.0.2.1", 5000 + i, false, h)));
        }
        List<RegisterResult> results = Uni.join().all(calls).andFailFast().await().atMost(WAIT);

        List<String> addresses = results.stream().filter(r -> r.spnIp() != null).map(RegisterResult::spnIp).toList();
        assertThat(addresses).hasSize(61).doesNotHaveDuplicates();
        assertThat(addresses).allMatch(a -> cidr.isHost(Ipv4.parse(a)) && Ipv4.parse(a) != cidr.firstHost());
        assertThat(results.stream().filter(r -> r.outcome() == RegisterResult.Outcome.NOK))
                .hasSize(9).allMatch(r -> r.nokReason() == RegisterResult.NokReason.ADDRESS_EXHAUSTED);
        long leases = one(pool, "SELECT count(*) FROM address_leases l JOIN address_pools p ON p.id = l.pool_id"
                        + " WHERE p.groupname = $1 AND l.state = 'bound'", group).getLong(0);
        assertThat(leases).isEqualTo(61);
    }

    @Test
    void register_inAnotherGroup_movesTheBoxToThatGroupsPool_andReleasesTheOldAddress() {
        String first = TestPools.newGroup();
        String second = TestPools.newGroup();
        Ipv4.Cidr firstPool = TestPools.createPool(pool, first, 29);
        Ipv4.Cidr secondPool = TestPools.createPool(pool, second, 29);
        String key = newKey();
        String old = registerBox(key, first, null).getString("spnIp");
        assertThat(firstPool.isHost(Ipv4.parse(old))).isTrue();

        JsonPath moved = registerBox(key, second, old);
        assertThat(moved.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(secondPool.isHost(Ipv4.parse(moved.getString("spnIp")))).isTrue();
        assertThat(one(pool, "SELECT state FROM address_leases WHERE address = $1::text::inet", old).getString(0))
                .isEqualTo("cooling");
        assertThat(one(pool, "SELECT groupname, vpnip FROM spnclients WHERE publickey = $1", key).getString("vpnip"))
                .isEqualTo(moved.getString("spnIp"));
    }

    @Test
    void register_groupWithoutAPool_drawsFromTheDefaultPool() {
        JsonPath answer = registerBox(newKey(), TestPools.newGroup(), null);
        assertThat(answer.getString("outcome")).isEqualTo("OK_NEWIP");
        assertThat(answer.getString("spnIp")).startsWith("10.99.");
    }

    @Test
    void register_badHello_isNokBadRequest_badEnvelopeIs400() {
        Map<String, Object> hello = hello(null, null);
        hello.put("macAddress", "not-a-mac");
        JsonPath answer = registerBox(register(newKey(), "203.0.113.7", 1, hello));
        assertThat(answer.getString("outcome")).isEqualTo("NOK");
        assertThat(answer.getString("nokReason")).isEqualTo("BAD_REQUEST");
        assertThat(answer.getString("message")).contains("macAddress");

        Edge.call().body(register("short", "203.0.113.7", 1, hello(null, null)))
                .post("/internal/v1/register")
                .then().statusCode(400).body("field", equalTo("publicKey"));
    }

    private Row seedRow(String key) {
        return one(pool, "SELECT * FROM spnclients WHERE publickey = $1", key);
    }
}
