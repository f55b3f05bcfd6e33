package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.command.Queue.box;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.enqueueFor;
import static io.starconsole.functions.command.Queue.lease;
import static io.starconsole.functions.command.Queue.newGroup;
import static io.starconsole.functions.command.Queue.toBox;
import static io.starconsole.functions.command.Queue.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class CommandBatchTest {

    @Inject
    Pool pool;

    /** A lease entry with a fresh request id. */
    private static Map<String, Object> ask(Queue.TestBox box) {
        return ask(box.key(), UUID.randomUUID().toString());
    }

    private static Map<String, Object> ask(String key, String requestId) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("publicKey", key);
        entry.put("requestId", requestId);
        return entry;
    }

    private static JsonPath leaseBatch(List<Map<String, Object>> entries) {
        return Edge.call().body(Map.of("edgeId", "edge-1", "leases", entries)).post("/internal/v1/commands/lease-batch")
                .then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> result(Queue.TestBox box, long commandId, String state, String message) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("publicKey", box.key());
        entry.put("commandId", commandId);
        entry.put("state", state);
        entry.put("message", message);
        return entry;
    }

    private static JsonPath resultBatch(List<Map<String, Object>> entries) {
        return Edge.call().body(Map.of("results", entries)).post("/internal/v1/commands/result-batch")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void leaseBatch_eachBoxGetsItsHead_highPriorityFirstThenFifo_oneOutPerBox() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        long aFirst = enqueueFor(a, 102, "now");
        long aSecond = enqueueFor(a, 106, CommandApiTest.TUNNEL);
        long aHigh = enqueue(CommandApiTest.withPriority(command(107, toBox(a), CommandApiTest.TUNNEL), "high")).getLong("id");
        long bOnly = enqueueFor(b, 100, "b-name");

        JsonPath first = leaseBatch(List.of(ask(a), ask(b)));
        assertThat(first.getString("leases[0].publicKey")).isEqualTo(a.key());
        assertThat(first.getLong("leases[0].command.commandId")).isEqualTo(aHigh);
        assertThat(first.getBoolean("leases[0].morePending")).isTrue();
        assertThat(first.getString("leases[0].command.target")).isEqualTo(a.spnIp());
        assertThat(first.getLong("leases[1].command.commandId")).isEqualTo(bOnly);
        assertThat(first.getString("leases[1].command.contents")).isEqualTo("b-name");
        assertThat(first.getBoolean("leases[1].morePending")).isFalse();
        assertThat(first.getString("leases[1].error")).isNull();
        assertThat(view(aHigh).getString("state")).isEqualTo("in_progress");

        JsonPath whileOut = leaseBatch(List.of(ask(b), ask(a)));
        assertThat(whileOut.getString("leases[0].command")).as("b's delivery is still out").isNull();
        assertThat(whileOut.getString("leases[1].command")).as("a's delivery is still out").isNull();

        Queue.succeed(a, aHigh);
        assertThat(leaseBatch(List.of(ask(a))).getLong("leases[0].command.commandId")).isEqualTo(aFirst);
        Queue.succeed(a, aFirst);
        JsonPath last = leaseBatch(List.of(ask(a)));
        assertThat(last.getLong("leases[0].command.commandId")).isEqualTo(aSecond);
        assertThat(last.getBoolean("leases[0].morePending")).isFalse();
    }

    @Test
    void leaseBatch_retriedWithTheSameRequestIds_answersTheSameDeliveries_countedOnce() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        long forA = enqueueFor(a, 102, "now");
        long forB = enqueueFor(b, 102, "now");
        enqueueFor(b, 100, "next");
        List<Map<String, Object>> entries = List.of(ask(a.key(), "try-a"), ask(b.key(), "try-b"));

        JsonPath first = leaseBatch(entries);
        JsonPath again = leaseBatch(entries);
        assertThat(again.getLong("leases[0].command.commandId")).isEqualTo(first.getLong("leases[0].command.commandId"))
                .isEqualTo(forA);
        assertThat(again.getLong("leases[1].command.commandId")).isEqualTo(forB);
        assertThat(one(pool, "SELECT attempts FROM command_deliveries WHERE command_id = $1", forB).getInteger(0))
                .isEqualTo(1);
        assertThat(leaseBatch(List.of(ask(b.key(), "another"))).getString("leases[0].command"))
                .as("another request still finds b's delivery out").isNull();
    }

    @Test
    void leaseBatch_unknownInvalidOrRepeatedBox_getsItsOwnError_theOthersAreServed() {
        Queue.TestBox a = box(newGroup());
        long forA = enqueueFor(a, 102, "now");
        JsonPath answer = leaseBatch(List.of(ask(Edge.newKey(), "unknown"), ask("not-a-key", "bad"), ask(a),
                ask(a.key(), "repeat")));
        assertThat(answer.getInt("leases[0].error.status")).isEqualTo(404);
        assertThat(answer.getString("leases[0].error.code")).isEqualTo("not_found");
        assertThat(answer.getString("leases[0].command")).isNull();
        assertThat(answer.getInt("leases[1].error.status")).isEqualTo(400);
        assertThat(answer.getString("leases[1].error.field")).isEqualTo("publicKey");
        assertThat(answer.getLong("leases[2].command.commandId")).isEqualTo(forA);
        assertThat(answer.getString("leases[2].error")).isNull();
        assertThat(answer.getString("leases[3].error.code")).isEqualTo("repeated_box");
    }

    @Test
    void leaseBatch_withoutEdgeId_orTooMany_isRefusedWhole() {
        Edge.call().body(Map.of("leases", List.of())).post("/internal/v1/commands/lease-batch")
                .then().statusCode(400).body("field", equalTo("edgeId"));
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i <= LeaseBatches.MAX_BATCH; i++) {
            many.add(ask(Edge.newKey(), "r" + i));
        }
        Edge.call().body(Map.of("edgeId", "edge-1", "leases", many)).post("/internal/v1/commands/lease-batch")
                .then().statusCode(400).body("field", equalTo("leases"));
    }

    @Test
    void leaseBatches_concurrentOverTheSameBoxes_neverHandOutTwoAtOnce_norOutOfOrder() throws Exception {
        List<Queue.TestBox> boxes = new ArrayList<>();
        Map<String, Long> heads = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            Queue.TestBox box = box(newGroup());
            boxes.add(box);
            heads.put(box.key(), enqueueFor(box, 102, "now"));
            enqueueFor(box, 100, "later-" + i);
        }
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<JsonPath>> answers = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                List<Map<String, Object>> entries = new ArrayList<>();
                // Each batch names the boxes in another order: the locks are still taken in box-id order.
                for (int i = 0; i < boxes.size(); i++) {
                    entries.add(ask(boxes.get((i + t) % boxes.size())));
                }
                answers.add(threads.submit(() -> leaseBatch(entries)));
            }
            Map<String, List<Long>> leased = new HashMap<>();
            for (Future<JsonPath> future : answers) {
                JsonPath answer = future.get();
                for (int i = 0; i < boxes.size(); i++) {
                    assertThat(answer.getString("leases[" + i + "].error")).isNull();
                    Object command = answer.get("leases[" + i + "].command");
                    if (command != null) {
                        leased.computeIfAbsent(answer.getString("leases[" + i + "].publicKey"), k -> new ArrayList<>())
                                .add(answer.getLong("leases[" + i + "].command.commandId"));
                    }
                }
            }
            assertThat(leased).hasSize(boxes.size());
            leased.forEach((key, commandIds) -> assertThat(commandIds).as("one delivery out, the head")
                    .containsExactly(heads.get(key)));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void resultBatch_recordsEach_isIdempotent_andAnswersAnUnknownDeliveryOnItsOwn() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        long forA = enqueueFor(a, 100, "a-name");
        long forB = enqueueFor(b, 100, "b-name");
        leaseBatch(List.of(ask(a), ask(b)));
        List<Map<String, Object>> entries = List.of(result(a, forA, "succeeded", "renamed"),
                result(b, forB, "failed", "hostnamectl: permission denied"), result(a, 999_999_999L, "succeeded", "ok"),
                result(a, forA, "done", "?"));

        JsonPath first = resultBatch(entries);
        assertThat(first.getString("results[0].error")).isNull();
        assertThat(first.getLong("results[0].commandId")).isEqualTo(forA);
        assertThat(first.getString("results[1].error")).isNull();
        assertThat(first.getInt("results[2].error.status")).isEqualTo(404);
        assertThat(first.getString("results[3].error.field")).isEqualTo("state");
        assertThat(view(forA).getString("state")).isEqualTo("succeeded");
        assertThat(view(forB).getString("state")).isEqualTo("failed");
        assertThat(one(pool, "SELECT result FROM command_deliveries WHERE command_id = $1", forB).getString(0))
                .isEqualTo("hostnamectl: permission denied");

        JsonPath again = resultBatch(List.of(result(a, forA, "failed", "late"), result(b, forB, "succeeded", "late")));
        assertThat(again.getString("results[0].error")).isNull();
        assertThat(again.getString("results[1].error")).isNull();
        assertThat(view(forA).getString("state")).as("a result for an ended delivery changes nothing").isEqualTo("succeeded");
        assertThat(view(forB).getString("state")).isEqualTo("failed");
    }

    @Test
    void resultBatch_mixingBoxAndGroupCommands_endsEachBoxCommandInItsDeliverysState_andTheGroupWhenAllAnswered() {
        String group = newGroup();
        Queue.TestBox a = box(group);
        Queue.TestBox b = box(group);
        Queue.TestBox c = box(newGroup());
        long forA = enqueueFor(a, 100, "a-name");
        long forC = enqueueFor(c, 100, "c-name");
        leaseBatch(List.of(ask(a), ask(c)));
        long toGroup = enqueue(command(105, Map.of("group", group), "51821")).getLong("id");
        leaseBatch(List.of(ask(b)));
        assertThat(view(forA).getString("state")).isEqualTo("in_progress");
        assertThat(view(forC).getString("state")).isEqualTo("in_progress");
        assertThat(view(toGroup).getString("state")).isEqualTo("in_progress");

        JsonPath answered = resultBatch(List.of(result(a, forA, "succeeded", "renamed"),
                result(b, toGroup, "succeeded", "ok"), result(c, forC, "failed", "rolled back: disk full")));
        assertThat(answered.getList("results.error")).containsOnlyNulls();
        assertThat(view(forA).getString("state")).isEqualTo("succeeded");
        assertThat(view(forC).getString("state")).as("a failure reported as rolled back").isEqualTo("rolled_back");
        assertThat(view(toGroup).getString("state")).as("a's delivery of the group command is still queued")
                .isEqualTo("in_progress");
        assertThat(one(pool, "SELECT count(*) FROM command_deliveries WHERE command_id = $1 AND state = 'succeeded'",
                toGroup).getLong(0)).isEqualTo(1L);

        leaseBatch(List.of(ask(a)));
        resultBatch(List.of(result(a, toGroup, "succeeded", "ok")));
        assertThat(view(toGroup).getString("state")).isEqualTo("succeeded");
    }

    @Test
    void groupCommand_leasedAndAnsweredInBatches_isDoneWhenEachBoxAnswered() {
        String group = newGroup();
        List<Queue.TestBox> boxes = List.of(box(group), box(group), box(group));
        long id = enqueue(command(105, Map.of("group", group), "51821")).getLong("id");
        JsonPath leased = leaseBatch(boxes.stream().map(CommandBatchTest::ask).toList());
        for (int i = 0; i < boxes.size(); i++) {
            assertThat(leased.getLong("leases[" + i + "].command.commandId")).isEqualTo(id);
            assertThat(leased.getString("leases[" + i + "].command.target")).isEqualTo(group);
        }
        resultBatch(List.of(result(boxes.get(0), id, "succeeded", "ok"), result(boxes.get(1), id, "succeeded", "ok")));
        assertThat(view(id).getString("state")).isEqualTo("in_progress");
        resultBatch(List.of(result(boxes.get(2), id, "failed", "port taken")));
        assertThat(view(id).getString("state")).isEqualTo("partial");
        assertThat(view(id).getInt("counts.succeeded")).isEqualTo(2);
    }

    @Test
    void lateJoiner_leasingInABatch_getsTheCommandThatIncludesLateJoiners() {
        String group = newGroup();
        box(group);
        Map<String, Object> body = new HashMap<>(command(100, Map.of("group", group), "joined-late"));
        body.put("includeLateJoiners", true);
        long id = enqueue(body).getLong("id");
        Queue.TestBox late = box(group);
        assertThat(leaseBatch(List.of(ask(late))).getLong("leases[0].command.commandId")).isEqualTo(id);
        assertThat(view(id).getInt("counts.total")).isEqualTo(2);
    }

    private static io.restassured.response.Response enqueueBatch(List<Map<String, Object>> commands) {
        return given().auth().oauth2(Queue.token()).contentType(ContentType.JSON).body(Map.of("commands", commands))
                .post("/api/v1/commands/batch");
    }

    @Test
    void enqueueBatch_queuesEachInOrder_andAnswersTheirViews() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        JsonPath queued = enqueueBatch(List.of(command(102, toBox(a), "now"), command(100, toBox(b), "b-name"),
                command(106, toBox(a), CommandApiTest.TUNNEL))).then().statusCode(201).extract().jsonPath();
        List<Long> ids = queued.getList("commands.id", Long.class);
        assertThat(ids).hasSize(3).isSorted();
        assertThat(queued.getString("commands[1].type")).isEqualTo("CHANGE_SPNBOX_NAME");
        assertThat(queued.getInt("commands[1].counts.queued")).isEqualTo(1);
        assertThat(leaseBatch(List.of(ask(a), ask(b))).getList("leases.command.commandId", Long.class))
                .containsExactly(ids.get(0), ids.get(1));
        assertThat(one(pool, "SELECT count(*) FROM audit_log WHERE action = 'command.enqueued' AND target = ANY($1)",
                (Object) ids.stream().map(id -> "command:" + id).toArray(String[]::new)).getLong(0)).isEqualTo(3);
    }

    @Test
    void enqueueBatch_ofBoxCommands_answersAsInserted_whatAReadAfterShows() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        JsonPath queued = enqueueBatch(List.of(command(100, toBox(a), "a-name"),
                command(102, Map.of("box", b.key()), "now"),
                CommandApiTest.withPriority(command(106, toBox(a), CommandApiTest.TUNNEL), "high")))
                .then().statusCode(201).extract().jsonPath();
        List<Map<String, Object>> answered = queued.getList("commands");
        assertThat(answered).hasSize(3);
        for (Map<String, Object> answer : answered) {
            assertThat(answer).isEqualTo(view(((Number) answer.get("id")).longValue()).getMap("$"));
        }
    }

    @Test
    void enqueueBatch_withOneBadEntry_queuesNothing_andNamesTheEntry() {
        Queue.TestBox a = box(newGroup());
        enqueueBatch(List.of(command(102, toBox(a), "now"), command(999, toBox(a), "now")))
                .then().statusCode(400).body("field", equalTo("commands[1].type"));
        enqueueBatch(List.of(command(102, toBox(a), "now"), command(102, Map.of("box", "999999999"), "now")))
                .then().statusCode(404);
        enqueueBatch(List.of()).then().statusCode(400).body("field", equalTo("commands"));
        assertThat(one(pool, "SELECT count(*) FROM command_deliveries WHERE box_id = $1", a.id()).getLong(0))
                .as("all or nothing").isZero();
    }

    /** The result text and state of a command's delivery to a box. */
    private String delivery(long commandId, Queue.TestBox box) {
        var row = one(pool, "SELECT state, result FROM command_deliveries WHERE command_id = $1 AND box_id = $2",
                commandId, box.id());
        return row.getString("state") + ": " + row.getString("result");
    }

    @Test
    void enqueueBatch_laterChangeOfTheSameSetting_supersedesTheEarlierInTheBatch_andWhatWasQueuedBefore() {
        Queue.TestBox a = box(newGroup());
        Queue.TestBox b = box(newGroup());
        long queuedBefore = enqueueFor(a, 100, "before");
        JsonPath queued = enqueueBatch(List.of(command(100, toBox(a), "a-1"), command(102, toBox(a), "now"),
                command(100, Map.of("box", a.key()), "a-2"), command(100, toBox(b), "b-1"),
                command(100, toBox(a), "a-3"))).then().statusCode(201).extract().jsonPath();
        List<Long> ids = queued.getList("commands.id", Long.class);
        assertThat(ids).hasSize(5).isSorted();
        assertThat(queued.getList("commands.state", String.class))
                .containsExactly("superseded", "queued", "superseded", "queued", "queued");
        assertThat(delivery(queuedBefore, a)).isEqualTo("superseded: superseded by command " + ids.get(0));
        assertThat(view(queuedBefore).getString("state")).isEqualTo("superseded");
        assertThat(delivery(ids.get(0), a)).isEqualTo("superseded: superseded by command " + ids.get(2));
        assertThat(delivery(ids.get(2), a)).isEqualTo("superseded: superseded by command " + ids.get(4));
        assertThat(delivery(ids.get(3), b)).isEqualTo("queued: null");
        assertThat(one(pool, "SELECT array_agg(id ORDER BY id) = array_agg(id ORDER BY command_id)"
                + " FROM command_deliveries WHERE command_id = ANY($1)", (Object) ids.toArray(new Long[0])).getBoolean(0))
                .as("deliveries numbered in the batch's order").isTrue();
        assertThat(leaseBatch(List.of(ask(a), ask(b))).getList("leases.command.commandId", Long.class))
                .containsExactly(ids.get(1), ids.get(3));
        assertThat(one(pool, "SELECT string_agg(detail->>'arguments', ',' ORDER BY id) FROM audit_log"
                + " WHERE action = 'command.enqueued' AND target = ANY($1)",
                (Object) ids.stream().map(id -> "command:" + id).toArray(String[]::new)).getString(0))
                .as("one audit entry per command, in the batch's order").isEqualTo("a-1,now,a-2,b-1,a-3");
    }

    @Test
    void enqueueBatch_mixingGroupAndPairCommands_keepsTheOrder_andSupersedesAcrossThem() {
        String group = newGroup();
        Queue.TestBox a = box(group);
        Queue.TestBox b = box(newGroup());
        Map<String, Object> pair = new HashMap<>(command("ADD_P2P_SPN_TUNNEL", toBox(a),
                "groupname|test1|vip|" + b.spnIp() + "|lport|12345|ekey|" + b.key() + "|server|13.125.60.224:49918"));
        pair.put("peer", toBox(b));
        JsonPath queued = enqueueBatch(List.of(command(100, toBox(a), "a-1"), command(100, Map.of("group", group), "g"),
                pair, command(100, toBox(a), "a-2"))).then().statusCode(201).extract().jsonPath();
        List<Long> ids = queued.getList("commands.id", Long.class);
        assertThat(ids).hasSize(4).isSorted();
        assertThat(queued.getLong("commands[2].operationId")).isEqualTo(ids.get(2));
        assertThat(delivery(ids.get(0), a)).isEqualTo("superseded: superseded by command " + ids.get(1));
        assertThat(delivery(ids.get(1), a)).isEqualTo("superseded: superseded by command " + ids.get(3));
        assertThat(one(pool, "SELECT count(*) FROM commands WHERE operation_id = $1", ids.get(2)).getLong(0)).isEqualTo(2);
        assertThat(lease(a).getLong("command.commandId")).isEqualTo(ids.get(2));
    }

    @Test
    void enqueueBatch_firstBadBoxInOrder_isNamed_andNothingIsQueued() {
        Queue.TestBox a = box(newGroup());
        enqueueBatch(List.of(command(100, toBox(a), "a"), command(100, Map.of("box", "999999998"), "x"),
                command(100, Map.of("box", "not a key"), "y")))
                .then().statusCode(404).body("field", equalTo("commands[1]"));
        enqueueBatch(List.of(command(100, toBox(a), "a"), command(100, Map.of("box", "not a key"), "y"),
                command(100, Map.of("box", "999999998"), "x")))
                .then().statusCode(400).body("field", equalTo("commands[1].target"));
        enqueueBatch(List.of(command(100, Map.of("group", newGroup()), "g"), command(100, Map.of("box", "999999998"), "x")))
                .then().statusCode(409).body("field", equalTo("commands[0]"));
        assertThat(one(pool, "SELECT count(*) FROM command_deliveries WHERE box_id = $1", a.id()).getLong(0))
                .as("all or nothing").isZero();
    }
}
