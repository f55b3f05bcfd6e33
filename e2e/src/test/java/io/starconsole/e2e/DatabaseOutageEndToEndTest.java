package io.starconsole.e2e;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.starconsole.agent.AgentRuntime;
import io.starconsole.agent.Box;
import io.starconsole.agent.backend.Backend;
import io.starconsole.agent.backend.SandboxBackend;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.lifecycle.LifecycleTimers;
import io.starconsole.agent.simulation.SimulatedFleet;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #9: PostgreSQL stops for 30 s under load and starts again on the same data. Boxes keep their
 * sessions, the API says 503 (never 500), the edge's relays hold what they could not deliver and
 * drain it, and no box, command or result is lost or applied twice.
 */
class DatabaseOutageEndToEndTest {

    private static final int BOXES = 20;
    private static final Duration PING_INTERVAL = Duration.ofSeconds(2);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    /** How long the slow box takes to rename itself: its result is ready while the database is down. */
    private static final Duration RENAME_TAKES = Duration.ofSeconds(6);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(90);
    private static RunningConsole console;

    @BeforeAll
    static void startConsole() throws Exception {
        // A visibility timeout longer than the outage: a result refused during it must come through
        // by the box sending it again, not by the command's redelivery.
        console = RunningConsole.start(Map.of("STAR_CONSOLE_COMMANDS_SWEEP_EVERY", "1s",
                "STAR_CONSOLE_COMMANDS_VISIBILITY_TIMEOUT", "PT90S"));
    }

    @AfterAll
    static void stopConsole() {
        if (console != null) {
            console.close();
        }
    }

    private static AgentConfig agents(String name, String group) throws IOException {
        return console.agents(name, group, console.udpPort(), PING_INTERVAL);
    }

    @Test
    void postgresStoppedThirtySeconds_underLoad_losesNoBoxCommandOrResult() throws Exception {
        SlowRenames slow = new SlowRenames();
        AgentConfig slowConfig = SimulatedFleet.configFor(agents("slow", "outage-slow"), 1);
        try (SimulatedFleet fleet = SimulatedFleet.start(agents("outage", "outage"), BOXES);
             AgentRuntime slowRuntime = new AgentRuntime(2);
             Box slowBox = Box.create(slowConfig, slowRuntime, LifecycleTimers.standard(PING_INTERVAL), slow::wrap)) {
            slowBox.start();
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(120))).isTrue();
            RunningConsole.awaitTrue(() -> onlineIn("outage") == BOXES, Duration.ofSeconds(30), "all boxes online");
            int slowBoxId = console.boxId(slowBox.publicKey().toBase64());

            // Work before the outage is processed as usual.
            long before = enqueue(Map.of("group", "outage"), "CHANGE_SPNBOX_NAME", "before-outage", null);
            assertThat(awaitDone(before, Duration.ofSeconds(60)).getString("state")).isEqualTo("succeeded");

            // Queued now, due a few seconds into the outage: delivered only after it.
            String peer = KeyPair.generate(new SecureRandom()).publicKey().toBase64();
            long queued = enqueue(Map.of("group", "outage"), "ADD_L3_SPN_TUNNEL",
                    peer + "|allowed-ips|10.1.7.1/32|endpoint|198.51.100.7:51820|persistent-keepalive|25",
                    OffsetDateTime.now().plusSeconds(8).toString());
            // Leased now, its result ready only while the database is down.
            long renamed = enqueue(Map.of("box", String.valueOf(slowBoxId)), "CHANGE_SPNBOX_NAME",
                    "renamed-in-outage", null);
            assertThat(slow.started.await(60, TimeUnit.SECONDS)).as("the slow box started renaming").isTrue();

            Map<String, Long> pongsBefore = pongs(fleet, slowBox);
            long stopping = System.nanoTime();
            console.console.stopDatabase();
            OutageObservations seen = observe(fleet, slowBox, stopping + OUTAGE.toNanos());
            Map<String, Long> pongsDuring = pongs(fleet, slowBox);
            console.console.startDatabase();
            long started = System.nanoTime();
            OffsetDateTime restartedAt = OffsetDateTime.now();

            // During: PINGs answered, boxes kept their sessions, the API refused cleanly.
            pongsBefore.forEach((box, count) -> assertThat(pongsDuring.get(box) - count)
                    .as("PONGs to " + box + " during the outage").isGreaterThanOrEqualTo(OUTAGE.toSeconds() / 2 - 3));
            assertThat(seen.fewestEstablished).as("boxes established all through").isEqualTo(BOXES + 1);
            assertThat(seen.badAnswers).as("answers other than a clean 503").isEmpty();
            assertThat(seen.apiStatuses).containsOnlyKeys(503);
            assertThat(seen.healthStatuses).containsKey(503).doesNotContainKey(500);
            assertThat(seen.backlogPeak).as("presence backlog: one heartbeat per box at most")
                    .isPositive().isLessThanOrEqualTo(BOXES + 1);

