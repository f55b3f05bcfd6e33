package io.starconsole.e2e;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.launcher.LaunchOptions;
import io.starconsole.launcher.StarConsole;
import io.starconsole.localcloud.TemporaryFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The whole console for a test class, as {@code ./star-console up} runs it (local cloud, functions
 * and edge as their own processes) on free ports and a fresh data directory.
 */
final class RunningConsole implements AutoCloseable {

    static final Path HOME = Path.of("").toAbsolutePath().getParent();

    final StarConsole console;
    final Path data;
    private String token;

    private RunningConsole(StarConsole console, Path data) {
        this.console = console;
        this.data = data;
    }

    /** Starts a console; {@code functionsSettings} are extra environment variables for the functions. */
    static RunningConsole start(Map<String, String> functionsSettings) throws Exception {
        Path data = Files.createTempDirectory("star-console-e2e");
        StarConsole.Ports ports = new StarConsole.Ports(freePort(), freePort(), freePort(), freePort(), freePort());
        Path log = data.resolve("console.log");
        PrintStream out = new PrintStream(Files.newOutputStream(log), true);
        StarConsole console = new StarConsole(new LaunchOptions(HOME, data, 0), ports, out, functionsSettings);
        try {
            console.start();
        } catch (Exception e) {
            console.stop();
            throw new AssertionError("the console did not start; see " + log, e);
        }
        return new RunningConsole(console, data);
    }

    /**
     * A new directory for a test's files (agents' state, firmware images, logs) inside this console's
     * data directory: {@link #close} deletes it with the console's data, keeping only {@code *.log} files.
     */
    Path scratchDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(data.resolve("scratch")), prefix);
    }

    String apiBase() {
        return "http://127.0.0.1:" + console.ports().http();
    }

    int udpPort() {
        return console.ports().udp();
    }

    /** A request as the first admin. */
    RequestSpecification api() throws IOException {
        if (token == null) {
            token = RestAssured.given().baseUri(apiBase()).contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", console.adminPassword()))
                    .post("/api/v1/auth/login").then().statusCode(200).extract().path("token");
        }
        return RestAssured.given().baseUri(apiBase()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** Agents for this console's edge (or a proxy's {@code edgePort}), with a fresh state directory. */
    AgentConfig agents(String name, String group, int edgePort, Duration pingInterval) throws IOException {
        return AgentConfig.defaults()
                .with(Option.EDGE, "127.0.0.1:" + edgePort)
                .with(Option.EDGE_PUBLIC_KEY_FILE, console.edgePublicKeyFile().toString())
                .with(Option.STATE_DIRECTORY, scratchDirectory("e2e-" + name).toString())
                .with(Option.GROUP, group)
                .with(Option.ID, name)
                .with(Option.PING_INTERVAL, pingInterval.toString());
    }

    /** Enqueues a command (the API's request body); its id. */
    long enqueue(Map<String, Object> command) throws IOException {
        return api().body(command).post("/api/v1/commands").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** The registry's id of the box with this public key, once it is registered. */
    int boxId(String publicKey) throws Exception {
        Integer[] id = new Integer[1];
        awaitTrue(() -> {
            try {
                List<Map<String, Object>> items = api().queryParam("q", publicKey).get("/api/v1/boxes")
                        .then().statusCode(200).extract().jsonPath().getList("items");
                id[0] = items.stream().filter(i -> publicKey.equals(i.get("publicKey")))
                        .map(i -> (Integer) i.get("id")).findFirst().orElse(null);
                return id[0] != null;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }, Duration.ofSeconds(15), "the box is in the registry");
        return id[0];
    }

    /** One value from the edge's Prometheus metrics ({@code name} with no labels); -1 if absent. */
    double edgeMetric(String name) {
        String metrics = RestAssured.given().baseUri("http://127.0.0.1:" + console.ports().edgeHttp())
                .get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        console.stop();
        try {
            TemporaryFiles.deleteAllButLogs(data);
        } catch (IOException e) {
            System.err.println("could not delete the console's data in " + data + ": " + e);
        }
    }

    /** For code that wants a stream it may ignore. */
    static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
