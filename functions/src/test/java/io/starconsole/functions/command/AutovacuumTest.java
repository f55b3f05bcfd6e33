package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.starconsole.functions.DbAssertions.one;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Autovacuum's rules per table. The queue's tables are vacuumed after a fixed number of changed rows,
 * not after a fraction of a table that only grows (schema V11), and the local cloud's autovacuum
 * looks every second: dead delivery versions are gone within seconds of the churn. The boxes' table,
 * whose heartbeats change a fifth of it every second, waits for about a minute of them (V12).
 */
@QuarkusTest
class AutovacuumTest {

    /** Past V11's threshold of 10,000 changed rows. */
    private static final int CHANGES = 12_000;
    /**
     * A second's nap, the statistics' flush and the vacuum itself, with room for a loaded machine;
     * well short of the minute autovacuum naps by default.
     */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Test
    void queueTables_areVacuumedAndAnalyzed_afterAFixedNumberOfChanges() {
        for (String table : List.of("command_deliveries", "commands")) {
            assertThat(storageOptions(table)).as(table).contains("autovacuum_vacuum_scale_factor=0",
                    "autovacuum_vacuum_threshold=10000", "autovacuum_analyze_scale_factor=0",
                    "autovacuum_analyze_threshold=10000", "autovacuum_vacuum_cost_delay=0");
        }
    }

    @Test
    void deliveryChurn_pastTheThreshold_isVacuumedWithinSeconds() throws Exception {
        Queue.TestBox box = Queue.box(Queue.newGroup());
        long commandId = Queue.enqueueFor(box, "CHANGE_SPNBOX_NAME", "churned");
        long deliveryId = one(pool, "SELECT id FROM command_deliveries WHERE command_id = $1", commandId).getLong(0);
        long vacuumsBefore = vacuums();

        // Each update leaves one dead version of the row, as a delivery's state changes do.
        pool.query("DO $$ BEGIN FOR i IN 1.." + CHANGES + " LOOP"
                + " UPDATE command_deliveries SET result = 'churn ' || i WHERE id = " + deliveryId + "; END LOOP; END $$")
                .execute().await().atMost(WAIT);

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (vacuums() == vacuumsBefore && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(vacuums()).as("autovacuum runs of command_deliveries").isGreaterThan(vacuumsBefore);
    }

    @Test
    void boxesTable_isVacuumedAndAnalyzed_afterAboutAMinuteOfHeartbeats() {
        // N boxes write N/5 heartbeats a second: twelve times the table is a minute of them.
        assertThat(storageOptions("spnclients")).contains("autovacuum_vacuum_scale_factor=12",
                "autovacuum_analyze_scale_factor=12");
    }

    private String[] storageOptions(String table) {
        return one(pool, "SELECT coalesce(array_to_string(reloptions, ','), '') FROM pg_class"
                + " WHERE relname = $1 AND relkind = 'r'", table).getString(0).split(",");
    }

    private long vacuums() {
        return one(pool, "SELECT autovacuum_count FROM pg_stat_user_tables WHERE relname = 'command_deliveries'")
                .getLong(0);
    }
}