            // After: ready again, the edge's backlog drained, every box online with a fresh last-seen.
            long ready = awaitAfter(started, () -> health() == 200, "the functions ready again");
            long drained = awaitAfter(started, () -> edgeBacklog() == 0, "the presence backlog drained");
            long online = awaitAfter(started, () -> onlineSeenAfter("outage", restartedAt) == BOXES,
                    "every box online, seen after the restart");

            // Nothing lost, nothing twice.
            JsonPath queuedDone = awaitDone(queued, RECOVERY_TIMEOUT);
            long queuedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(queuedDone.getString("state")).isEqualTo("succeeded");
            assertThat(queuedDone.getInt("counts.succeeded")).isEqualTo(BOXES);
            for (Box box : fleet.boxes()) {
                assertThat(Files.readString(box.sandboxDirectory().resolve(SandboxBackend.PEERS)).lines()
                        .filter(line -> line.startsWith(peer)).count()).as("peer added once").isEqualTo(1);
            }
            assertThat(awaitDone(renamed, RECOVERY_TIMEOUT).getString("state")).isEqualTo("succeeded");
            long renamedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            JsonPath deliveries = new JsonPath(console.api().get("/api/v1/commands/" + renamed + "/deliveries").asString());
            assertThat(deliveries.getList("items")).hasSize(1);
            assertThat(deliveries.getString("items[0].state")).isEqualTo("succeeded");
            assertThat(deliveries.getInt("items[0].attempts")).as("recorded from the box's resend, not a redelivery")
                    .isEqualTo(1);
            assertThat(slow.renames.get()).as("the slow box renamed itself once").isEqualTo(1);
            assertThat(Files.readString(slowBox.sandboxDirectory().resolve(SandboxBackend.HOSTNAME)).trim())
                    .isEqualTo("renamed-in-outage");

            long after = enqueue(Map.of("group", "outage"), "CHANGE_SPNBOX_NAME", "after-outage", null);
            assertThat(awaitDone(after, Duration.ofSeconds(60)).getString("state")).isEqualTo("succeeded");
            for (Box box : fleet.boxes()) {
                assertThat(historyKinds(console.boxId(box.publicKey().toBase64())))
                        .as("no box went offline for the database's silence").doesNotContain("offline");
            }

