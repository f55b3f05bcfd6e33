package io.starconsole.functions.box;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starconsole.functions.ApiTestSupport;
import io.starconsole.functions.edgeapi.Edge;
import io.starconsole.localcloud.LocalCloudTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.starconsole.functions.edgeapi.Edge.hello;
import static io.starconsole.functions.edgeapi.Edge.newKey;
import static io.starconsole.functions.edgeapi.Edge.register;
import static io.starconsole.functions.edgeapi.Edge.registerBox;
import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.DbAssertions.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class PresenceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    PresenceService presence;

    @Test
    void presence_afterBye_marksOnline_andRecordsOnlineAndAddressChanged() {
        String key = newKey();
        int id = registerBox(register(key, "198.51.100.10", 1000, hello(null, null))).getInt("boxId");
        bye(key);
        assertThat(box(id).getBoolean("online")).isFalse();

        Edge.call().body(batch(beat(key, "198.51.100.11", 2000, now()), beat(newKey(), "192.0.2.1", 1, now())))
                .post("/internal/v1/presence")
                .then().statusCode(200).body("accepted", equalTo(1)).body("boxesWithWork", empty());

        Row row = box(id);
        assertThat(row.getBoolean("online")).isTrue();
        assertThat(row.getString("realip")).isEqualTo("198.51.100.11");
        assertThat(row.getInteger("realport")).isEqualTo(2000);
        assertThat(kinds(id)).containsSubsequence("registered", "online", "bye", "online", "address_changed");
        assertThat(lastEvent(id, "address_changed").getString("detail")).isEqualTo("from 198.51.100.10:1000");
    }

    /**
     * A hand-over keeps its boxes' rows locked until it commits. Queueing a command for one of them
     * checks the box exists (a foreign key's share lock on its row) and must not wait for that:
     * the hand-over changes none of the row's keys, so it locks it only for a non-key update.
     */
    @Test
    void presence_inProgress_doesNotHoldUpACommandQueuedForItsBox() throws Exception {
        String key = newKey();
        int id = registerBox(register(key, "198.51.100.30", 1000, hello(null, null))).getInt("boxId");
        query(pool, "CREATE FUNCTION presence_test_pause() RETURNS trigger LANGUAGE plpgsql"
                + " AS $$ BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$");
        query(pool, "CREATE TRIGGER presence_test_pause AFTER UPDATE ON spnclients FOR EACH ROW WHEN (NEW.id = "
                + id + ") EXECUTE FUNCTION presence_test_pause()");
        try {
            CompletableFuture<Integer> handOver = CompletableFuture.supplyAsync(() -> Edge.call()
                    .body(batch(beat(key, "198.51.100.30", 1000, now()))).post("/internal/v1/presence").statusCode());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (one(pool, "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'").getLong(0) == 0) {
                assertThat(System.nanoTime()).as("the hand-over reached its pause").isLessThan(deadline);
                Thread.sleep(20);
            }
            long asked = System.nanoTime();
            given().auth().oauth2(ApiTestSupport.adminToken()).contentType(ContentType.JSON)
                    .body(Map.of("type", 102, "target", Map.of("box", Integer.toString(id)), "arguments", "now"))
                    .post("/api/v1/commands").then().statusCode(201);
            long took = System.nanoTime() - asked;
            assertThat(handOver).as("the hand-over has not committed yet").isNotDone();
            assertThat(took).as("queued without waiting for the hand-over").isLessThan(Duration.ofSeconds(2).toNanos());
            assertThat(handOver.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(200);
        } finally {
            query(pool, "DROP TRIGGER presence_test_pause ON spnclients");
            query(pool, "DROP FUNCTION presence_test_pause()");
        }
    }

    @Test
    void presence_sameAddress_recordsNoTransition() {
        String key = newKey();
        int id = registerBox(register(key, "198.51.100.20", 1000, hello(null, null))).getInt("boxId");
        Edge.call().body(batch(beat(key, "198.51.100.20", 1000, now()))).post("/internal/v1/presence")
                .then().statusCode(200).body("accepted", equalTo(1));
        assertThat(kinds(id)).containsExactly("registered", "online", "spn_ip_assigned");
    }

    /**
     * Each online box's row takes a heartbeat every 5 s, which changes its last_seen only: PostgreSQL
     * must be able to keep the new version in the row's page without an entry in any index (a
     * heap-only tuple, flag 0x8000 of t_infomask2), or every heartbeat writes to all of the table's
     * indexes.
     */
    @Test
    void presence_ofABoxOnline_updatesItsRowWithoutIndexEntries() throws Exception {
        String key = newKey();
        int id = registerBox(register(key, "198.51.100.40", 1000, hello(null, null))).getInt("boxId");
        OffsetDateTime registered = box(id).getOffsetDateTime("last_seen");
        for (int i = 0; i < 2; i++) {
            Edge.call().body(batch(beat(key, "198.51.100.40", 1000, now()))).post("/internal/v1/presence")
                    .then().statusCode(200).body("accepted", equalTo(1));
        }
        Row version = one(pool, "SELECT (ctid::text::point)[0]::int AS page, (ctid::text::point)[1]::int AS item,"
                + " last_seen FROM spnclients WHERE id = $1", id);
        assertThat(version.getOffsetDateTime("last_seen")).isAfter(registered);
        int flags;
        // pageinspect reads raw pages, which only a superuser may
        try (Connection superuser = DriverManager.getConnection(LocalCloudTestResource.sharedCloud().jdbcUrl(),
                "postgres", "");
             Statement sql = superuser.createStatement()) {
            sql.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
            try (ResultSet item = sql.executeQuery("SELECT t_infomask2 FROM heap_page_items(get_raw_page('spnclients', "
                    + version.getInteger("page") + ")) WHERE lp = " + version.getInteger("item"))) {
                assertThat(item.next()).isTrue();
                flags = item.getInt(1);
            }
        }
        assertThat(flags & 0x8000).as("heap-only tuple flag of the row's current version").isNotZero();
    }

    @Test
    void offlineCheck_afterTheTimeout_marksOffline_withAnEvent() {
        String key = newKey();
        int id = registerBox(key, null, null).getInt("boxId");
        OffsetDateTime seen = now();
        Edge.call().body(batch(beat(key, "203.0.113.7", 40000, seen))).post("/internal/v1/presence")
                .then().statusCode(200);

        presence.markSilentBoxesOffline(seen.plusSeconds(10)).await().atMost(WAIT);
        assertThat(box(id).getBoolean("online")).isTrue();

        presence.markSilentBoxesOffline(seen.plusSeconds(16)).await().atMost(WAIT);
        assertThat(box(id).getBoolean("online")).isFalse();
        assertThat(lastEvent(id, "offline").getString("detail")).startsWith("no heartbeat since");
    }

    /**
     * A presence hand-over locks its boxes' rows in id order until it commits; an offline check that
     * waited for such a row while holding others could deadlock with it. The check skips a row held
     * by another transaction (that box is being heard from) and marks the rest.
     */
    @Test
    void offlineCheck_skipsABoxWhoseRowIsHeld_andMarksTheOthersWithoutWaiting() throws Exception {
        String heldKey = newKey();
        String freeKey = newKey();
        int held = registerBox(heldKey, null, null).getInt("boxId");
        int free = registerBox(freeKey, null, null).getInt("boxId");
        OffsetDateTime seen = now();
        Edge.call().body(batch(beat(heldKey, "203.0.113.10", 40010, seen), beat(freeKey, "203.0.113.11", 40011, seen)))
                .post("/internal/v1/presence").then().statusCode(200).body("accepted", equalTo(2));

        try (Connection other = DriverManager.getConnection(LocalCloudTestResource.sharedCloud().jdbcUrl(),
                "postgres", "")) {
            other.setAutoCommit(false);
            try (Statement sql = other.createStatement()) {
                sql.executeQuery("SELECT id FROM spnclients WHERE id = " + held + " FOR UPDATE").close();
                presence.markSilentBoxesOffline(seen.plusSeconds(16)).await().atMost(Duration.ofSeconds(10));
                assertThat(box(free).getBoolean("online")).isFalse();
                assertThat(box(held).getBoolean("online")).as("its row was held: skipped").isTrue();
            } finally {
                other.rollback();
            }
        }
        presence.markSilentBoxesOffline(seen.plusSeconds(21)).await().atMost(WAIT);
        assertThat(box(held).getBoolean("online")).as("still silent at the next check").isFalse();
        assertThat(lastEvent(held, "offline").getString("detail")).startsWith("no heartbeat since");
    }

    @Test
    void offlineCheck_soonAfterTheDatabaseCameBack_marksNoBox_untilTheConsoleListenedForTheTimeout() {
        String key = newKey();
        int id = registerBox(key, null, null).getInt("boxId");
        OffsetDateTime seen = now();
        Edge.call().body(batch(beat(key, "203.0.113.8", 40001, seen))).post("/internal/v1/presence")
                .then().statusCode(200);
        OffsetDateTime back = seen.plusSeconds(30); // the database was away for 30 s

        assertThat(presence.markSilentBoxesOffline(back.plusSeconds(5), back).await().atMost(WAIT)).isZero();
        assertThat(box(id).getBoolean("online")).isTrue();

        presence.markSilentBoxesOffline(back.plusSeconds(16), back).await().atMost(WAIT);
        assertThat(box(id).getBoolean("online")).as("still silent after listening 16 s").isFalse();
    }

    @Test
    void bye_marksOffline_andKeepsRecordAndAddress() {
        String key = newKey();
        var answer = registerBox(key, null, null);
        int id = answer.getInt("boxId");
        bye(key);

        Row row = box(id);
        assertThat(row.getBoolean("online")).isFalse();
        assertThat(row.getString("vpnip")).isEqualTo(answer.getString("spnIp"));
        assertThat(kinds(id)).endsWith("bye");
        assertThat(registerBox(key, null, answer.getString("spnIp")).getString("outcome")).isEqualTo("OK");
    }

    @Test
    void housekeeping_runsBothChecks_forTheEdge() {
        Edge.call().post("/internal/v1/housekeeping")
                .then().statusCode(200)
                .body("wentOffline", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("leasesReclaimed", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
    }

    @Test
    void bye_unknownBox_is404() {
        Edge.call().body(Map.of("publicKey", newKey(), "edgeId", "edge-1")).post("/internal/v1/bye")
                .then().statusCode(404);
    }

    @Test
    void presence_namesBoxesWithQueuedCommands() {
        String busy = newKey();
        String idle = newKey();
        int busyId = registerBox(busy, null, null).getInt("boxId");
        registerBox(idle, null, null);
        long command = one(pool, "INSERT INTO commands (type, target_kind, target_value, created_by)"
                        + " VALUES (102, 'box', $1, 'test') RETURNING id", String.valueOf(busyId)).getLong(0);
        pool.preparedQuery("INSERT INTO command_deliveries (command_id, box_id) VALUES ($1, $2)")
                .execute(Tuple.of(command, busyId)).await().atMost(WAIT);

        Edge.call().body(batch(beat(busy, "203.0.113.7", 40000, now()), beat(idle, "203.0.113.7", 40000, now())))
                .post("/internal/v1/presence")
                .then().statusCode(200).body("accepted", equalTo(2)).body("boxesWithWork", contains(busy));
        assertThat(registerBox(busy, null, null).getBoolean("commandsPending")).isTrue();
    }

    @Test
    void presence_batchOfThousands_isAppliedInOneCall() {
        List<Map<String, Object>> beats = new ArrayList<>();
        List<String> known = List.of(newKey(), newKey(), newKey());
        known.forEach(key -> registerBox(key, null, null));
        known.forEach(key -> beats.add(beat(key, "203.0.113.9", 5, now())));
        for (int i = 0; i < 3000; i++) {
            beats.add(beat(newKey(), "192.0.2." + (i % 250), 1000 + i, now()));
        }
        Edge.call().body(Map.of("edgeId", "edge-1", "heartbeats", beats)).post("/internal/v1/presence")
                .then().statusCode(200).body("accepted", equalTo(3));
    }

    @Test
    void presence_badHeartbeat_namesItsField() {
        Edge.call().body(batch(beat(newKey(), "not-an-ip", 1, now()))).post("/internal/v1/presence")
                .then().statusCode(400).body("field", equalTo("heartbeats[0].realIp"));
    }

    private static void bye(String key) {
        Edge.call().body(Map.of("publicKey", key, "edgeId", "edge-1")).post("/internal/v1/bye")
                .then().statusCode(204);
    }

    /**
     * The edge answers a box's re-keys itself while the registry has nothing new for it, so the
     * presence answer must name the boxes the registry no longer serves, whose sessions the edge
     * then ends: rejected, unknown (deleted), or holding no SPN IP (released by an operator). A
     * served box is not named, and a rejected box's heartbeat changes nothing.
     */
    @Test
    void presence_namesTheBoxesNoLongerServed_rejectedUnknownOrWithoutAnAddress() {
        String admin = ApiTestSupport.adminToken();
        String served = newKey();
        String rejected = newKey();
        String released = newKey();
        String unknown = newKey();
        registerBox(served, null, null);
        int rejectedId = registerBox(rejected, null, null).getInt("boxId");
        int releasedId = registerBox(released, null, null).getInt("boxId");
        given().auth().oauth2(admin).post("/api/v1/boxes/" + rejectedId + "/reject").then().statusCode(200);
        given().auth().oauth2(admin).delete("/api/v1/boxes/" + releasedId + "/address").then().statusCode(204);
        OffsetDateTime rejectedSeenBefore = box(rejectedId).getOffsetDateTime("last_seen");

        List<String> notServed = Edge.call().body(batch(beat(served, "203.0.113.9", 40000, now()),
                        beat(rejected, "203.0.113.9", 40001, now()), beat(released, "203.0.113.9", 40002, now()),
                        beat(unknown, "203.0.113.9", 40003, now())))
                .post("/internal/v1/presence")
                .then().statusCode(200).body("accepted", equalTo(2)).extract().path("boxesNotServed");

        assertThat(notServed).containsExactlyInAnyOrder(rejected, released, unknown);
        assertThat(box(rejectedId).getOffsetDateTime("last_seen")).isEqualTo(rejectedSeenBefore);
        assertThat(box(rejectedId).getInteger("realport")).isNotEqualTo(40001);
    }

    static Map<String, Object> beat(String key, String ip, int port, OffsetDateTime at) {
        return Map.of("publicKey", key, "realIp", ip, "realPort", port, "at", at.toString());
    }

    @SafeVarargs
    static Map<String, Object> batch(Map<String, Object>... beats) {
        return Map.of("edgeId", "edge-1", "heartbeats", List.of(beats));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private Row box(int id) {
        return one(pool, "SELECT * FROM spnclients WHERE id = $1", id);
    }

    private List<String> kinds(int id) {
        List<String> kinds = new ArrayList<>();
        pool.preparedQuery("SELECT kind FROM box_events WHERE box_id = $1 ORDER BY id").execute(Tuple.of(id))
                .await().atMost(WAIT).forEach(row -> kinds.add(row.getString(0)));
        return kinds;
    }

    private Row lastEvent(int id, String kind) {
        return one(pool, "SELECT * FROM box_events WHERE box_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1", id, kind);
    }
}
