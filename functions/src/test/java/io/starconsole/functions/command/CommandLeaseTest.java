package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.command.Queue.box;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.enqueueFor;
import static io.starconsole.functions.command.Queue.lease;
import static io.starconsole.functions.command.Queue.newGroup;
import static io.starconsole.functions.command.Queue.report;
import static io.starconsole.functions.command.Queue.succeed;
import static io.starconsole.functions.command.Queue.toBox;
import static io.starconsole.functions.command.Queue.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class CommandLeaseTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    CommandQueue queue;

    @Test
    void lease_highPriorityFirst_thenFifo() {
        Queue.TestBox box = box(newGroup());
        long first = enqueueFor(box, 102, "now");
        long second = enqueueFor(box, 106, CommandApiTest.TUNNEL);
        long high = enqueue(CommandApiTest.withPriority(command(107, toBox(box), CommandApiTest.TUNNEL), "high")).getLong("id");

        JsonPath one = lease(box);
        assertThat(one.getLong("command.commandId")).isEqualTo(high);
        assertThat(one.getInt("command.priority")).isEqualTo(1);
        assertThat(one.getInt("command.type")).isEqualTo(107);
        assertThat(one.getString("command.target")).isEqualTo(box.spnIp());
        assertThat(one.getBoolean("morePending")).isTrue();
        succeed(box, high);
        assertThat(lease(box).getLong("command.commandId")).isEqualTo(first);
        succeed(box, first);
        JsonPath last = lease(box);
        assertThat(last.getLong("command.commandId")).isEqualTo(second);
        assertThat(last.getString("command.contents")).isEqualTo(CommandApiTest.TUNNEL);
        assertThat(last.getBoolean("morePending")).isFalse();
        assertThat(lease(box).getString("command")).isNull();
        assertThat(view(second).getString("state")).isEqualTo("in_progress");
    }

    @Test
    void lease_notAcknowledgedInTime_isDeliveredAgain_andFailsAtTheAttemptCap() {
        Queue.TestBox box = box(newGroup());
        long id = enqueueFor(box, 102, "now");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        assertThat(queue.lease(box.key(), "edge-1", now).await().atMost(WAIT).command().commandId()).isEqualTo(id);
        // Within the visibility timeout: nothing to hand out.
        assertThat(queue.lease(box.key(), "edge-1", now.plusSeconds(10)).await().atMost(WAIT).command()).isNull();
        for (int attempt = 2; attempt <= 5; attempt++) {
            now = now.plusSeconds(31);
            assertThat(queue.lease(box.key(), "edge-1", now).await().atMost(WAIT).command().commandId()).isEqualTo(id);
        }
        assertThat(one(pool, "SELECT attempts FROM command_deliveries WHERE command_id = $1", id).getInteger(0)).isEqualTo(5);
        assertThat(queue.lease(box.key(), "edge-1", now.plusSeconds(31)).await().atMost(WAIT).command()).isNull();
        JsonPath failed = view(id);
        assertThat(failed.getString("state")).isEqualTo("failed");
        assertThat(one(pool, "SELECT result FROM command_deliveries WHERE command_id = $1", id).getString(0))
                .isEqualTo("no acknowledgement after 5 attempts");
    }

    @Test
    void lease_afterTheAttemptCap_failsTheOneOut_andHandsOutTheNext_inTheSameLease() {
        Queue.TestBox box = box(newGroup());
        long first = enqueueFor(box, 102, "now");
        long second = enqueueFor(box, 106, CommandApiTest.TUNNEL);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(queue.lease(box.key(), "edge-1", now).await().atMost(WAIT).command().commandId()).isEqualTo(first);
            now = now.plusSeconds(31);
        }
        // The statement that fails the first reads what the box has out: not the first any more.
        assertThat(queue.lease(box.key(), "edge-1", now).await().atMost(WAIT).command().commandId()).isEqualTo(second);
        assertThat(view(first).getString("state")).isEqualTo("failed");
        assertThat(view(second).getString("state")).isEqualTo("in_progress");
    }

    @Test
    void result_completesTheDelivery_andIsIdempotent() {
        Queue.TestBox box = box(newGroup());
        long id = enqueueFor(box, 100, "new-name");
        lease(box);
        report(box.key(), id, "failed", "hostnamectl: permission denied").then().statusCode(204);
        report(box.key(), id, "succeeded", "ok").then().statusCode(204);
        JsonPath view = view(id);
        assertThat(view.getString("state")).isEqualTo("failed");
        assertThat(one(pool, "SELECT result FROM command_deliveries WHERE command_id = $1", id).getString(0))
                .isEqualTo("hostnamectl: permission denied");
        report(box.key(), 999_999_999L, "succeeded", "ok").then().statusCode(404);
        report(box(newGroup()).key(), id, "succeeded", "ok").then().statusCode(404);
        report(box.key(), id, "done", "ok").then().statusCode(400).body("field", equalTo("state"));
    }

    @Test
    void broadcastToAll_oneDeliveryPerBox_eachLeasedOnce_doneWhenAllAre() {
        List<Queue.TestBox> boxes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            boxes.add(box(newGroup()));
        }
        long expected = Queue.enqueue(Map.of("type", 111, "target", Map.of("all", true), "arguments", "now"))
                .getInt("counts.total");
        long id = enqueue(command(102, Map.of("all", true), "now")).getLong("id");
        try {
            assertThat(view(id).getLong("counts.total")).isEqualTo(expected);
            for (Queue.TestBox box : boxes) {
                JsonPath leased = lease(box);
                assertThat(leased.getLong("command.commandId")).isEqualTo(id);
                assertThat(leased.getString("command.target")).isEqualTo("0.0.0.0");
                assertThat(lease(box).getString("command")).isNull();
                succeed(box, id);
            }
            assertThat(view(id).getInt("counts.succeeded")).isEqualTo(3);
            assertThat(view(id).getString("state")).isEqualTo("in_progress");
        } finally {
            // Other tests' boxes must not find this broadcast queued.
            Queue.enqueue(Map.of("type", 111, "target", Map.of("all", true), "arguments", "now"));
        }
        assertThat(view(id).getString("state")).isEqualTo("partial");
    }

    @Test
    void groupCommand_reachesItsBoxes_andDoneWhenEachAnswered() {
        String group = newGroup();
        Queue.TestBox a = box(group);
        Queue.TestBox b = box(group);
        Queue.TestBox outsider = box(newGroup());
        long id = enqueue(command(105, Map.of("group", group), "51821")).getLong("id");
        assertThat(lease(outsider).getString("command")).isNull();
        JsonPath leased = lease(a);
        assertThat(leased.getString("command.target")).isEqualTo(group);
        assertThat(leased.getString("command.contents")).isEqualTo("51821");
        lease(b);
        succeed(a, id);
        assertThat(view(id).getString("state")).isEqualTo("in_progress");
        succeed(b, id);
        assertThat(view(id).getString("state")).isEqualTo("succeeded");
    }

    @Test
    void lateJoiner_getsTheCommand_onlyWithIncludeLateJoiners() {
        String group = newGroup();
        box(group);
        long without = enqueue(command(102, Map.of("group", group), "now")).getLong("id");
        Map<String, Object> body = new HashMap<>(command(100, Map.of("group", group), "joined-late"));
        body.put("includeLateJoiners", true);
        long with = enqueue(body).getLong("id");

        Queue.TestBox late = box(group);
        JsonPath leased = lease(late);
        assertThat(leased.getLong("command.commandId")).isEqualTo(with);
        assertThat(leased.getBoolean("morePending")).isFalse();
        assertThat(view(with).getInt("counts.total")).isEqualTo(2);
        assertThat(view(without).getInt("counts.total")).isEqualTo(1);
    }

    @Test
    void lateJoiner_isToldAtRegistration_thatWorkWaits() {
        String group = newGroup();
        Map<String, Object> body = new HashMap<>(command(102, Map.of("group", group), "now"));
        body.put("includeLateJoiners", true);
        long id = enqueue(body).getLong("id");
        JsonPath registered = Edge.registerBox(Edge.newKey(), group, null);
        assertThat(registered.getBoolean("commandsPending")).isTrue();
        assertThat(view(id).getInt("counts.queued")).isEqualTo(1);
    }

    @Test
    void lateJoiners_inOneRegisterBatch_onlyTheBoxesTheCommandReaches_getIt_andAreTold() {
        String group = newGroup();
        String other = newGroup();
        Map<String, Object> body = new HashMap<>(command(102, Map.of("group", group), "now"));
        body.put("includeLateJoiners", true);
        long id = enqueue(body).getLong("id");

        List<Map<String, Object>> answers = Edge.call().body(Map.of("registrations", List.of(
                        Edge.register(Edge.newKey(), "198.51.100.30", 47000, Edge.hello(group, null)),
                        Edge.register(Edge.newKey(), "198.51.100.30", 47001, Edge.hello(other, null)),
                        Edge.register(Edge.newKey(), "198.51.100.30", 47002, Edge.hello(group, null)))))
                .post("/internal/v1/register-batch").then().statusCode(200).extract().jsonPath().getList("results");

        assertThat(answers).extracting(a -> a.get("commandsPending")).containsExactly(true, false, true);
        assertThat(view(id).getInt("counts.queued")).isEqualTo(2);
        assertThat(one(pool, "SELECT count(*) FROM command_deliveries WHERE command_id = $1 AND box_id = ANY($2)",
                id, new Integer[] {(Integer) answers.get(0).get("boxId"), (Integer) answers.get(2).get("boxId")})
                .getLong(0)).isEqualTo(2);
    }

    @Test
    void expiry_marksUndeliveredExpired_onLeaseAndSweep() {
        Queue.TestBox box = box(newGroup());
        Queue.TestBox idle = box(newGroup());
        String soon = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(60).toString();
        Map<String, Object> body = new HashMap<>(command(102, toBox(box), "now"));
        body.put("expiresAt", soon);
        long id = enqueue(body).getLong("id");
        Map<String, Object> idleBody = new HashMap<>(command(102, toBox(idle), "now"));
        idleBody.put("expiresAt", soon);
        long idleId = enqueue(idleBody).getLong("id");

        OffsetDateTime later = OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(61);
        assertThat(queue.lease(box.key(), "edge-1", later).await().atMost(WAIT).command()).isNull();
        assertThat(view(id).getString("state")).isEqualTo("expired");
        assertThat(queue.sweep(later).await().atMost(WAIT)).isGreaterThanOrEqualTo(1);
        assertThat(view(idleId).getString("state")).isEqualTo("expired");
    }

    @Test
    void notBefore_holdsTheCommandBack() {
        Queue.TestBox box = box(newGroup());
        Map<String, Object> body = new HashMap<>(command(102, toBox(box), "now"));
        body.put("notBefore", OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(60).toString());
        long id = enqueue(body).getLong("id");
        assertThat(lease(box).getString("command")).isNull();
        assertThat(queue.lease(box.key(), "edge-1", OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(61))
                .await().atMost(WAIT).command().commandId()).isEqualTo(id);
    }

    @Test
    void lease_manyConcurrentLeases_neverHandOutOneDeliveryTwice_norOutOfOrder() throws Exception {
        String group = newGroup();
        List<Queue.TestBox> boxes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            boxes.add(box(group));
        }
        List<Long> commandIds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            commandIds.add(enqueue(command(102, Map.of("group", group), "now")).getLong("id"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        Map<String, List<Long>> handedOut = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    // Two threads per box (threads t and t + 4 share boxes), leasing and acknowledging.
                    for (int round = 0; round < 200 && total.get() < 200; round++) {
                        for (int b = thread % 4; b < boxes.size(); b += 4) {
                            Queue.TestBox box = boxes.get(b);
                            JsonPath leased = lease(box);
                            if (leased.get("command") != null) {
                                long id = leased.getLong("command.commandId");
                                handedOut.computeIfAbsent(box.key(), k -> Collections.synchronizedList(new ArrayList<>())).add(id);
                                total.incrementAndGet();
                                succeed(box, id);
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        // 200 deliveries: each box got each of the 10 commands exactly once, in the order they were asked.
        assertThat(total.get()).isEqualTo(200);
        for (Queue.TestBox box : boxes) {
            assertThat(handedOut.get(box.key())).containsExactlyElementsOf(commandIds);
        }
        assertThat(one(pool, "SELECT count(*) FROM command_deliveries d JOIN spnclients b ON b.id = d.box_id"
                + " WHERE b.groupname = $1 AND d.attempts = 1 AND d.state = 'succeeded'", group).getLong(0)).isEqualTo(200);
    }

    @Test
    void groupCommand_resultsArrivingTogether_settleTheCommandOnceTheLastIsIn() throws Exception {
        String group = newGroup();
        List<Queue.TestBox> boxes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            boxes.add(box(group));
        }
        long id = enqueue(command(102, Map.of("group", group), "now")).getLong("id");
        boxes.forEach(box -> assertThat(lease(box).getLong("command.commandId")).isEqualTo(id));
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            boxes.forEach(box -> done.add(threads.submit(() -> succeed(box, id))));
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdown();
        }
        assertThat(view(id).getString("state")).isEqualTo("succeeded");
    }

    @Test
    void sweep_settlesACommandLeftOpenAlthoughAllItsDeliveriesEnded() {
        String group = newGroup();
        Queue.TestBox box = box(group);
        long id = enqueue(command(102, Map.of("group", group), "now")).getLong("id");
        lease(box);
        succeed(box, id);
        // As if settling after the result's commit had failed.
        one(pool, "UPDATE commands SET state = 'in_progress' WHERE id = $1 RETURNING id", id);
        queue.sweep(OffsetDateTime.now(ZoneOffset.UTC)).await().atMost(WAIT);
        assertThat(view(id).getString("state")).isEqualTo("succeeded");
    }

    @Test
    void lease_whileOneIsOut_handsOutNothing_soALostAnswerCannotLetALaterCommandOvertake() {
        Queue.TestBox box = box(newGroup());
        long first = enqueueFor(box, 102, "now");
        long second = enqueueFor(box, 106, CommandApiTest.TUNNEL);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        assertThat(queue.lease(box.key(), "edge-1", now).await().atMost(WAIT).command().commandId()).isEqualTo(first);
        // The answer was lost: the box asks again within the lease and gets nothing, not the second.
        CommandQueue.LeaseAnswer again = queue.lease(box.key(), "edge-1", now.plusSeconds(5)).await().atMost(WAIT);
        assertThat(again.command()).isNull();
        // Even a high-priority command waits for the one that is out.
        long urgent = enqueue(CommandApiTest.withPriority(command(107, toBox(box), CommandApiTest.TUNNEL), "high")).getLong("id");
        assertThat(queue.lease(box.key(), "edge-1", now.plusSeconds(6)).await().atMost(WAIT).command()).isNull();
        // Past the lease the queue is in order again: high priority first, then the first again
        // (delivered anew), and the second only once the first is acknowledged.
        assertThat(queue.lease(box.key(), "edge-1", now.plusSeconds(31)).await().atMost(WAIT).command().commandId())
                .isEqualTo(urgent);
        succeed(box, urgent);
        assertThat(queue.lease(box.key(), "edge-1", now.plusSeconds(32)).await().atMost(WAIT).command().commandId())
                .isEqualTo(first);
        assertThat(queue.lease(box.key(), "edge-1", now.plusSeconds(33)).await().atMost(WAIT).command()).isNull();
        succeed(box, first);
        assertThat(queue.lease(box.key(), "edge-1", now.plusSeconds(34)).await().atMost(WAIT).command().commandId())
                .isEqualTo(second);
    }

    @Test
    void lease_retriedByTheEdgeWithTheSameRequest_getsTheSameDeliveryAgain_notCountedAsAnAttempt() {
        Queue.TestBox box = box(newGroup());
        long first = enqueueFor(box, 102, "now");
        enqueueFor(box, 106, CommandApiTest.TUNNEL);
        Map<String, Object> request = Map.of("publicKey", box.key(), "edgeId", "edge-1", "requestId", "relay-7");
        long leased = Edge.call().body(request).post("/internal/v1/commands/lease")
                .then().statusCode(200).extract().jsonPath().getLong("command.commandId");
        assertThat(leased).isEqualTo(first);
        // The answer was lost between functions and edge; the edge tries the same request again.
        Edge.call().body(request).post("/internal/v1/commands/lease")
                .then().statusCode(200).body("command.commandId", equalTo((int) first));
        // Another request (the box asking anew) gets nothing while the first is out.
        assertThat(lease(box).getString("command")).isNull();
        assertThat(one(pool, "SELECT attempts FROM command_deliveries WHERE command_id = $1", first).getInteger(0))
                .isEqualTo(1);
    }

    @Test
    void lease_requestIdTooLong_isRefused() {
        Queue.TestBox box = box(newGroup());
        Edge.call().body(Map.of("publicKey", box.key(), "edgeId", "edge-1", "requestId", "x".repeat(65)))
                .post("/internal/v1/commands/lease").then().statusCode(400).body("field", equalTo("requestId"));
    }
}
