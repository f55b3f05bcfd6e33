package io.starconsole.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command, as a newcomer runs it: the launcher in its own JVM, on free ports,
 * brings up the local cloud, the functions, the edge and the viewer; SIGTERM stops it all within
 * 30 s (plus the time the launcher allows the functions to write their class data as they exit);
 * the next start finds the data of the last.
 */
class StarConsoleUpTest {

    private static final Path HOME = Path.of("").toAbsolutePath().getParent();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Optional<JavaRuntime> RUNTIME = JavaRuntime.of(ProcessHandle.current().info().command().orElse("java"));
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30).plus(RUNTIME
            .map(runtime -> runtime.feature() >= JvmOptions.FIRST_AOT_CACHE_RELEASE ? JvmOptions.AOT_CACHE_WRITING
                    : runtime.defaultClassArchive() ? JvmOptions.CLASS_ARCHIVE_WRITING : Duration.ZERO)
            .orElse(Duration.ZERO));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void up_servesEverything_stopsCleanly_andKeepsDataAcrossRestarts(@TempDir Path data) throws Exception {
        Map<String, String> ports = Map.of(
                "STAR_CONSOLE_HTTP_PORT", String.valueOf(freePort()),
                "STAR_CONSOLE_EDGE_HTTP_PORT", String.valueOf(freePort()),
                "STAR_CONSOLE_UDP_PORT", String.valueOf(freePort()),
                "STAR_CONSOLE_PG_PORT", String.valueOf(freePort()),
                "STAR_CONSOLE_S3_PORT", String.valueOf(freePort()));
        String api = "http://127.0.0.1:" + ports.get("STAR_CONSOLE_HTTP_PORT");
        String jdbc = "jdbc:postgresql://127.0.0.1:" + ports.get("STAR_CONSOLE_PG_PORT") + "/swalker_db";

        Console first = Console.start(data, ports, "--boxes", "3");
        try {
            String ready = get(api + "/q/health/ready");
            assertThat(ready).contains("\"status\": \"UP\"").contains("object store")
                    .contains("\"name\": \"database\"");
            assertThat(get("http://127.0.0.1:" + ports.get("STAR_CONSOLE_EDGE_HTTP_PORT") + "/q/health/ready"))
                    .contains("udp socket").contains("\"status\": \"UP\"");
            assertThat(get(api + "/")).contains("<title>Star Console</title>");
            assertThat(first.output()).anyMatch(line -> line.contains("admin login     admin / "));

            try (Connection c = DriverManager.getConnection(jdbc, "spnbox", "spnbox");
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO spnclients (realip, vpnip, publickey, edport, mac_addr, created_date)"
                        + " VALUES ('198.51.100.7', '10.99.0.77', 'launcher-test-key', 31820,"
                        + " '02:00:00:00:00:01', current_date)");
            }
            String token = token(api, Files.readString(data.resolve("admin-password")).trim());
            assertThat(token).isNotNull();
            // --boxes 3: three simulated boxes register through the edge and show as online.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String boxes = "";
            while (System.nanoTime() < deadline && !boxes.contains("\"total\":3")) {
                Thread.sleep(500);
                boxes = getWithToken(api + "/api/v1/boxes?online=true&q=sim-", token);
            }
            assertThat(boxes).contains("\"total\":3").contains("\"idString\":\"sim-1\"");
        } finally {
            first.stop(STOP_LIMIT);
        }
        first.assertStoppedCleanly();
        assertFunctionsClassArchiveKept();

        Console second = Console.start(data, ports);
        try {
            try (Connection c = DriverManager.getConnection(jdbc, "spnbox", "spnbox");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT vpnip FROM spnclients WHERE publickey = 'launcher-test-key'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("10.99.0.77");
            }
            assertThat(login(api, Files.readString(data.resolve("admin-password")).trim())).isEqualTo(200);
        } finally {
            second.stop(STOP_LIMIT);
        }
        second.assertStoppedCleanly();
    }

    /**
     * On JDK 17–24: after a clean stop the functions' class archive is there, newer than their jar
     * (recorded by this start's functions as they stopped, or by an earlier start of this build),
     * and nothing they wrote under a recording's name is left.
     */
    private static void assertFunctionsClassArchiveKept() throws IOException {
        if (RUNTIME.isEmpty() || RUNTIME.get().feature() >= JvmOptions.FIRST_AOT_CACHE_RELEASE
                || !RUNTIME.get().defaultClassArchive()) {
            return;
        }
        Path application = HOME.resolve("functions/target/quarkus-app");
        Path archive = application.resolve(JvmOptions.functionsClassArchive(RUNTIME.get(), List.of()));
        assertThat(archive).isRegularFile();
        assertThat(Files.getLastModifiedTime(archive))
                .isGreaterThanOrEqualTo(Files.getLastModifiedTime(application.resolve("quarkus-run.jar")));
        try (var files = Files.list(application)) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(".part"));
        }
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url).isEqualTo(200);
        return response.body();
    }

    private String token(String api, String password) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        int start = body.indexOf("\"token\":\"");
        return start < 0 ? null : body.substring(start + 9, body.indexOf('"', start + 9));
    }

    private String getWithToken(String url, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private int login(String api, String password) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * The launcher in its own JVM, as {@code ./star-console up} runs it. Its output goes to a file:
     * lines written by a shutdown hook can be lost from a pipe once the JDK sees the process exit.
     */
    private record Console(Process process, Path log, boolean[] exitedInTime) {

        static Console start(Path data, Map<String, String> ports, String... options) throws Exception {
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = Files.createTempFile("star-console-up", ".log");
            List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    StarConsole.class.getName(), "up", "--home", HOME.toString(), "--data", data.toString()));
            command.addAll(List.of(options));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(ports);
            builder.environment().remove("STAR_CONSOLE_ADMIN_PASSWORD");
            Console console = new Console(builder.start(), log, new boolean[1]);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!console.output().contains("Star Console is up.")) {
                if (!console.process().isAlive() || System.nanoTime() > deadline) {
                    console.process().destroyForcibly();
                    throw new AssertionError("the console did not come up:\n" + String.join("\n", console.output()));
                }
                Thread.sleep(200);
            }
            return console;
        }

        List<String> output() throws IOException {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        }

        /** SIGTERM, as Ctrl-C or a service manager would send; SIGKILL if it overstays {@code limit}. */
        void stop(Duration limit) throws InterruptedException {
            process.destroy();
            exitedInTime[0] = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!exitedInTime[0]) {
                process.destroyForcibly().waitFor();
            }
        }

        void assertStoppedCleanly() throws IOException {
            assertThat(exitedInTime[0]).as("stopped within the limit").isTrue();
            assertThat(output()).contains("[launcher] stopped");
        }
    }
}
