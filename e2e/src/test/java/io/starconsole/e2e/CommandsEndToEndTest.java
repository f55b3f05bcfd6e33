package io.starconsole.e2e;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.starconsole.agent.Box;
import io.starconsole.agent.backend.SandboxBackend;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.simulation.SimulatedFleet;
import io.starconsole.protocol.crypto.KeyPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote commands through the real parts: the queue in Postgres, the edge's wake-ups and relays, and
 * agents carrying them out on their sandboxes — also across a bad network and restarts.
 */
class CommandsEndToEndTest {

    private static final Duration DONE_TIMEOUT = Duration.ofSeconds(60);
    private static RunningConsole console;

    @BeforeAll
    static void startConsole() throws Exception {
        // A short visibility timeout so that lost acknowledgements are redelivered within the test,
        // and attempts enough for a 20%-loss network across two restarts (this tests exactly-once
        // effect, not the attempt cap, which the functions' own tests cover).
        console = RunningConsole.start(Map.of(
                "STAR_CONSOLE_COMMANDS_VISIBILITY_TIMEOUT", "PT3S",
                "STAR_CONSOLE_COMMANDS_MAX_ATTEMPTS", "20",
                "STAR_CONSOLE_COMMANDS_SWEEP_EVERY", "1s"));
    }

    @AfterAll
    static void stopConsole() {
        if (console != null) {
            console.close();
        }
    }

    private static AgentConfig agents(String name, String group, int edgePort) throws IOException {
        return console.agents(name, group, edgePort, Duration.ofSeconds(1)).with(Option.RISKY_CHANGE_DEADLINE, "PT5S");
    }

