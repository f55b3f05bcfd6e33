package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result batch finds its deliveries with one index probe per (box, command) pair, never by
 * reading along a broadcast's deliveries (a merge join over the (command, box) index read up to all
 * of them for every batch).
 */
@QuarkusTest
class ResultBatchPlanTest {

    @Inject
    Pool pool;

    @Test
    void deliveryIds_areProbedPerPair_notMergedAlongTheCommandsDeliveries() {
        Integer[] boxes = new Integer[500];
        Long[] commands = new Long[500];
        for (int i = 0; i < boxes.length; i++) {
            boxes[i] = i + 1;
            commands[i] = 1L;
        }
        StringBuilder plan = new StringBuilder();
        pool.withTransaction(db -> db.query("SET LOCAL enable_seqscan = off").execute() // the test tables are small
                        .flatMap(v -> db.preparedQuery("EXPLAIN " + ResultBatches.DELIVERY_IDS)
                                .execute(Tuple.of(boxes, commands))))
                .await().atMost(Duration.ofSeconds(30))
                .forEach(row -> plan.append(row.getString(0)).append('\n'));

        // The pairs outside, one index scan of the deliveries per pair inside (by box, or by command and box).
        assertThat(plan.toString()).startsWith("Nested Loop").contains("Function Scan on r")
                .containsPattern("Index Scan using command_deliveries_\\w+ on command_deliveries d")
                .containsPattern("Index Cond: \\(+(box_id = r\\.box_id|command_id = r\\.command_id)")
                .doesNotContain("Merge Join").doesNotContain("Hash Join").doesNotContain("Seq Scan");
    }
}
