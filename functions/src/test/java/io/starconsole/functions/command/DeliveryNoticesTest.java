package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.edgeapi.Edge;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.newGroup;
import static io.starconsole.functions.command.Queue.toBox;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who tells the edges' feeds of new deliveries: an operator's enqueue once, after its commit (its
 * transaction sends no NOTIFY, see {@link DeliveryNotices}); the rarer writers through the trigger.
 * Each test's boxes are on edges of their own, so the notifications it reads are its own.
 */
@QuarkusTest
class DeliveryNoticesTest {

    /** Long enough for a notification sent at the enqueue's commit to have arrived, had there been one. */
    private static final int QUIET_MILLIS = 1_500;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void enqueue_isAnnouncedOnce_afterItsCommit_notByTheTrigger() throws Exception {
        String edge = newEdge();
        Queue.TestBox box = boxOn(edge, newGroup());
        try (Listener listener = new Listener()) {
            enqueue(command(102, toBox(box), "now"));
            assertThat(listener.payloadsNaming(edge)).containsExactly(edge);
        }
    }

    @Test
    void batch_isAnnouncedOnce_toEveryEdgeOfItsBoxes() throws Exception {
        TwoEdges two = TwoEdges.registered();
        try (Listener listener = new Listener()) {
            given().auth().oauth2(Queue.token()).contentType(ContentType.JSON)
                    .body(Map.of("commands", List.of(command(102, toBox(two.first()), "now"),
                            command(102, toBox(two.second()), "now"))))
                    .post("/api/v1/commands/batch").then().statusCode(201);
            List<String> payloads = listener.payloadsNaming(two.one());
            assertThat(payloads).hasSize(1);
            assertThat(payloads.get(0).split(",")).containsExactlyInAnyOrder(two.one(), two.other());
        }
    }

    @Test
    void p2pPair_announcesThePartnersEdgeToo() throws Exception {
        TwoEdges two = TwoEdges.registered();
        Queue.TestBox b = two.second();
        Map<String, Object> pair = new HashMap<>(command("ADD_P2P_SPN_TUNNEL", toBox(two.first()),
                "groupname|test1|vip|" + b.spnIp() + "|lport|12345|ekey|" + b.key() + "|server|13.125.60.224:49918"));
        pair.put("peer", toBox(b));
        try (Listener listener = new Listener()) {
            enqueue(pair);
            assertThat(listener.payloadsNaming(two.other())).hasSize(1);
        }
    }

    /** A box on each of two edges of their own. */
    private record TwoEdges(String one, String other, Queue.TestBox first, Queue.TestBox second) {
        static TwoEdges registered() {
            String one = newEdge();
            String other = newEdge();
            return new TwoEdges(one, other, boxOn(one, newGroup()), boxOn(other, newGroup()));
        }
    }

    @Test
    void lateJoinerQueuedAtRegistration_isStillAnnouncedByTheTrigger() throws Exception {
        String group = newGroup();
        Map<String, Object> broadcast = new HashMap<>(command(102, Map.of("group", group), "now"));
        broadcast.put("includeLateJoiners", true);
        enqueue(broadcast);
        String edge = newEdge();
        try (Listener listener = new Listener()) {
            boxOn(edge, group);
            assertThat(listener.payloadsNaming(edge)).containsExactly(edge);
        }
    }

    private static String newEdge() {
        return "edge-notice-" + System.nanoTime();
    }

    private static Queue.TestBox boxOn(String edgeId, String group) {
        String key = Edge.newKey();
        Map<String, Object> registration = Edge.register(key, "203.0.113.7", 40000, Edge.hello(group, null));
        registration.put("edgeId", edgeId);
        JsonPath answer = Edge.registerBox(registration);
        return new Queue.TestBox(key, answer.getInt("boxId"), answer.getString("spnIp"));
    }

    /** A connection of its own that LISTENs on the feeds' channel. */
    private final class Listener implements AutoCloseable {
        private final Connection connection;

        Listener() throws Exception {
            connection = DriverManager.getConnection(jdbcUrl, user.orElse(null), password.orElse(null));
            try (Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + DeliveryAnnouncements.CHANNEL);
            }
        }

        /** The payloads heard until nothing more came for {@link #QUIET_MILLIS} that name {@code edge}. */
        List<String> payloadsNaming(String edge) throws Exception {
            List<String> payloads = new ArrayList<>();
            while (true) {
                PGNotification[] heard = connection.unwrap(PGConnection.class).getNotifications(QUIET_MILLIS);
                if (heard == null || heard.length == 0) {
                    return payloads;
                }
                for (PGNotification notification : heard) {
                    if (List.of(notification.getParameter().split(",")).contains(edge)) {
                        payloads.add(notification.getParameter());
                    }
                }
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }
}
