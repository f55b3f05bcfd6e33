package io.starconsole.functions.box;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.starconsole.functions.address.Ipv4;
import io.starconsole.functions.address.TestPools;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.edgeapi.Edge.hello;
import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.register;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class BatchRegistrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    @Inject
    BatchRegistration batches;

    @Test
    void registerBatch_newBoxes_eachGetsItsOwnAddress_answeredInTheOrderAsked() {
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = TestPools.createPool(pool, group, 24);
        List<String> keys = new ArrayList<>();
        List<Map<String, Object>> hellos = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            keys.add(newKey());
            hellos.add(register(keys.get(i), "198.51.100.9", 41000 + i, hello(group, null)));
        }

        List<Map<String, Object>> answers = registerBatch(hellos);

        assertThat(answers).hasSize(40);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Map<String, Object> answer = answers.get(i);
            assertThat(answer.get("outcome")).isEqualTo("OK_NEWIP");
            String spnIp = (String) answer.get("spnIp");
            assertThat(cidr.isHost(Ipv4.parse(spnIp))).isTrue();
            assertThat(Ipv4.parse(spnIp)).isNotEqualTo(cidr.firstHost());
            // The i-th answer is the i-th box's: the registry holds that address for that key.
            assertThat(one(pool, "SELECT vpnip, realport FROM spnclients WHERE publickey = $1", keys.get(i))
                    .getString("vpnip")).isEqualTo(spnIp);
            addresses.add(spnIp);
        }
        assertThat(addresses).doesNotHaveDuplicates();
    }

    @Test
    void registerBatch_knownBoxAgain_andTwiceInOneBatch_keepsItsAddress() {
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 24);
        String key = newKey();
        String first = Edge.registerBox(key, group, null).getString("spnIp");

        List<Map<String, Object>> answers = registerBatch(List.of(
                register(key, "198.51.100.10", 42000, hello(group, null)),
                register(newKey(), "198.51.100.10", 42001, hello(group, null)),
                register(key, "198.51.100.10", 42002, hello(group, null))));

        assertThat(answers.get(0).get("spnIp")).isEqualTo(first);
        assertThat(answers.get(2).get("spnIp")).isEqualTo(first);
        assertThat(answers.get(1).get("spnIp")).isNotEqualTo(first);
        assertThat(one(pool, "SELECT count(*) FROM address_leases l JOIN spnclients c ON c.id = l.box_id"
                + " WHERE c.publickey = $1 AND l.state = 'bound'", key).getLong(0)).isEqualTo(1);
        assertThat(one(pool, "SELECT realport FROM spnclients WHERE publickey = $1", key).getInteger("realport"))
                .isEqualTo(42002);
    }

    @Test
    void registerBatch_badEntries_areRefusedAlone_theOthersRegistered() {
        String group = TestPools.newGroup();
        TestPools.createPool(pool, group, 24);
        Map<String, Object> badMac = hello(group, null);
        badMac.put("macAddress", "not-a-mac");
        Map<String, Object> noEdge = register(newKey(), "198.51.100.11", 43001, hello(group, null));
        noEdge.remove("edgeId");
        String goodKey = newKey();
        String badMacKey = newKey();

        List<Map<String, Object>> answers = registerBatch(List.of(
                register(badMacKey, "198.51.100.11", 43000, badMac),
                noEdge,
                register(goodKey, "198.51.100.11", 43002, hello(group, null))));

        assertThat(answers.get(0).get("outcome")).isEqualTo("NOK");
        assertThat(answers.get(0).get("nokReason")).isEqualTo("BAD_REQUEST");
        assertThat((String) answers.get(0).get("message")).contains("macAddress");
        assertThat(answers.get(1).get("outcome")).isEqualTo("NOK");
        assertThat(answers.get(1).get("nokReason")).isEqualTo("BAD_REQUEST");
        assertThat(answers.get(2).get("outcome")).isEqualTo("OK_NEWIP");
        assertThat(one(pool, "SELECT count(*) FROM spnclients WHERE publickey = $1", badMacKey).getLong(0)).isZero();
        assertThat(one(pool, "SELECT count(*) FROM spnclients WHERE publickey = $1", goodKey).getLong(0)).isEqualTo(1);
    }

    @Test
    void registerBatch_emptyOrOversized_is400_andChangesNothing() {
        Edge.call().body(Map.of("registrations", List.of())).post("/internal/v1/register-batch")
                .then().statusCode(400);
        List<Map<String, Object>> tooMany = new ArrayList<>();
        String key = newKey();
        for (int i = 0; i <= BatchRegistration.MAX_BATCH; i++) {
            tooMany.add(register(i == 0 ? key : newKey(), "198.51.100.12", 44000, hello(null, null)));
        }
        Edge.call().body(Map.of("registrations", tooMany)).post("/internal/v1/register-batch").then().statusCode(400);
        assertThat(one(pool, "SELECT count(*) FROM spnclients WHERE publickey = $1", key).getLong(0)).isZero();
    }

    @Test
    void registerBatch_batchesRacingForASmallPool_neverShareAnAddress() {
        String group = TestPools.newGroup();
        Ipv4.Cidr cidr = TestPools.createPool(pool, group, 26); // 61 assignable hosts
        List<Uni<BatchRegistration.Answers>> racing = new ArrayList<>();
        for (int b = 0; b < 4; b++) {
            List<RegisterRequest> requests = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> hello = hello(group, null);
                requests.add(new RegisterRequest(newKey(), "edge-" + b, "192.0.2.9", 6000 + 20 * b + i, false,
                        new RegisterRequest.Hello(group, "race-" + b + "-" + i, (String) hello.get("macAddress"), null,
                                null, 51820, 51820, null, null, null)));
            }
            racing.add(batches.register(new BatchRegistration.Batch(requests)));
        }

        List<RegisterResult> results = Uni.join().all(racing).andFailFast().await().atMost(WAIT).stream()
                .flatMap(answers -> answers.results().stream()).toList();

        assertThat(results).hasSize(80);
        List<String> addresses = results.stream().filter(r -> r.spnIp() != null).map(RegisterResult::spnIp).toList();
        assertThat(addresses).hasSizeBetween(55, 61).doesNotHaveDuplicates()
                .allMatch(a -> cidr.isHost(Ipv4.parse(a)) && Ipv4.parse(a) != cidr.firstHost());
        assertThat(results.stream().filter(r -> r.outcome() == RegisterResult.Outcome.NOK))
                .hasSize(80 - addresses.size()).allMatch(r -> r.nokReason() == RegisterResult.NokReason.ADDRESS_EXHAUSTED
                        || r.nokReason() == RegisterResult.NokReason.TRY_AGAIN);
        assertThat(one(pool, "SELECT count(*) FROM address_leases l JOIN address_pools p ON p.id = l.pool_id"
                + " WHERE p.groupname = $1 AND l.state = 'bound'", group).getLong(0)).isEqualTo(addresses.size());
    }

    /** Posts the registrations as one batch, as an edge does; the answers in order. */
    static List<Map<String, Object>> registerBatch(List<Map<String, Object>> registrations) {
        JsonPath answer = Edge.call().body(Map.of("registrations", registrations)).post("/internal/v1/register-batch")
                .then().statusCode(200).extract().jsonPath();
        return answer.getList("results");
    }
}
