package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.command.Queue.box;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.enqueueFor;
import static io.starconsole.functions.command.Queue.newGroup;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep's last step reads the open group and all-boxes commands through their own partial index
 * (V7), so its cost follows how many of those are open, not every open box command and the dead
 * index entries a busy queue leaves in {@code commands_state_idx}.
 */
@QuarkusTest
class CommandSweepPlanTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    /**
     * The plan of {@code sql}, as text, with sequential scans priced out (the test tables are small).
     * Without a fresh ANALYZE, as on a busy queue between autovacuum's visits.
     */
    private String planOf(String sql) {
        return pool.withTransaction(db -> db.query("SET LOCAL enable_seqscan = off").execute()
                        .flatMap(v -> db.query("EXPLAIN " + sql).execute()))
                .onItem().transform(rows -> {
                    StringBuilder plan = new StringBuilder();
                    rows.forEach(row -> plan.append(row.getString(0)).append('\n'));
                    return plan.toString();
                })
                .await().atMost(WAIT);
    }

    @Test
    void stragglers_areReadThroughTheOpenFanOutIndex_eachProbingItsOwnDeliveries() {
        String plan = planOf(CommandStates.STRAGGLERS);
        assertThat(plan).contains("commands_open_fan_out_idx").contains("SubPlan")
                .contains("Index Cond: (command_id = c.id)")
                .as("no pass over every delivery").doesNotContain("Aggregate").doesNotContain("Join");
    }

    @Test
    void openFanOutIndex_holdsOpenGroupCommands_butNeverABoxCommand() {
        String group = newGroup();
        Queue.TestBox member = box(group);
        long toBox = enqueueFor(member, 100, "a-name");
        long toGroup = enqueue(command(105, Map.of("group", group), "51821")).getLong("id");
        String indexed = "SELECT count(*) FROM commands WHERE id = $1 AND target_kind <> 'box'"
                + " AND state IN ('queued', 'in_progress')";
        assertThat(one(pool, indexed, toGroup).getLong(0)).isEqualTo(1L);
        assertThat(one(pool, indexed, toBox).getLong(0)).isEqualTo(0L);
        assertThat(one(pool, "SELECT indexdef FROM pg_indexes WHERE indexname = 'commands_open_fan_out_idx'")
                .getString(0)).contains("target_kind <> 'box'").contains("queued").contains("in_progress");
    }
}
