package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.command.Queue.box;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.enqueueFor;
import static io.starconsole.functions.command.Queue.newGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

/** The edges' wake-up feed: which boxes it names, in commit order, paged, held as a long poll. */
@QuarkusTest
class WakeUpFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    CommandQueue queue;

    @Test
    void feed_namesOnlyThisEdgesBoxes_andNothingTwice() {
        Queue.TestBox mine = box(newGroup());
        Map<String, Object> elsewhere = Edge.register(Edge.newKey(), "203.0.113.9", 40000, Edge.hello(newGroup(), null));
        elsewhere.put("edgeId", "edge-2");
        int otherId = Edge.registerBox(elsewhere).getInt("boxId");
        String start = Edge.feedPosition("edge-1");
        String otherStart = Edge.feedPosition("edge-2");
        enqueueFor(mine, 102, "now");
        enqueue(command(102, Map.of("box", Integer.toString(otherId)), "now"));

        JsonPath feed = Edge.feed("edge-1", start);
        assertThat(feed.getList("boxes", String.class)).containsExactly(mine.key());
        assertThat(feed.getString("cursor")).isNotEqualTo(start);
        assertThat(Edge.feed("edge-1", feed.getString("cursor")).getList("boxes")).isEmpty();
        assertThat(Edge.feed("edge-2", otherStart).getList("boxes", String.class))
                .containsExactly((String) elsewhere.get("publicKey"));
    }

    @Test
    void firstCall_withoutCursor_namesBoxesQueuedBeforeIt() {
        Queue.TestBox box = box(newGroup());
        enqueueFor(box, 102, "now");
        List<String> named = new ArrayList<>();
        String cursor = "";
        JsonPath answer;
        do {
            answer = Edge.feed("edge-1", cursor);
            cursor = answer.getString("cursor");
            named.addAll(answer.getList("boxes", String.class));
        } while (!answer.getList("boxes").isEmpty());
        assertThat(named).contains(box.key());
    }

    /**
     * The case a cursor of delivery ids got wrong: a delivery queued by a transaction that took the
     * lower id but committed after another that took a higher one was never named.
     */
    @Test
    void deliveryCommittedAfterAHigherIdsCommit_isStillNamed_once() {
        Queue.TestBox first = box(newGroup());
        Queue.TestBox late = box(newGroup());
        Queue.TestBox quick = box(newGroup());
        long command = enqueueFor(first, 102, "now");
        String start = Edge.feedPosition("edge-1");

        SqlConnection connection = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction slow = connection.begin().await().atMost(WAIT);
            long lateId = connection.preparedQuery("INSERT INTO command_deliveries (command_id, box_id) VALUES ($1, $2) RETURNING id")
                    .execute(Tuple.of(command, late.id())).await().atMost(WAIT).iterator().next().getLong(0);
            long quickCommand = enqueueFor(quick, 102, "now");
            long quickId = one(pool, "SELECT id FROM command_deliveries WHERE command_id = $1", quickCommand).getLong(0);
            assertThat(quickId).as("the later commit has the higher id").isGreaterThan(lateId);

            JsonPath beforeSlowCommit = Edge.feed("edge-1", start);
            assertThat(beforeSlowCommit.getList("boxes", String.class)).containsExactly(quick.key());
            slow.commit().await().atMost(WAIT);

            JsonPath afterSlowCommit = Edge.feed("edge-1", beforeSlowCommit.getString("cursor"));
            assertThat(afterSlowCommit.getList("boxes", String.class)).containsExactly(late.key());
            assertThat(Edge.feed("edge-1", afterSlowCommit.getString("cursor")).getList("boxes")).isEmpty();
        } finally {
            connection.close().await().atMost(WAIT);
        }
    }

    @Test
    void fullPages_areFollowedByTheRest_andWorkCommittedMeanwhileComesAfterThem() {
        List<Queue.TestBox> boxes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            boxes.add(box(newGroup()));
        }
        FeedCursor cursor = FeedCursor.parse(Edge.feedPosition("edge-1"));
        for (Queue.TestBox box : boxes) {
            enqueueFor(box, 102, "now");
        }

        List<List<String>> pages = new ArrayList<>();
        CommandQueue.Pending page = queue.pending("edge-1", cursor, 2).await().atMost(WAIT);
        pages.add(page.boxes());
        Queue.TestBox meanwhile = box(newGroup());
        enqueueFor(meanwhile, 102, "now"); // the highest id yet, committed after the first page was read
        while (page.cursor().upTo() != null) { // a full page: the series goes on
            page = queue.pending("edge-1", page.cursor(), 2).await().atMost(WAIT);
            pages.add(page.boxes());
        }
        assertThat(pages.stream().flatMap(List::stream).toList())
                .containsExactlyElementsOf(boxes.stream().map(Queue.TestBox::key).toList());
        assertThat(pages).extracting(List::size).containsExactly(2, 2, 1);
        assertThat(queue.pending("edge-1", page.cursor(), 2).await().atMost(WAIT).boxes())
                .containsExactly(meanwhile.key());
    }

    @Test
    void withWait_isHeldUntilACommandForThisEdgeIsEnqueued_thenAnswersAtOnce() throws Exception {
        Queue.TestBox mine = box(newGroup());
        String start = Edge.feedPosition("edge-1");
        ExecutorService edge = Executors.newSingleThreadExecutor();
        try {
            long asked = System.nanoTime();
            Future<JsonPath> held = edge.submit(() -> Edge.call()
                    .body(Map.of("edgeId", "edge-1", "after", start, "waitMillis", 15_000))
                    .post("/internal/v1/commands/pending").then().statusCode(200).extract().jsonPath());
            Thread.sleep(500);
            assertThat(held).as("nothing queued yet: the request is held").isNotDone();
            enqueueFor(mine, 102, "now");
            JsonPath answer = held.get(30, TimeUnit.SECONDS);
            assertThat(answer.getList("boxes", String.class)).containsExactly(mine.key());
            assertThat(System.nanoTime() - asked).as("answered on the announcement, not at the end of the wait")
                    .isLessThan(Duration.ofSeconds(12).toNanos());
        } finally {
            edge.shutdownNow();
        }
    }

    @Test
    void withWait_forAnEdgeWithoutNewWork_answersEmptyWhenTheWaitRunsOut() {
        String otherEdge = "edge-idle-" + System.nanoTime();
        String start = Edge.feedPosition(otherEdge);
        long asked = System.nanoTime();
        enqueueFor(box(newGroup()), 102, "now"); // announced for edge-1 only
        Edge.call().body(Map.of("edgeId", otherEdge, "after", start, "waitMillis", 1_500))
                .post("/internal/v1/commands/pending").then().statusCode(200).body("boxes", org.hamcrest.Matchers.empty());
        assertThat(System.nanoTime() - asked).isGreaterThanOrEqualTo(Duration.ofMillis(1_500).toNanos());
    }

    @Test
    void negativeWait_isRefused() {
        Edge.call().body(Map.of("edgeId", "edge-1", "after", "", "waitMillis", -1))
                .post("/internal/v1/commands/pending").then().statusCode(400).body("field", equalTo("waitMillis"));
    }

    @Test
    void cursorsTheFeedDidNotMake_areRefused() {
        for (Object forged : List.of(12, "12", "9:3:;;0", "5:10:4;;0", "5:10:7,6;;0", "0:10:;;0", ";;5", "5:10:;;3",
                "5:10:;5:10:;x", "5:10;;0", "5:10:;;0;", "1:" + "9".repeat(30) + ":;;0")) {
            Edge.call().body(Map.of("edgeId", "edge-1", "after", forged)).post("/internal/v1/commands/pending")
                    .then().statusCode(400).body("field", equalTo("after"));
        }
        Edge.call().body(Map.of("edgeId", "edge-1", "after", "5:10:6,8;;0")).post("/internal/v1/commands/pending")
                .then().statusCode(200);
        Edge.call().body(Map.of("edgeId", "edge-1", "after", "5:10:6;5:12:;3")).post("/internal/v1/commands/pending")
                .then().statusCode(200);
    }
}
