package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.command.Queue.box;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.enqueueFor;
import static io.starconsole.functions.command.Queue.lease;
import static io.starconsole.functions.command.Queue.newGroup;
import static io.starconsole.functions.command.Queue.succeed;
import static io.starconsole.functions.command.Queue.token;
import static io.starconsole.functions.command.Queue.view;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A box command's row is not written when its delivery is leased: the API shows it {@code in_progress}
 * from the delivery (CommandView.SHOWN_STATE), in the view and in the list's state filter, as when the
 * row was moved.
 */
@QuarkusTest
class CommandShownStateTest {

    @Inject
    Pool pool;

    @Inject
    CommandQueue queue;

    @Test
    void lease_leavesABoxCommandsRowAlone_theApiShowsItInProgress_untilItsResult() {
        Queue.TestBox box = box(newGroup());
        long out = enqueueFor(box, 102, "now");
        long waiting = enqueueFor(box, 106, CommandApiTest.TUNNEL);
        String versionBefore = rowVersion(out);

        assertThat(lease(box).getLong("command.commandId")).isEqualTo(out);

        assertThat(rowVersion(out)).isEqualTo(versionBefore);
        assertThat(storedState(out)).isEqualTo("queued");
        assertThat(view(out).getString("state")).isEqualTo("in_progress");
        assertThat(view(waiting).getString("state")).isEqualTo("queued");
        assertThat(listed(box, "in_progress")).containsExactly(out);
        assertThat(listed(box, "queued")).containsExactly(waiting);

        succeed(box, out);
        assertThat(storedState(out)).isEqualTo("succeeded");
        assertThat(view(out).getString("state")).isEqualTo("succeeded");
        assertThat(listed(box, "succeeded")).containsExactly(out);
        assertThat(listed(box, "in_progress")).isEmpty();
    }

    @Test
    void leaseBatch_leavesBoxCommandsRowsAlone_andStillStartsAGroupCommand() {
        String group = newGroup();
        Queue.TestBox a = box(group);
        Queue.TestBox b = box(newGroup());
        long toGroup = enqueue(command(105, Map.of("group", group), "51821")).getLong("id");
        long toBox = enqueueFor(b, 102, "now");
        String versionBefore = rowVersion(toBox);

        Edge.call().body(Map.of("edgeId", "edge-1", "leases", List.of(ask(a), ask(b))))
                .post("/internal/v1/commands/lease-batch").then().statusCode(200);

        assertThat(rowVersion(toBox)).isEqualTo(versionBefore);
        assertThat(storedState(toBox)).isEqualTo("queued");
        assertThat(view(toBox).getString("state")).isEqualTo("in_progress");
        assertThat(listed(b, "in_progress")).containsExactly(toBox);
        // A group command's state is not one delivery's: its row still moves.
        assertThat(storedState(toGroup)).isEqualTo("in_progress");
        assertThat(listed(a, "in_progress")).containsExactly(toGroup);
    }

    @Test
    void leaseRunOut_stillInProgress_thenFailedAtTheAttemptCap_asBefore() {
        Queue.TestBox box = box(newGroup());
        long id = enqueueFor(box, 102, "now");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(queue.lease(box.key(), "edge-1", now).await().indefinitely().command().commandId()).isEqualTo(id);
            assertThat(view(id).getString("state")).isEqualTo("in_progress");
            now = now.plusSeconds(31);
            // The lease has run out: the delivery is still delivered until it is handed out again.
            queue.sweep(now).await().indefinitely();
            assertThat(view(id).getString("state")).isEqualTo(attempt < 5 ? "in_progress" : "failed");
        }
        assertThat(storedState(id)).isEqualTo("failed");
        assertThat(listed(box, "failed")).containsExactly(id);
    }

    private String rowVersion(long commandId) {
        return one(pool, "SELECT xmin::text FROM commands WHERE id = $1", commandId).getString(0);
    }

    private String storedState(long commandId) {
        return one(pool, "SELECT state FROM commands WHERE id = $1", commandId).getString(0);
    }

    private static List<Long> listed(Queue.TestBox box, String state) {
        return given().auth().oauth2(token()).queryParam("box", box.id()).queryParam("state", state)
                .get("/api/v1/commands").then().statusCode(200).extract().jsonPath().getList("items.id", Long.class);
    }

    private static Map<String, Object> ask(Queue.TestBox box) {
        return Map.of("publicKey", box.key(), "requestId", UUID.randomUUID().toString());
    }
}
