package io.starconsole.e2e;

import io.starconsole.agent.Box;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.simulation.SimulatedFleet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two edges against the same functions, sharing one key pair, with a load balancer in front that
 * moves the boxes from one to the other: the boxes re-handshake with the second edge and go on,
 * keeping their addresses; the registry shows which edge has each.
 */
class TwoEdgesEndToEndTest {

    @Test
    void boxesMovedToASecondEdge_reHandshakeAndStayOnline() throws Exception {
        try (RunningConsole console = RunningConsole.start(Map.of());
             UdpFaultProxy balancer = new UdpFaultProxy(console.udpPort())) {
            int secondUdp = RunningConsole.freePort();
            int secondHttp = RunningConsole.freePort();
            Process second = startSecondEdge(console, secondUdp, secondHttp);
            try {
                awaitTrue(() -> ready("http://127.0.0.1:" + secondHttp + "/q/health/ready"), Duration.ofSeconds(60),
                        "the second edge is ready");
                AgentConfig config = AgentConfig.defaults()
                        .with(Option.EDGE, "127.0.0.1:" + balancer.port())
                        .with(Option.EDGE_PUBLIC_KEY_FILE, console.console.edgePublicKeyFile().toString())
                        .with(Option.STATE_DIRECTORY, console.scratchDirectory("e2e-two-edges").toString())
                        .with(Option.GROUP, "two-edges").with(Option.ID, "moving")
                        .with(Option.PING_INTERVAL, "PT1S");
                try (SimulatedFleet fleet = SimulatedFleet.start(config, 10)) {
                    assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(60))).isTrue();
                    Map<String, String> addresses = new HashMap<>();
                    for (Box box : fleet.boxes()) {
                        awaitTrue(() -> boxView(console, box) != null, Duration.ofSeconds(10), "registered");
                        addresses.put(box.publicKey().toBase64(), (String) boxView(console, box).get("spnIp"));
                    }
                    String firstEdge = (String) boxView(console, fleet.boxes().get(0)).get("edgeId");

                    balancer.retarget(secondUdp);

                    awaitTrue(() -> fleet.boxes().stream().allMatch(b -> {
                        Map<String, Object> view = boxView(console, b);
                        return view != null && "edge-b".equals(view.get("edgeId")) && Boolean.TRUE.equals(view.get("online"));
                    }), Duration.ofSeconds(45), "every box registered through the second edge and is online");
                    assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(10))).isTrue();
                    assertThat(firstEdge).isNotEqualTo("edge-b");
                    for (Box box : fleet.boxes()) {
                        assertThat(boxView(console, box).get("spnIp")).as("address kept across edges")
                                .isEqualTo(addresses.get(box.publicKey().toBase64()));
                    }
                }
            } finally {
                second.destroy();
                second.waitFor(15, TimeUnit.SECONDS);
            }
        }
    }

    /** A second edge process: same functions, same edge key, its own ports and id. */
    private static Process startSecondEdge(RunningConsole console, int udp, int http) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = console.scratchDirectory("second-edge").resolve("edge.log");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar",
                RunningConsole.HOME.resolve("udp-edge/target/quarkus-app/quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(http));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("STAR_CONSOLE_EDGE_UDP_PORT", String.valueOf(udp));
        env.put("STAR_CONSOLE_EDGE_ID", "edge-b");
        env.put("STAR_CONSOLE_EDGE_FUNCTIONS_URL", console.apiBase());
        env.put("STAR_CONSOLE_EDGE_SECRET", Files.readString(console.data.resolve("edge-secret")).trim());
        env.put("STAR_CONSOLE_EDGE_PRIVATE_KEY", Files.readString(console.data.resolve("edge").resolve("edge.key")).trim());
        return builder.start();
    }

    private static boolean ready(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Map<String, Object> boxView(RunningConsole console, Box box) {
        try {
            String key = box.publicKey().toBase64();
            List<Map<String, Object>> items = console.api().queryParam("q", key).get("/api/v1/boxes")
                    .then().statusCode(200).extract().jsonPath().getList("items");
            return items.stream().filter(i -> key.equals(i.get("publicKey"))).findFirst().orElse(null);
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
            Thread.sleep(250);
        }
    }
}
