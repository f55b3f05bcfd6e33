package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.functions.DbAssertions;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.newGroup;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command to a group of 1,000 boxes: once it is queued, the planner does not believe the
 * deliveries table holds fewer rows than the command just wrote (it would plan every box's lease
 * as a scan of the whole table until autovacuum's next round).
 */
@QuarkusTest
class LargeGroupCommandTest {

    private static final int BOXES = 1000;

    @Inject
    Pool pool;

    @Test
    void groupCommandToAThousandBoxes_thePlannerKnowsItsDeliveriesAtOnce() {
        String group = newGroup();
        for (int call = 0; call < 2; call++) {
            List<Map<String, Object>> hellos = new ArrayList<>();
            for (int i = 0; i < BOXES / 2; i++) {
                hellos.add(Edge.register(Edge.newKey(), "198.51.100.40", 20000 + call * 1000 + i, Edge.hello(group, null)));
            }
            Edge.call().body(Map.of("registrations", hellos)).post("/internal/v1/register-batch").then().statusCode(200);
        }

        OffsetDateTime analysedBefore = lastAnalyze();
        long id = enqueue(command(102, Map.of("group", group), "now")).getLong("id");

        assertThat(one(pool, "SELECT count(*) FROM command_deliveries WHERE command_id = $1", id).getLong(0))
                .isEqualTo(BOXES);
        assertThat(one(pool, "SELECT reltuples FROM pg_class WHERE relname = 'command_deliveries'").getDouble(0))
                .isGreaterThanOrEqualTo(BOXES);
        assertThat(lastAnalyze()).isAfter(analysedBefore); // by the enqueue (autovacuum sets last_autoanalyze)
    }

    private OffsetDateTime lastAnalyze() {
        return DbAssertions.lastAnalyze(pool, "command_deliveries");
    }
}
