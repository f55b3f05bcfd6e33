package io.starconsole.functions.database;

import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.functions.DbAssertions;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a write refreshes the deliveries' planner statistics, and when it leaves them. */
@QuarkusTest
class PlannerStatisticsTest {

    @Inject
    Pool pool;

    @Test
    void aWriteOfAThousandRows_analysesTheTable_inTheWritersTransaction() {
        OffsetDateTime before = lastAnalyze();

        pool.withTransaction(db -> PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries",
                PlannerStatistics.BULK_ROWS)).await().atMost(Duration.ofSeconds(30));

        assertThat(lastAnalyze()).isAfter(before);
    }

    @Test
    void aSmallerWrite_leavesTheStatistics() {
        pool.withTransaction(db -> PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries",
                PlannerStatistics.BULK_ROWS)).await().atMost(Duration.ofSeconds(30)); // analysed once, now
        OffsetDateTime before = lastAnalyze();

        pool.withTransaction(db -> PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries",
                PlannerStatistics.BULK_ROWS - 1)).await().atMost(Duration.ofSeconds(30));

        assertThat(lastAnalyze()).isEqualTo(before);
    }

    @Test
    void aTableNotNamedForIt_isRefused() {
        assertThatThrownBy(() -> PlannerStatistics.refreshAfterBulkWrite(null, "spnclients; DROP TABLE admins", 5000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private OffsetDateTime lastAnalyze() {
        return DbAssertions.lastAnalyze(pool, "command_deliveries");
    }
}
