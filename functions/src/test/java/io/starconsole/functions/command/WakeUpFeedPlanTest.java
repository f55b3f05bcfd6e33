package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.starconsole.functions.DbAssertions.query;
import static io.starconsole.functions.command.Queue.box;
import static io.starconsole.functions.command.Queue.newGroup;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed is read by every edge after every announcement, so its cost must follow what committed
 * since the cursor, not what is queued: deliveries to offline boxes stay queued until they expire
 * (a broadcast to a fleet half offline leaves tens of thousands), and a scan of all of them per
 * call would cost each edge that much for every enqueue.
 */
@QuarkusTest
class WakeUpFeedPlanTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BOXES = 20;
    private static final int COMMANDS = 500;

    @Inject
    Pool pool;

    @Test
    void feedFromARecentCursor_readsTheQueuedDeliveriesIndexFromItsOldestRunningTransaction_notEveryQueuedDelivery() {
        String group = newGroup();
        Integer[] boxIds = new Integer[BOXES];
        for (int i = 0; i < BOXES; i++) {
            boxIds[i] = box(group).id();
        }
        FeedCursor beforeThem = FeedCursor.parse(Edge.feedPosition("edge-1"));
        // Queued group commands nobody leases, written at once (as many through the API would be slow here).
        query(pool, "WITH c AS (INSERT INTO commands (type, target_kind, target_value, contents, created_by)"
                + " SELECT 106, 'group', $1, $2, 'test' FROM generate_series(1, $3) RETURNING id)"
                + " INSERT INTO command_deliveries (command_id, box_id) SELECT c.id, b FROM c, unnest($4::int[]) AS b",
                group, CommandApiTest.TUNNEL, COMMANDS, boxIds);
        FeedCursor recent = FeedCursor.parse(Edge.feedPosition("edge-1"));
        String plan = explainAnalyze(CommandQueue.feedQuery(recent, CommandQueue.FEED_PAGE),
                CommandQueue.feedParameters("edge-1", recent));

        assertThat(plan).contains("command_deliveries_queued_xid_idx").contains("Index Cond: (enqueued_xid >=");
        long blocks = sharedBlocks(plan);
        assertThat(blocks).as("blocks read for a feed with nothing new, " + BOXES * COMMANDS + " deliveries queued:\n" + plan)
                .isLessThan(50);

        String allNew = explainAnalyze(CommandQueue.feedQuery(beforeThem, CommandQueue.FEED_PAGE),
                CommandQueue.feedParameters("edge-1", beforeThem));
        assertThat(allNew).as("each new delivery's box found by its key").contains("spnclients_pkey")
                .contains("Index Cond: (id = command_deliveries.box_id)").doesNotContain("spnclients_edge_idx");
    }

    /**
     * The plan of the feed's statement as run, with sequential scans priced out: the test's tables
     * are small enough for one to be cheaper than any index, which a fleet's are not.
     */
    private String explainAnalyze(String sql, io.vertx.mutiny.sqlclient.Tuple parameters) {
        return pool.withTransaction(db -> db.query("SET LOCAL enable_seqscan = off").execute()
                        .flatMap(v -> db.preparedQuery("EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + sql).execute(parameters)))
                .onItem().transform(rows -> {
                    StringBuilder plan = new StringBuilder();
                    rows.forEach(row -> plan.append(row.getString(0)).append('\n'));
                    return plan.toString();
                })
                .await().atMost(WAIT);
    }

    /** The blocks the whole statement touched: the first "Buffers:" line is the plan's root. */
    private static long sharedBlocks(String plan) {
        java.util.regex.Matcher buffers = java.util.regex.Pattern.compile("Buffers: shared((?: \\w+=\\d+)+)").matcher(plan);
        if (!buffers.find()) {
            return 0; // nothing read at all
        }
        long total = 0;
        for (String part : buffers.group(1).trim().split(" ")) {
            total += Long.parseLong(part.substring(part.indexOf('=') + 1));
        }
        return total;
    }
}
