package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.DbAssertions.query;
import static io.starconsole.functions.command.Queue.box;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.enqueueFor;
import static io.starconsole.functions.command.Queue.lease;
import static io.starconsole.functions.command.Queue.newGroup;
import static io.starconsole.functions.command.Queue.report;
import static io.starconsole.functions.command.Queue.succeed;
import static io.starconsole.functions.command.Queue.toBox;
import static io.starconsole.functions.command.Queue.token;
import static io.starconsole.functions.command.Queue.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class RiskyCommandTest {

    @Inject
    Pool pool;

    @Inject
    CommandQueue queue;

    @Test
    void changeAddress_promisedAtLease_registrationOnTheNewAddressIsOk_thenSucceeded() {
        Queue.TestBox box = box(newGroup());
        String wanted = freeAddress();
        long id = enqueueFor(box, "CHANGE_L3_SPN_IP_ADDRESS", wanted + "|255.255.0.0");
        JsonPath leased = lease(box);
        assertThat(leased.getString("command.contents")).isEqualTo(wanted + "|255.255.0.0");
        Row promise = one(pool, "SELECT state, box_id, note FROM address_leases WHERE address = $1::text::inet", wanted);
        assertThat(promise.getString("state")).isEqualTo("reserved");
        assertThat(promise.getInteger("box_id")).isEqualTo(box.id());
        assertThat(promise.getString("note")).isEqualTo("pending change " + id);
        // The risky visibility timeout: the box re-registers before it answers.
        assertThat(one(pool, "SELECT leased_until - now() > interval '100 seconds' FROM command_deliveries"
                + " WHERE command_id = $1", id).getBoolean(0)).isTrue();

        Map<String, Object> again = Edge.register(box.key(), "203.0.113.7", 40000, Edge.hello(null, wanted));
        again.put("reconnect", true);
        JsonPath registered = Edge.registerBox(again);
        assertThat(registered.getString("outcome")).isEqualTo("OK");
        assertThat(registered.getString("spnIp")).isEqualTo(wanted);
        assertThat(one(pool, "SELECT vpnip FROM spnclients WHERE id = $1", box.id()).getString(0)).isEqualTo(wanted);
        assertThat(one(pool, "SELECT state FROM address_leases WHERE address = $1::text::inet", box.spnIp())
                .getString(0)).isEqualTo("cooling");

        succeed(box, id);
        assertThat(view(id).getString("state")).isEqualTo("succeeded");
        assertThat(one(pool, "SELECT state FROM address_leases WHERE address = $1::text::inet", wanted).getString(0))
                .isEqualTo("bound");
    }

    @Test
    void changeAddress_rolledBack_releasesThePromise_andTheBoxKeepsItsAddress() {
        Queue.TestBox box = box(newGroup());
        String wanted = freeAddress();
        long id = enqueueFor(box, 104, wanted + "|255.255.0.0");
        lease(box);
        report(box.key(), id, "rolled_back", "no answer on the new address within 60 s").then().statusCode(204);
        assertThat(view(id).getString("state")).isEqualTo("rolled_back");
        assertThat(view(id).getInt("counts.rolledBack")).isEqualTo(1);
        assertThat(query(pool, "SELECT 1 FROM address_leases WHERE address = $1::text::inet", wanted).size()).isZero();
        assertThat(Edge.registerBox(box.key(), null, box.spnIp()).getString("outcome")).isEqualTo("OK");
    }

    @Test
    void changeAddress_expiredWhileLeased_releasesThePromise() {
        Queue.TestBox box = box(newGroup());
        String wanted = freeAddress();
        Map<String, Object> body = new HashMap<>(command(104, toBox(box), wanted + "|255.255.0.0"));
        body.put("expiresAt", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60).toString());
        long id = enqueue(body).getLong("id");
        lease(box);
        assertThat(query(pool, "SELECT 1 FROM address_leases WHERE address = $1::text::inet", wanted).size()).isEqualTo(1);
        // Past the risky lease (120 s) and the expiry: the sweep ends it.
        queue.sweep(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(200))
                .await().atMost(java.time.Duration.ofSeconds(30));
        assertThat(view(id).getString("state")).isEqualTo("expired");
        assertThat(query(pool, "SELECT 1 FROM address_leases WHERE address = $1::text::inet", wanted).size()).isZero();
    }

    @Test
    void regenerateKey_success_movesTheBoxToItsNewKey_keepingIdAddressAndHistory() {
        Queue.TestBox box = box(newGroup());
        long id = enqueueFor(box, "REGENERATE_L3_SPN_KEY", "now");
        lease(box);
        String newKey = Edge.newKey();
        report(box.key(), id, "succeeded", "new-key " + newKey).then().statusCode(204);
        assertThat(view(id).getString("state")).isEqualTo("succeeded");
        Row event = one(pool, "SELECT detail FROM box_events WHERE box_id = $1 AND kind = 'key_changed'", box.id());
        assertThat(event.getString("detail")).contains(box.key().substring(0, 8)).contains(newKey.substring(0, 8));

        JsonPath registered = Edge.registerBox(newKey, null, box.spnIp());
        assertThat(registered.getInt("boxId")).isEqualTo(box.id());
        assertThat(registered.getString("outcome")).isEqualTo("OK");
        assertThat(registered.getString("spnIp")).isEqualTo(box.spnIp());
        given().auth().oauth2(token()).get("/api/v1/boxes/" + box.id() + "/history").then().statusCode(200)
                .body("items.find { it.kind == 'key_changed' }.detail", org.hamcrest.Matchers.notNullValue());
        // A repeated result under the new key changes nothing.
        report(newKey, id, "succeeded", "new-key " + newKey).then().statusCode(204);
    }

    @Test
    void regenerateKey_rolledBackAfterTheNewKeyWasReported_movesTheBoxBackToItsOldKey() {
        Queue.TestBox box = box(newGroup());
        long id = enqueueFor(box, 108, "now");
        lease(box);
        String newKey = Edge.newKey();
        report(box.key(), id, "succeeded", "new-key " + newKey).then().statusCode(204);
        // The agent's second result, under its old key: a failure whose message marks a roll-back.
        report(box.key(), id, "failed", "rolled back: no registration answer within 30000 ms").then().statusCode(204);
        assertThat(view(id).getString("state")).isEqualTo("rolled_back");
        assertThat(one(pool, "SELECT publickey FROM spnclients WHERE id = $1", box.id()).getString(0)).isEqualTo(box.key());
        assertThat(Edge.registerBox(box.key(), null, box.spnIp()).getInt("boxId")).isEqualTo(box.id());
    }

    @Test
    void regenerateKey_newKeyOfAnotherBox_isRefusedAndFailed() {
        Queue.TestBox box = box(newGroup());
        Queue.TestBox other = box(newGroup());
        long id = enqueueFor(box, 108, "now");
        lease(box);
        report(box.key(), id, "succeeded", "new-key " + other.key()).then().statusCode(204);
        assertThat(view(id).getString("state")).isEqualTo("failed");
        assertThat(one(pool, "SELECT publickey FROM spnclients WHERE id = $1", box.id()).getString(0)).isEqualTo(box.key());
    }

    @Test
    void p2pPair_isOneOperation_doneWhenBothEndsSucceed() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        JsonPath first = enqueue(pair(a, b, "ADD_P2P_SPN_TUNNEL"));
        long operation = first.getLong("operationId");
        assertThat(operation).isEqualTo(first.getLong("id"));

        JsonPath onA = lease(a);
        JsonPath onB = lease(b);
        assertThat(onA.getLong("command.commandId")).isEqualTo(operation);
        long second = onB.getLong("command.commandId");
        assertThat(view(second).getLong("operationId")).isEqualTo(operation);
        assertThat(onB.getString("command.contents"))
                .isEqualTo("groupname|test1|vip|" + a.spnIp() + "|lport|12345|ekey|" + a.key() + "|server|13.125.60.224:49918");
        succeed(a, operation);
        succeed(b, second);
        assertThat(view(operation).getString("state")).isEqualTo("succeeded");
        assertThat(view(second).getString("state")).isEqualTo("succeeded");
    }

    @Test
    void p2pPair_oneEndFails_theSucceededEndIsUndone() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        long operation = enqueue(pair(a, b, "ADD_P2P_SPN_TUNNEL")).getLong("operationId");
        lease(a);
        long second = lease(b).getLong("command.commandId");
        succeed(a, operation);
        report(b.key(), second, "failed", "wg: no route to server").then().statusCode(204);

        JsonPath undo = lease(a);
        assertThat(undo.getInt("command.type")).isEqualTo(110);
        assertThat(undo.getInt("command.priority")).isEqualTo(1);
        long undoId = undo.getLong("command.commandId");
        assertThat(view(undoId).getLong("undoesCommandId")).isEqualTo(operation);
        assertThat(view(undoId).getLong("operationId")).isEqualTo(operation);
        assertThat(lease(b).getString("command")).isNull();
    }

    @Test
    void p2pPair_oneEndFailsFirst_theQueuedEndIsCancelled() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        long operation = enqueue(pair(a, b, "REMOVE_P2P_SPN_TUNNEL")).getLong("operationId");
        lease(a);
        report(a.key(), operation, "failed", "no such tunnel").then().statusCode(204);
        assertThat(lease(b).getString("command")).isNull();
        given().auth().oauth2(token()).queryParam("box", b.id()).get("/api/v1/commands").then().statusCode(200)
                .body("items[0].state", equalTo("cancelled")).body("items[0].operationId", equalTo((int) operation));
    }

    @Test
    void p2pPair_ruleNotNamingThePeersKey_isRefused() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        Map<String, Object> body = pair(a, b, "ADD_P2P_SPN_TUNNEL");
        body.put("arguments", CommandApiTest.P2P);
        Queue.post(body).then().statusCode(400).body("field", equalTo("peer"));
    }

    private static Map<String, Object> pair(Queue.TestBox a, Queue.TestBox b, String type) {
        Map<String, Object> body = new HashMap<>(command(type, toBox(a),
                "groupname|test1|vip|" + b.spnIp() + "|lport|12345|ekey|" + b.key() + "|server|13.125.60.224:49918"));
        body.put("peer", toBox(b));
        return body;
    }

    private String freeAddress() {
        for (int third = 240; third > 0; third--) {
            String candidate = "10.99." + third + "." + (11 + third % 200);
            if (query(pool, "SELECT 1 FROM address_leases WHERE address = $1::text::inet", candidate).size() == 0) {
                return candidate;
            }
        }
        throw new AssertionError("no free address");
    }
}
