package io.starconsole.e2e.viewer;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.starconsole.launcher.LaunchOptions;
import io.starconsole.launcher.StarConsole;

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

    private ViewerConsole(StarConsole console) {
        this.console = console;
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
        return new ViewerConsole(console);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
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
    }
}
