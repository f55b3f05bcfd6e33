package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The announcement runs after every enqueue with a plan made once per connection, so its plan must
 * not depend on what the statistics say of the deliveries' state: they are taken from a column that
 * churns faster than ANALYZE sees, and usually say no delivery is queued at all.
 */
@QuarkusTest
class DeliveryNoticesPlanTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Test
    void announcementsGenericPlan_whenTheStatisticsShowNoQueuedDelivery_readsEachCommandsDeliveriesByTheirKey() {
        String plan = pool.withConnection(connection -> connection.begin().flatMap(transaction ->
                        statisticsWithoutQueuedDeliveries(connection)
                                .flatMap(v -> connection.query("EXPLAIN (GENERIC_PLAN) " + DeliveryNotices.ANNOUNCEMENT)
                                        .execute())
                                .map(rows -> {
                                    StringBuilder text = new StringBuilder();
                                    rows.forEach(row -> text.append(row.getString(0)).append('\n'));
                                    return text.toString();
                                })
                                // Nothing of it stays: the statistics roll back with the rest.
                                .call(transaction::rollback)))
                .await().atMost(WAIT);

        assertThat(plan).as(plan).contains("command_deliveries_command_id_box_id_key")
                .contains("Index Cond: (command_id = commands.id)")
                .doesNotContain("command_deliveries_queued_xid_idx").doesNotContain("command_deliveries_open_idx")
                .doesNotContain("command_deliveries_box_pending_idx").doesNotContain("Seq Scan on command_deliveries");
    }

    /**
     * In the caller's transaction: every open delivery ended and the table analyzed, so its statistics
     * show none queued, as a fleet's do; sequential scans priced out, since the test's tables are small
     * enough for one to be cheaper than any index, which a fleet's are not.
     */
    private static Uni<Void> statisticsWithoutQueuedDeliveries(SqlConnection connection) {
        return connection.query("SET LOCAL enable_seqscan = off").execute()
                .flatMap(v -> connection.query("UPDATE command_deliveries SET state = 'succeeded'"
                        + " WHERE state IN ('queued', 'delivered')").execute())
                .flatMap(v -> connection.query("ANALYZE command_deliveries").execute())
                .replaceWithVoid();
    }
}
