package io.starconsole.functions.database;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;

import static io.starconsole.functions.DbAssertions.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a bulk write refreshes the deliveries' planner statistics, and when it leaves them. */
@QuarkusTest
class PlannerStatisticsTest {

    private static final String LAST_ANALYZE = "SELECT coalesce(last_analyze, '-infinity'::timestamptz)"
            + " FROM pg_stat_user_tables WHERE relname = 'command_deliveries'";

    @Inject
    Pool pool;

    @Test
    void aBulkWriteOfAtLeastATenthOfTheTable_analysesIt_inTheWritersTransaction() {
        OffsetDateTime before = lastAnalyze();
        long known = Math.max(0, reltuples());
        long written = Math.max(PlannerStatistics.BULK_ROWS, known / 10 + 1);

        pool.withTransaction(db -> PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries", written))
                .await().atMost(Duration.ofSeconds(30));

        assertThat(lastAnalyze()).isAfter(before);
    }

    @Test
    void aSmallWrite_orOneUnderATenthOfTheTable_leavesTheStatistics() {
        pool.withTransaction(db -> PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries",
                PlannerStatistics.BULK_ROWS)).await().atMost(Duration.ofSeconds(30)); // the table now analysed
        OffsetDateTime before = lastAnalyze();
        long known = reltuples();

        pool.withTransaction(db -> PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries",
                PlannerStatistics.BULK_ROWS - 1)).await().atMost(Duration.ofSeconds(30));
        if (known >= 10 * PlannerStatistics.BULK_ROWS + 10) {
            pool.withTransaction(db -> PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries",
                    known / 10 - 1)).await().atMost(Duration.ofSeconds(30));
        }

        assertThat(lastAnalyze()).isEqualTo(before);
    }

    @Test
    void aTableNotNamedForIt_isRefused() {
        assertThatThrownBy(() -> PlannerStatistics.refreshAfterBulkWrite(null, "spnclients; DROP TABLE admins", 5000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private long reltuples() {
        return one(pool, "SELECT reltuples::bigint FROM pg_class WHERE relname = 'command_deliveries'").getLong(0);
    }

    private OffsetDateTime lastAnalyze() {
        return one(pool, LAST_ANALYZE).getOffsetDateTime(0);
    }
}