            long warnings = warningLines();
            long fewestPongs = pongsBefore.entrySet().stream()
                    .mapToLong(e -> pongsDuring.get(e.getKey()) - e.getValue()).min().orElse(0);
            System.out.printf("database outage figures: outage %d ms, API answers %s, readiness %s,"
                            + " fewest PONGs to a box during it %d, presence backlog peak %d; after the start: ready"
                            + " %d ms, backlog drained %d ms, all online %d ms, queued command done on all boxes %d ms,"
                            + " refused result recorded by %d ms (delivery attempts %d); warnings logged %d%n",
                    TimeUnit.NANOSECONDS.toMillis(started - stopping), seen.apiStatuses, seen.healthStatuses,
                    fewestPongs, seen.backlogPeak, ready, drained, online, queuedMillis, renamedMillis,
                    deliveries.getInt("items[0].attempts"), warnings);
            assertThat(stackTraceLines()).as("stack traces in the console's log").isEmpty();
            assertThat(warnings).as("warnings: one per kind of failure, not one per request").isLessThan(40);
        }
    }

    /** What the test saw while the database was down. */
    private static final class OutageObservations {
        final Map<Integer, Integer> apiStatuses = new TreeMap<>();
        final Map<Integer, Integer> healthStatuses = new TreeMap<>();
        final List<String> badAnswers = new ArrayList<>();
        int fewestEstablished = Integer.MAX_VALUE;
        int backlogPeak;
    }

    /** Plays an operator (list boxes, enqueue a command, log in) and watches boxes, health and the edge until {@code until}. */
    private static OutageObservations observe(SimulatedFleet fleet, Box slowBox, long until) throws Exception {
        OutageObservations seen = new OutageObservations();
        Map<String, Object> command = Map.of("type", "CHANGE_SPNBOX_NAME", "target", Map.of("group", "outage"),
                "arguments", "during-outage");
        Map<String, Object> login = Map.of("username", "admin", "password", console.console.adminPassword());
        while (System.nanoTime() < until) {
            record(seen, console.api().queryParam("size", 100).get("/api/v1/boxes"));
            record(seen, console.api().body(command).post("/api/v1/commands"));
            record(seen, RestAssured.given().baseUri(console.apiBase())
                    .contentType(ContentType.JSON).body(login).post("/api/v1/auth/login"));
            seen.healthStatuses.merge(health(), 1, Integer::sum);
            seen.backlogPeak = Math.max(seen.backlogPeak, edgeBacklog());
            int established = (int) fleet.count(BoxState.ESTABLISHED) + (slowBox.state() == BoxState.ESTABLISHED ? 1 : 0);
            seen.fewestEstablished = Math.min(seen.fewestEstablished, established);
            Thread.sleep(500);
        }
        return seen;
    }

    private static void record(OutageObservations seen, Response response) {
        seen.apiStatuses.merge(response.statusCode(), 1, Integer::sum);
        String body = response.asString();
        boolean clean = response.statusCode() == 503 && body.contains("\"code\":\"unavailable\"")
                && body.contains("\"error\":") && !body.contains("Exception") && !body.contains("\tat ");
        if (!clean) {
            seen.badAnswers.add(response.statusCode() + " " + body);
        }
    }

    private static Map<String, Long> pongs(SimulatedFleet fleet, Box slowBox) {
        Map<String, Long> pongs = new HashMap<>();
        for (Box box : fleet.boxes()) {
            pongs.put(box.config().id(), box.status().pongsReceived());
        }
        pongs.put(slowBox.config().id(), slowBox.status().pongsReceived());
        return pongs;
    }

    /** Milliseconds from {@code since} until {@code condition} holds. */
    private static long awaitAfter(long since, BooleanSupplier condition, String what)
            throws InterruptedException {
        RunningConsole.awaitTrue(condition, RECOVERY_TIMEOUT, what);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private static int health() {
        return RestAssured.given().baseUri(console.apiBase()).get("/q/health/ready").statusCode();
    }

    private static int edgeBacklog() {
        return (int) console.edgeMetric("edge_relay_presence_backlog");
    }

    private static long onlineIn(String group) {
        return boxesIn(group).stream().filter(b -> Boolean.TRUE.equals(b.get("online"))).count();
    }

    private static long onlineSeenAfter(String group, OffsetDateTime after) {
        return boxesIn(group).stream().filter(b -> Boolean.TRUE.equals(b.get("online")))
                .filter(b -> b.get("lastSeen") != null && OffsetDateTime.parse((String) b.get("lastSeen")).isAfter(after))
                .count();
    }

    private static List<Map<String, Object>> boxesIn(String group) {
        try {
            return console.api().queryParam("size", 500).queryParam("group", group).get("/api/v1/boxes")
                    .then().statusCode(200).extract().jsonPath().getList("items");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long enqueue(Map<String, Object> target, String type, String arguments, String notBefore)
            throws IOException {
        Map<String, Object> body = new HashMap<>(Map.of("type", type, "target", target, "arguments", arguments));
        if (notBefore != null) {
            body.put("notBefore", notBefore);
        }
        return console.enqueue(body);
    }

    private static JsonPath awaitDone(long id, Duration timeout) throws Exception {
        JsonPath[] last = new JsonPath[1];
        RunningConsole.awaitTrue(() -> {
            try {
                last[0] = new JsonPath(console.api().get("/api/v1/commands/" + id).asString());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            String state = last[0].getString("state");
            return !"queued".equals(state) && !"in_progress".equals(state);
        }, timeout, "command " + id + " done");
        return last[0];
    }

    private static List<String> historyKinds(int boxId) throws IOException {
        return console.api().queryParam("size", 200).get("/api/v1/boxes/" + boxId + "/history")
                .then().statusCode(200).extract().jsonPath().getList("items.kind");
    }

    private static List<String> stackTraceLines() throws IOException {
        return consoleLog().filter(line -> line.matches("\\[(functions|edge)] \\s+at .*")).limit(20)
                .collect(Collectors.toList());
    }

    private static long warningLines() throws IOException {
        return consoleLog().filter(line -> line.matches("\\[(functions|edge)] .* (WARN|ERROR) .*")).count();
    }

    private static Stream<String> consoleLog() throws IOException {
        return Files.readAllLines(console.data.resolve("console.log"), StandardCharsets.UTF_8).stream();
    }

    /** A sandbox box whose rename takes {@link #RENAME_TAKES}: it counts renames and says when one starts. */
    private static final class SlowRenames implements InvocationHandler {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicInteger renames = new AtomicInteger();
        private Backend sandbox;

        Backend wrap(AgentConfig config) {
            sandbox = new SandboxBackend(config.sandboxDirectory(), config.mac().map(MacAddress::parse));
            return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("setHostname")) {
                renames.incrementAndGet();
                started.countDown();
                Thread.sleep(RENAME_TAKES.toMillis());
            }
            try {
                return method.invoke(sandbox, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
