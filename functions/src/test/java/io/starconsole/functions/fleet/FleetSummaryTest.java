package io.starconsole.functions.fleet;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.ApiTestSupport.adminToken;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.DbAssertions.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The overview's summary. The database is shared with other tests, so each check compares the
 * summary before and after this test's own boxes and events.
 */
@QuarkusTest
class FleetSummaryTest {

    @Inject
    Pool pool;

    private static JsonPath summary() {
        return given().auth().oauth2(adminToken()).get("/api/v1/fleet/summary")
                .then().statusCode(200).extract().jsonPath();
    }

    /** A box row straight in the registry, with its presence events at the given minutes ago. */
    private int box(String idString, boolean online, String admission) {
        String key = (UUID.randomUUID().toString().replace("-", "") + "00000000000000").substring(0, 43) + "=";
        return one(pool, "INSERT INTO spnclients (realip, vpnip, publickey, edport, mac_addr, spnbox_id, created_date,"
                        + " online, admission) VALUES ($1, $2, $3, 0, '02:00:00:00:00:01', $4, current_date, $5, $6)"
                        + " RETURNING id",
                "192.0.2." + (UUID.randomUUID().hashCode() & 0xFF), "t-" + key, key, idString, online, admission)
                .getInteger(0);
    }

    private void event(int boxId, String kind, int minutesAgo) {
        query(pool, "INSERT INTO box_events (box_id, at, kind, realip) VALUES ($1, now() - make_interval(mins => $2), $3,"
                + " '192.0.2.9')", boxId, minutesAgo, kind);
    }

    private static long onlineAtLast(JsonPath summary) {
        List<Map<String, Object>> points = summary.getList("onlineOverTime");
        return ((Number) points.get(points.size() - 1).get("online")).longValue();
    }

    @Test
    void summary_countsByPresenceAndAdmission_andListsRecentTransitions() {
        JsonPath before = summary();
        String up = "up-" + UUID.randomUUID();
        int a = box(up, true, "accepted");
        // Now, so that boxes other tests registered in the last minutes cannot push it out of the newest 20.
        event(a, "online", 0);
        int b = box("down-" + UUID.randomUUID(), false, "accepted");
        event(b, "online", 120);
        event(b, "offline", 60);
        box("waiting-" + UUID.randomUUID(), false, "pending");
        box("refused-" + UUID.randomUUID(), false, "rejected");

        JsonPath after = summary();
        assertThat(after.getLong("online") - before.getLong("online")).isEqualTo(1);
        assertThat(after.getLong("offline") - before.getLong("offline")).isEqualTo(1);
        assertThat(after.getLong("pending") - before.getLong("pending")).isEqualTo(1);
        assertThat(after.getLong("rejected") - before.getLong("rejected")).isEqualTo(1);
        assertThat(after.getLong("total") - before.getLong("total")).isEqualTo(4);

        List<Map<String, Object>> transitions = after.getList("recentTransitions");
        assertThat(transitions).hasSizeLessThanOrEqualTo(20);
        assertThat(transitions).anySatisfy(t -> {
            assertThat(t.get("idString")).isEqualTo(up);
            assertThat(t.get("kind")).isEqualTo("online");
            assertThat(t.get("boxId")).isEqualTo(a);
            assertThat(t.get("realIp")).isEqualTo("192.0.2.9");
            assertThat(t.get("at")).isNotNull();
        });
    }

    @Test
    void onlineOverTime_sixHoursInTenMinuteBuckets_followsTheTransitions() {
        JsonPath before = summary();
        int a = box("chart-a-" + UUID.randomUUID(), true, "accepted");
        event(a, "online", 200);
        int b = box("chart-b-" + UUID.randomUUID(), false, "accepted");
        event(b, "online", 200);
        event(b, "bye", 100);

        JsonPath after = summary();
        List<Map<String, Object>> points = after.getList("onlineOverTime");
        assertThat(points).hasSizeBetween(36, 38);
        assertThat(points).allSatisfy(p -> assertThat(p.get("at")).isNotNull());
        // Now: one more online (a); b came and left.
        assertThat(onlineAtLast(after) - onlineAtLast(before)).isEqualTo(1);
        // Two hours ago (between 200 and 100 minutes back): both were online.
        List<Map<String, Object>> old = before.getList("onlineOverTime");
        int twoHoursAgo = points.size() - 1 - 12;
        assertThat(((Number) points.get(twoHoursAgo).get("online")).longValue()
                - ((Number) old.get(twoHoursAgo).get("online")).longValue()).isEqualTo(2);
    }

    @Test
    void failedCommands_countsFailedDeliveriesOfTheLastDay() {
        long before = summary().getLong("failedCommands");
        int box = box("failing-" + UUID.randomUUID(), true, "accepted");
        long command = one(pool, "INSERT INTO commands (type, target_kind, target_value, created_by)"
                + " VALUES (102, 'box', $1, 'test') RETURNING id", String.valueOf(box)).getLong(0);
        query(pool, "INSERT INTO command_deliveries (command_id, box_id, state, updated_at) VALUES ($1, $2, 'failed', now())",
                command, box);
        int other = box("failed-long-ago-" + UUID.randomUUID(), true, "accepted");
        query(pool, "INSERT INTO command_deliveries (command_id, box_id, state, updated_at)"
                + " VALUES ($1, $2, 'failed', now() - interval '25 hours')", command, other);

        assertThat(summary().getLong("failedCommands") - before).isEqualTo(1);
    }

    @Test
    void summary_isForLoggedInUsersOnly() {
        given().get("/api/v1/fleet/summary").then().statusCode(401);
    }
}
