package io.starconsole.e2e;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.starconsole.launcher.LaunchOptions;
import io.starconsole.launcher.StarConsole;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

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

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        console.stop();
    }

    /** For code that wants a stream it may ignore. */
    static PrintStream nowhere() {
        return new PrintStream(OutputStream.nullOutputStream());
    }
}
