package io.starconsole.functions.box;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.address.TestPools;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.box.BatchRegistrationTest.registerBatch;
import static io.starconsole.functions.edgeapi.Edge.hello;
import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.register;
import static org.assertj.core.api.Assertions.assertThat;

/** The batch path that registers the new boxes of a batch together (set-wise), against the rules of the single path. */
@QuarkusTest
class BatchRegistrationNewBoxesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    BatchRegistration batches;

    @Test
    void registerBatch_newKeyTwiceInOneBatch_isOneBox_withOneAddress() {
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 24);
        String key = newKey();

        List<Map<String, Object>> answers = registerBatch(List.of(
                register(key, "198.51.100.20", 45000, hello(group, null)),
                register(newKey(), "198.51.100.20", 45001, hello(group, null)),
                register(key, "198.51.100.20", 45002, hello(group, null))));

        assertThat(answers.get(0).get("outcome")).isEqualTo("OK_NEWIP");
        assertThat(answers.get(2).get("spnIp")).isEqualTo(answers.get(0).get("spnIp"));
        assertThat(answers.get(2).get("boxId")).isEqualTo(answers.get(0).get("boxId"));
        assertThat(answers.get(1).get("spnIp")).isNotEqualTo(answers.get(0).get("spnIp"));
        assertThat(one(pool, "SELECT count(*) FROM spnclients WHERE publickey = $1", key).getLong(0)).isEqualTo(1);
        assertThat(one(pool, "SELECT count(*) FROM address_leases l JOIN spnclients c ON c.id = l.box_id"
                + " WHERE c.publickey = $1 AND l.state = 'bound'", key).getLong(0)).isEqualTo(1);
        assertThat(one(pool, "SELECT vpnip, realport FROM spnclients WHERE publickey = $1", key).getString("vpnip"))
                .isEqualTo(answers.get(0).get("spnIp"));
        assertThat(one(pool, "SELECT string_agg(e.detail, '|' ORDER BY e.id) FROM box_events e"
                + " JOIN spnclients c ON c.id = e.box_id WHERE c.publickey = $1 AND e.kind = 'registered'", key)
                .getString(0)).isEqualTo("new, accepted|again, accepted");
    }

    @Test
    void registerBatch_newBoxesAskingForOneAddress_theFirstGetsIt_theOthersAnother() {
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = TestPools.createPool(pool, group, 24);
        String wanted = Ipv4.format(cidr.firstHost() + 10);
        String reserved = Ipv4.format(cidr.firstHost() + 11);
        pool.preparedQuery("INSERT INTO address_leases (address, pool_id, state, pinned, note)"
                        + " SELECT $1::text::inet, id, 'reserved', true, 'test' FROM address_pools WHERE groupname = $2")
                .execute(Tuple.of(reserved, group)).await().atMost(WAIT);
        String gateway = Ipv4.format(cidr.firstHost());

        List<Map<String, Object>> answers = registerBatch(List.of(
                register(newKey(), "198.51.100.21", 46000, hello(group, wanted)),
                register(newKey(), "198.51.100.21", 46001, hello(group, wanted)),
                register(newKey(), "198.51.100.21", 46002, hello(group, reserved)),
                register(newKey(), "198.51.100.21", 46003, hello(group, gateway)),
                register(newKey(), "198.51.100.21", 46004, hello(group, "10.250.0.1"))));

        assertThat(answers.get(0).get("outcome")).isEqualTo("OK");
        assertThat(answers.get(0).get("spnIp")).isEqualTo(wanted);
        for (int i = 1; i < 5; i++) {
            assertThat(answers.get(i).get("outcome")).isEqualTo("OK_NEWIP");
            assertThat(Ipv4.parse((String) answers.get(i).get("spnIp")))
                    .isNotIn(Ipv4.parse(wanted), Ipv4.parse(reserved), Ipv4.parse(gateway));
            assertThat(cidr.isHost(Ipv4.parse((String) answers.get(i).get("spnIp")))).isTrue();
        }
        assertThat(answers.stream().map(a -> a.get("spnIp")).toList()).doesNotHaveDuplicates();
        assertThat(one(pool, "SELECT state, box_id FROM address_leases WHERE address = $1::text::inet", reserved)
                .getString("state")).isEqualTo("reserved");
    }

    @Test
    void registerBatch_poolRunsOutInTheMiddle_theLaterBoxesAreExhausted_theEarlierServed() {
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = TestPools.createPool(pool, group, 29); // 6 hosts, one the gateway: 5 to give
        List<String> keys = new ArrayList<>();
        List<Map<String, Object>> hellos = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            keys.add(newKey());
            hellos.add(register(keys.get(i), "198.51.100.22", 47000 + i, hello(group, null)));
        }

        List<Map<String, Object>> answers = registerBatch(hellos);

        List<Object> addresses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            assertThat(answers.get(i).get("outcome")).isEqualTo("OK_NEWIP");
            assertThat(cidr.isHost(Ipv4.parse((String) answers.get(i).get("spnIp")))).isTrue();
            addresses.add(answers.get(i).get("spnIp"));
        }
        assertThat(addresses).doesNotHaveDuplicates().doesNotContain(Ipv4.format(cidr.firstHost()));
        for (int i = 5; i < 8; i++) {
            assertThat(answers.get(i).get("outcome")).isEqualTo("NOK");
            assertThat(answers.get(i).get("nokReason")).isEqualTo("ADDRESS_EXHAUSTED");
            assertThat((String) answers.get(i).get("message")).contains("group " + group);
            // The box is registered, holding no address, as the single path leaves it.
            assertThat(one(pool, "SELECT vpnip FROM spnclients WHERE publickey = $1", keys.get(i)).getString("vpnip"))
                    .startsWith("0.");
        }
        assertThat(one(pool, "SELECT count(*) FROM address_leases l JOIN address_pools p ON p.id = l.pool_id"
                + " WHERE p.groupname = $1 AND l.state = 'bound'", group).getLong(0)).isEqualTo(5);
    }

    @Test
    void registerBatch_concurrentBatchesOfTheSameNewKeys_registerEachKeyOnce_withOneAddress() {
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 24);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add(newKey());
        }
        List<Uni<BatchRegistration.Answers>> racing = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            List<RegisterRequest> requests = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                // Each batch in another order, so the batches meet each other's rows from both sides.
                int k = b % 2 == 0 ? i : keys.size() - 1 - i;
                requests.add(new RegisterRequest(keys.get(k), "edge-" + b, "192.0.2.10", 7000 + k, false,
                        new RegisterRequest.Hello(group, "same-" + k, String.format("02:00:01:00:%02x:%02x", b, k), null,
                                null, 51820, 51820, null, null, null)));
            }
            racing.add(batches.register(new BatchRegistration.Batch(requests)));
        }

        List<BatchRegistration.Answers> answered = Uni.join().all(racing).andFailFast().await().atMost(WAIT);

        Map<String, Object> addressOfKey = new HashMap<>();
        for (int b = 0; b < 4; b++) {
            List<RegisterResult> results = answered.get(b).results();
            for (int i = 0; i < keys.size(); i++) {
                int k = b % 2 == 0 ? i : keys.size() - 1 - i;
                RegisterResult result = results.get(i);
                assertThat(result.outcome()).isEqualTo(RegisterResult.Outcome.OK_NEWIP);
                Object before = addressOfKey.putIfAbsent(keys.get(k), result.spnIp());
                if (before != null) {
                    assertThat(result.spnIp()).isEqualTo(before);
                }
            }
        }
        assertThat(addressOfKey.values()).hasSize(30).doesNotHaveDuplicates();
        assertThat(one(pool, "SELECT count(*), count(DISTINCT l.address) FROM address_leases l"
                + " JOIN address_pools p ON p.id = l.pool_id WHERE p.groupname = $1 AND l.state = 'bound'", group)
                .getLong(0)).isEqualTo(30);
        assertThat(one(pool, "SELECT count(*) FROM spnclients WHERE publickey = ANY($1)",
                (Object) keys.toArray(String[]::new)).getLong(0)).isEqualTo(30);
    }
}
