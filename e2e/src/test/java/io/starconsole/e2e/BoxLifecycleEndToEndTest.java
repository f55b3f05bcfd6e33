package io.starconsole.e2e;

import io.restassured.path.json.JsonPath;
import io.starconsole.agent.Box;
import io.starconsole.agent.backend.SandboxBackend;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.simulation.SimulatedFleet;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.Initiator;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.MacAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The box lifecycle through the real parts: local cloud, functions and edge as their own processes,
 * agents speaking JEDI/2 over real UDP. Presence is tuned short (offline after 3 s) so silence can be
 * shown without long waits; everything else runs with production settings.
 */
class BoxLifecycleEndToEndTest {

    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(60);
    private static RunningConsole console;

    @BeforeAll
    static void startConsole() throws Exception {
        console = RunningConsole.start(Map.of(
                "STAR_CONSOLE_PRESENCE_OFFLINE_AFTER", "PT3S",
                "STAR_CONSOLE_PRESENCE_CHECK_EVERY", "1s"));
    }

    @AfterAll
    static void stopConsole() {
        if (console != null) {
            console.close();
        }
    }

    private static AgentConfig agents(String name, String group) throws IOException {
        return console.agents(name, group, console.udpPort(), Duration.ofSeconds(1));
    }

    @Test
    void fiftyBoxes_registerWithUniqueAddressesFromTheirPools_goOnlineAndOfflineAfterBye() throws Exception {
        console.api().body(Map.of("name", "factory-b", "group", "factory-b", "network", "10.77.0.0/24"))
                .post("/api/v1/address-pools").then().statusCode(201);

        try (SimulatedFleet plain = SimulatedFleet.start(agents("plain", "default"), 25);
             SimulatedFleet factory = SimulatedFleet.start(agents("factory", "factory-b"), 25)) {
            assertThat(plain.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            assertThat(factory.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            Set<String> plainKeys = keys(plain);
            Set<String> factoryKeys = keys(factory);

            // The seed's table: one row per box, realip/vpnip/publickey/edport/groupname/mac/id/date.
            Map<String, String> vpnipByKey = new HashMap<>();
            try (Connection c = DriverManager.getConnection(console.console.jdbcUrl(), "spnbox", "spnbox");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT realip, vpnip, publickey, edport, groupname, mac_addr,"
                         + " spnbox_id, created_date FROM spnclients")) {
                while (rs.next()) {
                    String key = rs.getString("publickey");
                    if (plainKeys.contains(key) || factoryKeys.contains(key)) {
                        assertThat(rs.getString("realip")).isEqualTo("127.0.0.1");
                        assertThat(rs.getString("mac_addr")).startsWith("02:53:00:");
                        assertThat(rs.getString("spnbox_id")).matches("(plain|factory)-\\d+");
                        assertThat(rs.getString("groupname")).isEqualTo(plainKeys.contains(key) ? "default" : "factory-b");
                        assertThat(rs.getDate("created_date")).isNotNull();
                        vpnipByKey.put(key, rs.getString("vpnip"));
                    }
                }
            }
            assertThat(vpnipByKey).hasSize(50);
            assertThat(new HashSet<>(vpnipByKey.values())).as("no address held twice").hasSize(50);
            plainKeys.forEach(k -> assertThat(vpnipByKey.get(k)).startsWith("10.99."));
            factoryKeys.forEach(k -> assertThat(vpnipByKey.get(k)).startsWith("10.77.0."));
            // The boxes applied what they were given.
            for (Box box : factory.boxes()) {
                assertThat(sandboxAddress(box)).startsWith(vpnipByKey.get(box.publicKey().toBase64()));
            }

            awaitTrue(() -> onlineCount(plainKeys) == 25 && onlineCount(factoryKeys) == 25, Duration.ofSeconds(15),
                    "all 50 boxes online in the API");

            // Five boxes say BYE: offline, with a 'bye' in their history; record and address stay.
            List<Box> leaving = plain.boxes().subList(0, 5);
            leaving.forEach(Box::stop);
            Set<String> leftKeys = leaving.stream().map(b -> b.publicKey().toBase64()).collect(Collectors.toSet());
            awaitTrue(() -> onlineCount(leftKeys) == 0, Duration.ofSeconds(10), "BYE makes boxes offline");
            JsonPath left = box(leftKeys.iterator().next());
            assertThat(left.getString("spnIp")).isEqualTo(vpnipByKey.get(leftKeys.iterator().next()));
            assertThat(historyKinds(left.getInt("id"))).contains("registered", "online", "bye");
        }
    }

    @Test
    void killedAgent_goesOfflineAfterSilence_withHistory() throws Exception {
        try (AgentProcess agent = AgentProcess.start(console.scratchDirectory("e2e-killed"), "killed-box",
                console.udpPort(), console.console.edgePublicKeyFile())) {
            String publicKey = agent.publicKey(Duration.ofSeconds(20));
            awaitTrue(() -> onlineCount(Set.of(publicKey)) == 1, REGISTER_TIMEOUT, "the agent comes online");

            agent.kill(); // no BYE
            awaitTrue(() -> onlineCount(Set.of(publicKey)) == 0, Duration.ofSeconds(15),
                    "silence makes the box offline");
            List<String> kinds = historyKinds(box(publicKey).getInt("id"));
            assertThat(kinds).contains("online", "offline").doesNotContain("bye");
        }
    }

    /**
     * An operator's rejection reaches a box in session within seconds, not only at its next re-key
     * (which its edge answers itself while nothing changed): the presence answer names the box, its
     * edge ends the session, and the box's next handshake goes to the functions and is refused.
     */
    @Test
    void rejectedBox_losesItsSessionWithinSeconds_andIsDenied_whileTheOthersStay() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(agents("rejected", "default"), 2)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            Box rejected = fleet.boxes().get(0);
            Box kept = fleet.boxes().get(1);
            int id = box(rejected.publicKey().toBase64()).getInt("id");
            console.api().post("/api/v1/boxes/" + id + "/reject").then().statusCode(200);
            awaitTrue(() -> rejected.state() == BoxState.DENIED, Duration.ofSeconds(15),
                    "the rejected box is refused at its next handshake");
            assertThat(rejected.status().lastNok()).isPresent();
            assertThat(kept.state()).isEqualTo(BoxState.ESTABLISHED);
        }
    }

    @Test
    void edgeKilled_thenFunctionsKilled_loseNoBox_andBoxesHandshakeAgainWithinTenSeconds() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(agents("killed", "default"), 10)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            Set<String> keys = keys(fleet);
            awaitTrue(() -> onlineCount(keys) == 10, Duration.ofSeconds(15), "online before the kills");
            Map<String, String> addresses = new HashMap<>();
            keys.forEach(k -> addresses.put(k, box(k).getString("spnIp")));

            long registrationsBefore = fleet.boxes().stream().mapToLong(b -> b.status().registrations()).sum();
            console.console.killAndRestart("edge"); // kill -9: every session is gone with the process
            // Counted from the new edge being ready: boxes notice the silence (3 PINGs of 1 s) and register again.
            awaitTrue(() -> fleet.boxes().stream().mapToLong(b -> b.status().registrations()).sum()
                            >= registrationsBefore + 10, Duration.ofSeconds(10),
                    "every box registers again with the new edge process within 10 s");

            console.console.killAndRestart("functions");
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(10))).isTrue();
            awaitTrue(() -> onlineCount(keys) == 10, Duration.ofSeconds(20), "all online after both kills");
            keys.forEach(k -> assertThat(box(k).getString("spnIp")).as("address kept").isEqualTo(addresses.get(k)));
        }
    }

    @Test
    void edgeRestart_thenFunctionsRestart_loseNoBox() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(agents("restart", "default"), 10)) {
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            Set<String> keys = keys(fleet);
            awaitTrue(() -> onlineCount(keys) == 10, Duration.ofSeconds(15), "online before the restarts");
            Map<String, String> addresses = new HashMap<>();
            keys.forEach(k -> addresses.put(k, box(k).getString("spnIp")));

            long registrationsBefore = fleet.boxes().stream().mapToLong(b -> b.status().registrations()).sum();
            console.console.restart("edge");
            awaitTrue(() -> fleet.boxes().stream().mapToLong(b -> b.status().registrations()).sum()
                            >= registrationsBefore + 10, Duration.ofSeconds(30),
                    "every box registers again with the new edge process");
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(10))).isTrue();

            console.console.restart("functions");
            assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(10))).isTrue();
            awaitTrue(() -> onlineCount(keys) == 10, Duration.ofSeconds(20), "all online after both restarts");
            keys.forEach(k -> assertThat(box(k).getString("spnIp")).as("address kept").isEqualTo(addresses.get(k)));
        }
    }

    @Test
    void replayedHelloFromAnotherAddress_registersNothing() throws Exception {
        KeyPair victim = KeyPair.generate(new SecureRandom());
        Key edgeKey = Key.fromBase64(Files.readString(console.console.edgePublicKeyFile()).trim());
        byte[] hello = new Initiator(victim, edgeKey).initiate(new Hello(new BoxInfo("default", "victim",
                MacAddress.parse("02:00:00:00:00:99"), (Inet4Address) InetAddress.getByName("0.0.0.0"), 0, 51820,
                51820, "", "1.0.0", ""))).datagram();
        try (DatagramSocket genuine = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(genuine, hello);
            assertThat(receive(genuine, 10_000)).as("the genuine box is answered").isNotNull();
            String victimKey = victim.publicKey().toBase64();
            awaitTrue(() -> box(victimKey) != null, Duration.ofSeconds(5), "the victim is registered");
            int victimPort = box(victimKey).getInt("realPort");

            send(attacker, hello); // the same bytes, sniffed and sent again from elsewhere
            assertThat(receive(attacker, 2_000)).as("a replayed HELLO is not answered").isNull();
            assertThat(box(victimKey).getInt("realPort")).as("the registry still has the genuine box")
                    .isEqualTo(victimPort);
        }
    }

    @Test
    void tokenOnlyDeployment_refusesABoxWithoutToken_andAdmitsOneWithToken() throws Exception {
        console.api().body(Map.of("policy", "token", "manualApproval", false))
                .put("/api/v1/admission-settings").then().statusCode(200);
        try {
            try (SimulatedFleet without = SimulatedFleet.start(agents("no-token", "default"), 1)) {
                awaitTrue(() -> without.boxes().get(0).status().initiations() >= 1
                                && without.boxes().get(0).state() != BoxState.ESTABLISHED
                                && without.boxes().get(0).state() != BoxState.HANDSHAKING,
                        Duration.ofSeconds(20), "the box without a token is answered");
                assertThat(without.boxes().get(0).state()).isNotEqualTo(BoxState.ESTABLISHED);
                assertThat(box(without.boxes().get(0).publicKey().toBase64())).as("nothing registered").isNull();
            }
            String token = console.api().body(Map.of("description", "e2e", "uses", 1))
                    .post("/api/v1/enrolment-tokens").then().statusCode(201).extract().path("token");
            try (SimulatedFleet with = SimulatedFleet.start(agents("with-token", "default")
                    .with(Option.ENROLMENT_TOKEN, token), 1)) {
                assertThat(with.awaitAll(BoxState.ESTABLISHED, REGISTER_TIMEOUT)).isTrue();
            }
        } finally {
            console.api().delete("/api/v1/admission-settings").then().statusCode(200);
        }
    }

    // --- helpers ---

    private static Set<String> keys(SimulatedFleet fleet) {
        return fleet.boxes().stream().map(b -> b.publicKey().toBase64()).collect(Collectors.toSet());
    }

    private static String sandboxAddress(Box box) throws IOException {
        return Files.readString(box.sandboxDirectory().resolve(SandboxBackend.SPN_ADDRESS), StandardCharsets.UTF_8).trim();
    }

    /** The box as the API shows it, found by its public key; null when unknown. */
    private static JsonPath box(String publicKey) {
        try {
            JsonPath page = console.api().queryParam("q", publicKey).get("/api/v1/boxes")
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            for (int i = 0; i < items.size(); i++) {
                if (publicKey.equals(items.get(i).get("publicKey"))) {
                    return new JsonPath(console.api().get("/api/v1/boxes/" + items.get(i).get("id")).asString());
                }
            }
            return null;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long onlineCount(Set<String> keys) {
        try {
            List<Map<String, Object>> items = console.api().queryParam("size", 500).queryParam("online", true)
                    .get("/api/v1/boxes").then().statusCode(200).extract().jsonPath().getList("items");
            return items.stream().filter(i -> keys.contains(i.get("publicKey"))).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> historyKinds(int boxId) throws IOException {
        return console.api().queryParam("size", 200).get("/api/v1/boxes/" + boxId + "/history")
                .then().statusCode(200).extract().jsonPath().getList("items.kind");
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

    private static void send(DatagramSocket socket, byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), console.udpPort()));
    }

    private static byte[] receive(DatagramSocket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buffer = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return java.util.Arrays.copyOf(buffer, packet.getLength());
        } catch (SocketTimeoutException none) {
            return null;
        }
    }
}
