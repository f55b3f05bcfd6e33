package io.starconsole.e2e.viewer;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.starconsole.launcher.LaunchOptions;
import io.starconsole.launcher.StarConsole;
import io.starconsole.localcloud.TemporaryFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole console for a browser test class, through the launcher (local cloud, functions, edge as
 * their own processes) on free ports and a fresh data directory, with helpers for its API.
 */
final class ViewerConsole implements AutoCloseable {

    static final Path HOME = Path.of("").toAbsolutePath().getParent();

    final StarConsole console;
    private final Path data;

    private ViewerConsole(StarConsole console, Path data) {
        this.console = console;
        this.data = data;
    }

    /** Starts a console; {@code functionsSettings} are extra environment variables for the functions. */
    static ViewerConsole start(String name, Map<String, String> functionsSettings) throws Exception {
        Path data = Files.createTempDirectory(name);
        StarConsole.Ports ports = new StarConsole.Ports(freePort(), freePort(), freePort(), freePort(), freePort());
        PrintStream log = new PrintStream(Files.newOutputStream(data.resolve("console.log")), true);
        StarConsole console = new StarConsole(new LaunchOptions(HOME, data, 0), ports, log, functionsSettings);
        try {
            console.start();
        } catch (Exception e) {
            console.stop();
            throw new AssertionError("the console did not start; see " + data.resolve("console.log"), e);
        }
        return new ViewerConsole(console, data);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A new directory for a test's files (agents' state, firmware images, logs) inside this console's
     * data directory: {@link #close} deletes it with the console's data, keeping only {@code *.log} files.
     */
    Path scratchDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(Files.createDirectories(data.resolve("scratch")), prefix);
    }

    String base() {
        return "http://127.0.0.1:" + console.ports().http();
    }

    String login(String username, String password) {
        return RestAssured.given().baseUri(base()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/login").then().statusCode(200).extract().path("token");
    }

    RequestSpecification api(String token) {
        return RestAssured.given().baseUri(base()).auth().oauth2(token).contentType(ContentType.JSON);
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
}