    @Test
    void everySeedCommand_reachesTheBox_andChangesItsSandbox() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(agents("all12", "twelve", console.udpPort()), 1)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, DONE_TIMEOUT)).isTrue();
            Box box = fleet.boxes().get(0);
            Path sandbox = box.sandboxDirectory();
            int boxId = boxId(box);
            String peerKey = KeyPair.generate(new SecureRandom()).publicKey().toBase64();
            String tunnel = peerKey + "|allowed-ips|10.1.2.1/32|endpoint|198.51.100.20:59760|persistent-keepalive|25";
            String p2p = "groupname|test1|vip|172.16.1.1|lport|12345|ekey|" + peerKey + "|server|198.51.100.30:49918";

            run(boxId, "CHANGE_SPNBOX_NAME", "gate-seven", "succeeded");
            assertThat(read(sandbox, SandboxBackend.HOSTNAME)).isEqualTo("gate-seven");

            run(boxId, "CHANGE_ADMIN_PASSWORD", "correct horse battery", "succeeded");
            assertThat(read(sandbox, SandboxBackend.ADMIN_PASSWORD_HASH)).startsWith("$6$")
                    .doesNotContain("correct horse");

            run(boxId, "REBOOT_SPNBOX", "now", "succeeded");
            assertThat(read(sandbox, SandboxBackend.REBOOTS)).isEqualTo("1");

            run(boxId, "CHANGE_L3_SPN_LISTEN_PORT", "51821", "succeeded");
            assertThat(read(sandbox, SandboxBackend.LISTEN_PORT)).isEqualTo("51821");

            run(boxId, "ADD_L3_SPN_TUNNEL", tunnel, "succeeded");
            assertThat(read(sandbox, SandboxBackend.PEERS)).contains(peerKey);
            run(boxId, "REMOVE_L3_SPN_TUNNEL", tunnel, "succeeded");
            assertThat(read(sandbox, SandboxBackend.PEERS)).doesNotContain(peerKey);

            run(boxId, "ADD_P2P_SPN_TUNNEL", p2p, "succeeded");
            assertThat(read(sandbox, SandboxBackend.P2P_TUNNELS)).contains("test1");
            run(boxId, "REMOVE_P2P_SPN_TUNNEL", p2p, "succeeded");
            assertThat(read(sandbox, SandboxBackend.P2P_TUNNELS)).doesNotContain("test1");

            String newAddress = "10.99.250." + (2 + new SecureRandom().nextInt(200));
            run(boxId, "CHANGE_L3_SPN_IP_ADDRESS", newAddress + "|255.255.0.0", "succeeded");
            assertThat(read(sandbox, SandboxBackend.SPN_ADDRESS)).startsWith(newAddress);
            awaitTrue(() -> newAddress.equals(boxById(boxId).getString("spnIp")), Duration.ofSeconds(10),
                    "the registry shows the new address");

            String oldKey = box.publicKey().toBase64();
            run(boxId, "REGENERATE_L3_SPN_KEY", "now", "succeeded");
            awaitTrue(() -> !oldKey.equals(boxById(boxId).getString("publicKey"))
                            && boxById(boxId).getBoolean("online"), Duration.ofSeconds(20),
                    "the same box, online under its new key");
            assertThat(boxById(boxId).getString("publicKey")).isEqualTo(box.publicKey().toBase64());

            run(boxId, "FLUSH_USER_CMDS", "now", "succeeded");

            run(boxId, "GOTO_FACTORY_DEFAULT_STATE", "now", "succeeded");
            assertThat(read(sandbox, SandboxBackend.FACTORY_RESETS)).isEqualTo("1");
        }
    }

    @Test
    void broadcastToTwoHundredBoxes_takesEffectExactlyOnceOnEach() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(agents("bcast", "broadcast", console.udpPort()), 200)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(120))).isTrue();
            awaitTrue(() -> preview("broadcast") == 200, Duration.ofSeconds(15), "all 200 in the group");
            long id = enqueue(Map.of("group", "broadcast"), "REBOOT_SPNBOX", "now", "normal");
            JsonPath done = awaitDone(id, Duration.ofSeconds(90));
            assertThat(done.getString("state")).isEqualTo("succeeded");
            assertThat(done.getInt("counts.total")).isEqualTo(200);
            assertThat(done.getInt("counts.succeeded")).isEqualTo(200);
            // A box reboots after its result is acknowledged: the last ones a moment after the command is done.
            awaitTrue(() -> fleet.boxes().stream().noneMatch(box -> read(box.sandboxDirectory(), SandboxBackend.REBOOTS)
                    .isEmpty()), Duration.ofSeconds(15), "every box has rebooted");
            for (Box box : fleet.boxes()) {
                assertThat(read(box.sandboxDirectory(), SandboxBackend.REBOOTS)).as("rebooted exactly once").isEqualTo("1");
            }
        }
    }

    @Test
    void highPriority_overtakesQueuedNormalCommands() throws Exception {
        AgentConfig config = agents("prio", "priority", console.udpPort());
        int boxId;
        try (SimulatedFleet fleet = SimulatedFleet.start(config, 1)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, DONE_TIMEOUT)).isTrue();
            boxId = boxId(fleet.boxes().get(0));
        } // BYE: the box is away while the queue fills
        List<Long> normal = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String key = KeyPair.generate(new SecureRandom()).publicKey().toBase64();
            normal.add(enqueue(Map.of("box", String.valueOf(boxId)), "ADD_L3_SPN_TUNNEL",
                    key + "|allowed-ips|10.1.3." + (i + 1) + "/32|endpoint|198.51.100.21:51820|persistent-keepalive|25",
                    "normal"));
        }
        long high = enqueue(Map.of("box", String.valueOf(boxId)), "CHANGE_SPNBOX_NAME", "urgent-name", "high");
        try (SimulatedFleet fleet = SimulatedFleet.start(config, 1)) { // the same box comes back
            awaitDone(high, DONE_TIMEOUT);
            for (long id : normal) {
                awaitDone(id, DONE_TIMEOUT);
            }
            String highDoneAt = delivery(high).getString("updatedAt");
            for (long id : normal) {
                assertThat(delivery(id).getString("updatedAt")).as("normal finished after high")
                        .isGreaterThan(highDoneAt);
            }
        }
    }

    @Test
    void badNetwork_droppedAcknowledgements_andRestarts_endWithEachCommandDoneOnce() throws Exception {
        try (UdpFaultProxy proxy = new UdpFaultProxy(console.udpPort()).faults(0.20, 0.05, 0.10, 200);
             SimulatedFleet fleet = SimulatedFleet.start(agents("lossy", "lossy", proxy.port()), 5)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(120))).isTrue();
            awaitTrue(() -> preview("lossy") == 5, Duration.ofSeconds(30), "all 5 registered");

            List<Long> ids = new ArrayList<>();
            ids.add(enqueue(Map.of("group", "lossy"), "REBOOT_SPNBOX", "now", "normal"));
            String gone = tunnel(KeyPair.generate(new SecureRandom()).publicKey().toBase64(), "10.1.9.1");
            ids.add(enqueue(Map.of("group", "lossy"), "ADD_L3_SPN_TUNNEL", gone, "normal"));
            console.console.restart("edge");
            // Order matters from here: removed after it was added, so it must end absent.
            ids.add(enqueue(Map.of("group", "lossy"), "REMOVE_L3_SPN_TUNNEL", gone, "normal"));
            String kept = KeyPair.generate(new SecureRandom()).publicKey().toBase64();
            ids.add(enqueue(Map.of("group", "lossy"), "ADD_L3_SPN_TUNNEL", tunnel(kept, "10.1.9.2"), "normal"));
            console.console.killAndRestart("functions"); // kill -9 while the boxes lease and report
            ids.add(enqueue(Map.of("group", "lossy"), "CHANGE_SPNBOX_NAME", "after-restarts", "normal"));

            for (long id : ids) {
                assertThat(awaitDone(id, Duration.ofSeconds(150)).getString("state")).isEqualTo("succeeded");
            }
            for (Box box : fleet.boxes()) {
                assertThat(read(box.sandboxDirectory(), SandboxBackend.REBOOTS)).as("rebooted once").isEqualTo("1");
                String peers = read(box.sandboxDirectory(), SandboxBackend.PEERS);
                assertThat(peers).as("added, then removed: in that order").doesNotContain(gone.substring(0, 44));
                assertThat(peers.lines().filter(line -> line.startsWith(kept)).count()).as("added once").isEqualTo(1);
                assertThat(read(box.sandboxDirectory(), SandboxBackend.HOSTNAME)).isEqualTo("after-restarts");
            }
            assertThat(proxy.dropped.get()).as("the network really was bad").isPositive();
            assertThat(proxy.duplicated.get()).isPositive();
        }
    }

    @Test
    void agentKilledInTheMiddleOfACommand_getsItAgainAfterItsRestart_andItTakesEffectOnce() throws Exception {
        Path state = console.scratchDirectory("e2e-crash");
        String peer = KeyPair.generate(new SecureRandom()).publicKey().toBase64();
        long id;
        String publicKey;
        // A slow box: each change takes 30 s, so the kill lands while the command runs.
        try (AgentProcess slow = AgentProcess.start(state, "crash-box", console.udpPort(),
                console.console.edgePublicKeyFile(), "--sandbox-change-delay", "PT30S")) {
            publicKey = slow.publicKey(Duration.ofSeconds(20));
            awaitTrue(() -> find(publicKey) != null && boxById(find(publicKey)).getBoolean("online"),
                    DONE_TIMEOUT, "the agent comes online");
            id = enqueue(Map.of("box", String.valueOf(find(publicKey))), "ADD_L3_SPN_TUNNEL",
                    tunnel(peer, "10.1.8.1"), "normal");
            awaitTrue(() -> "delivered".equals(delivery(id).getString("state")), DONE_TIMEOUT,
                    "the box has the command");
            Thread.sleep(1_000);
            slow.kill();
        }
        assertThat(read(AgentProcess.sandbox(state), SandboxBackend.PEERS)).as("killed before the change").doesNotContain(peer);
        assertThat(delivery(id).getString("state")).isEqualTo("delivered");

        try (AgentProcess restarted = AgentProcess.start(state, "crash-box", console.udpPort(),
                console.console.edgePublicKeyFile())) {
            assertThat(restarted.publicKey(Duration.ofSeconds(5))).as("the same box").isEqualTo(publicKey);
            JsonPath done = awaitDone(id, DONE_TIMEOUT);
            assertThat(done.getString("state")).isEqualTo("succeeded");
            assertThat(read(restarted.sandbox(), SandboxBackend.PEERS).lines().filter(l -> l.startsWith(peer)).count())
                    .as("the tunnel exists once").isEqualTo(1);
            assertThat(delivery(id).getInt("attempts")).as("delivered again after the restart").isEqualTo(2);
        }
    }

    @Test
    void spnAddressChangeTheBoxCannotConfirm_isRolledBackByTheBox() throws Exception {
        try (UdpFaultProxy proxy = new UdpFaultProxy(console.udpPort());
             SimulatedFleet fleet = SimulatedFleet.start(agents("rollback", "rollback", proxy.port()), 1)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, DONE_TIMEOUT)).isTrue();
            Box box = fleet.boxes().get(0);
            int boxId = boxId(box);
            String before = read(box.sandboxDirectory(), SandboxBackend.SPN_ADDRESS);

            // The box's session stands, but it cannot register again: it will get the command, apply
            // the address, and never hear the console confirm it.
            proxy.dropHandshakes(true);
            // A random address another box of this console holds is refused (409 address_taken,
            // nothing queued): try another.
            SecureRandom random = new SecureRandom();
            String target = null;
            long id = 0;
            for (int attempt = 0; attempt < 20 && target == null; attempt++) {
                String candidate = "10.99.251." + (2 + random.nextInt(200));
                Response answer = console.api().body(command(Map.of("box", String.valueOf(boxId)),
                        "CHANGE_L3_SPN_IP_ADDRESS", candidate + "|255.255.0.0", "normal")).post("/api/v1/commands");
                if (answer.statusCode() == 201) {
                    target = candidate;
                    id = answer.jsonPath().getLong("id");
                } else {
                    assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(409);
                    assertThat(answer.asString()).contains("address_taken");
                }
            }
            assertThat(target).as("a free address among 20 tries").isNotNull();
            String tentative = target;
            awaitTrue(() -> read(box.sandboxDirectory(), SandboxBackend.SPN_ADDRESS).startsWith(tentative),
                    Duration.ofSeconds(20), "the box applied the new address tentatively");
            Thread.sleep(7_000); // past the box's 5 s deadline: it rolls back
            proxy.dropHandshakes(false); // and can register again on its old settings

            JsonPath done = awaitDone(id, DONE_TIMEOUT);
            assertThat(done.getString("state")).isEqualTo("rolled_back");
            assertThat(read(box.sandboxDirectory(), SandboxBackend.SPN_ADDRESS)).isEqualTo(before);
            assertThat(delivery(id).getString("result")).startsWith("rolled back:");
        }
    }

    // --- helpers ---

    private static String tunnel(String peerKey, String allowedAddress) {
        return peerKey + "|allowed-ips|" + allowedAddress + "/32|endpoint|198.51.100.9:51820|persistent-keepalive|25";
    }

    private static void run(int boxId, String type, String arguments, String expectedState) throws Exception {
        long id = enqueue(Map.of("box", String.valueOf(boxId)), type, arguments, "normal");
        JsonPath done = awaitDone(id, DONE_TIMEOUT);
        assertThat(done.getString("state")).as(type + " " + delivery(id).getString("result")).isEqualTo(expectedState);
    }

    private static long enqueue(Map<String, Object> target, String type, String arguments, String priority)
            throws IOException {
        return console.enqueue(command(target, type, arguments, priority));
    }

    /** The body of {@code POST /api/v1/commands}. */
    private static Map<String, Object> command(Map<String, Object> target, String type, String arguments,
                                               String priority) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("target", target);
        body.put("arguments", arguments);
        body.put("priority", priority);
        return body;
    }

    private static JsonPath awaitDone(long id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath command = new JsonPath(console.api().get("/api/v1/commands/" + id).asString());
            String state = command.getString("state");
            if (!state.equals("queued") && !state.equals("in_progress")) {
                return command;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("command " + id + " still " + state + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    private static JsonPath delivery(long commandId) {
        try {
            return new JsonPath(console.api().get("/api/v1/commands/" + commandId + "/deliveries").asString())
                    .setRootPath("items[0]");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int preview(String group) {
        try {
            return console.api().queryParam("group", group).get("/api/v1/commands/preview")
                    .then().statusCode(200).extract().path("boxes");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static int boxId(Box box) throws Exception {
        String key = box.publicKey().toBase64();
        awaitTrue(() -> find(key) != null, Duration.ofSeconds(15), "the box is in the registry");
        return find(key);
    }

    private static Integer find(String publicKey) {
        try {
            List<Map<String, Object>> items = console.api().queryParam("q", publicKey).get("/api/v1/boxes")
                    .then().statusCode(200).extract().jsonPath().getList("items");
            return items.stream().filter(i -> publicKey.equals(i.get("publicKey")))
                    .map(i -> (Integer) i.get("id")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonPath boxById(int id) {
        try {
            return new JsonPath(console.api().get("/api/v1/boxes/" + id).asString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path sandbox, String file) {
        try {
            Path path = sandbox.resolve(file);
            return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }
}
