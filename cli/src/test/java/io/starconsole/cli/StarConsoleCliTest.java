package io.starconsole.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a stand-in for the console's REST API that checks requests and answers canned JSON. */
class StarConsoleCliTest {

    static final String KEY = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    record Request(String method, String path, String body, String authorization) {
        JsonNode json() throws IOException {
            return ApiClient.JSON.readTree(body);
        }
    }

    record Answer(int status, String body) {
    }

    @TempDir
    Path home;
    HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        answer("POST /api/v1/auth/login", 200, "{\"token\":\"t-1\",\"expiresAt\":\"2025-01-01T20:00:00Z\",\"username\":\"admin\",\"role\":\"admin\"}");
        answer("POST /api/v1/commands", 201, created("queued", 1, 0, 0));
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().toString();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), path, body, exchange.getRequestHeaders().getFirst("Authorization")));
        String route = exchange.getRequestMethod() + " " + path.split("\\?")[0];
        Deque<Answer> queue = answers.get(route);
        Answer answer = queue == null || queue.isEmpty() ? new Answer(404, "{\"error\":\"no route " + route + "\",\"code\":\"NOT_FOUND\"}")
                : queue.size() > 1 ? queue.poll() : queue.peek();
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Answers {@code route} with these, in order; the last one repeats. */
    void answer(String route, int status, String... bodies) {
        Deque<Answer> queue = new ArrayDeque<>();
        for (String body : bodies) {
            queue.add(new Answer(status, body));
        }
        answers.put(route, queue);
    }

    static String created(String state, int queued, int succeeded, int failed) {
        return "{\"id\":17,\"type\":\"REBOOT_SPNBOX\",\"typeCode\":102,\"target\":{\"kind\":\"box\",\"value\":\"10.7.0.2\"},"
                + "\"arguments\":\"now\",\"priority\":\"normal\",\"state\":\"" + state + "\",\"createdBy\":\"admin\","
                + "\"createdAt\":\"2025-01-01T12:00:00Z\",\"counts\":{\"total\":1,\"queued\":" + queued + ",\"delivered\":0,"
                + "\"succeeded\":" + succeeded + ",\"failed\":" + failed + ",\"expired\":0,\"cancelled\":0,\"superseded\":0,\"rolledBack\":0}}";
    }

    int run(String stdin, boolean terminal, String... args) {
        return runAt("http://127.0.0.1:" + server.getAddress().getPort(), stdin, terminal, args);
    }

    int runAt(String url, String stdin, boolean terminal, String... args) {
        Map<String, String> env = Map.of("STAR_CONSOLE_URL", url, "STAR_CONSOLE_PASSWORD", "secret");
        StarConsoleCli cli = new StarConsoleCli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), env, home,
                terminal, prompt -> Optional.empty(), Clock.fixed(NOW, ZoneOffset.UTC));
        return cli.run(args);
    }

    int run(String... args) {
        return run("", false, args);
    }

    List<Request> posts(String path) {
        return requests.stream().filter(r -> r.method().equals("POST") && r.path().equals(path)).toList();
    }

    @Test
    void oneShot_eachOfThe12Commands_postsTheSeedForm() throws Exception {
        String peer = KEY + "|allowed-ips|10.1.2.1/32|endpoint|121.162.94.203:59760|persistent-keepalive|25";
        String p2p = "groupname|test1|vip|172.16.1.1|lport|12345|ekey|" + KEY + "|server|13.125.60.224:49918";
        String[][] cases = {
            {"change-spnbox-name", "CHANGE_SPNBOX_NAME", "gateway-7"},
            {"change-admin-password", "CHANGE_ADMIN_PASSWORD", "n3w-Passw0rd"},
            {"reboot-spnbox", "REBOOT_SPNBOX", "now"},
            {"goto-factory-default-state", "GOTO_FACTORY_DEFAULT_STATE", "now"},
            {"change-l3-spn-ip-address", "CHANGE_L3_SPN_IP_ADDRESS", "10.1.2.1|255.255.255.0"},
            {"change-l3-spn-listen-port", "CHANGE_L3_SPN_LISTEN_PORT", "51999"},
            {"add-l3-spn-tunnel", "ADD_L3_SPN_TUNNEL", peer},
            {"remove-l3-spn-tunnel", "REMOVE_L3_SPN_TUNNEL", peer},
            {"regenerate-l3-spn-key", "REGENERATE_L3_SPN_KEY", "now"},
            {"add-p2p-spn-tunnel", "ADD_P2P_SPN_TUNNEL", p2p},
            {"remove-p2p-spn-tunnel", "REMOVE_P2P_SPN_TUNNEL", p2p},
            {"flush-user-cmds", "FLUSH_USER_CMDS", "now"},
        };
        for (String[] c : cases) {
            assertThat(run(c[0], "10.7.0.2", c[2])).as(c[0] + ": " + err).isZero();
            JsonNode body = posts("/api/v1/commands").get(posts("/api/v1/commands").size() - 1).json();
            assertThat(body.path("type").asText()).isEqualTo(c[1]);
            assertThat(body.path("target").toString()).isEqualTo("{\"box\":\"10.7.0.2\"}");
            assertThat(body.path("arguments").asText()).isEqualTo(c[2]);
            assertThat(body.path("priority").asText()).isEqualTo("normal");
            assertThat(body.has("expiresAt")).isFalse();
        }
        assertThat(posts("/api/v1/commands")).hasSize(12).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer t-1"));
        assertThat(posts("/api/v1/auth/login")).hasSize(1); // the cached token serves the other eleven runs
        assertThat(out.toString()).contains("command 17 REBOOT_SPNBOX -> 10.7.0.2: queued (1 delivery: 1 queued)");
    }

    @Test
    void oneShot_targetsPriorityAndExpiry() throws Exception {
        assertThat(run("--high", "reboot-spnbox", "0.0.0.0", "now", "--expires-in", "30m")).isZero();
        JsonNode all = posts("/api/v1/commands").get(0).json();
        assertThat(all.path("target").toString()).isEqualTo("{\"all\":true}");
        assertThat(all.path("priority").asText()).isEqualTo("high");
        assertThat(all.path("expiresAt").asText()).isEqualTo("2025-01-01T12:30:00Z");
        assertThat(run("flush-user-cmds", "group:lab", "now")).isZero();
        assertThat(posts("/api/v1/commands").get(1).json().path("target").toString()).isEqualTo("{\"group\":\"lab\"}");
    }

    @Test
    void wait_pollsUntilDone_exitsZero() throws Exception {
        answer("GET /api/v1/commands/17", 200, created("delivered", 1, 0, 0), created("succeeded", 0, 1, 0));
        answer("GET /api/v1/commands/17/deliveries", 200, "{\"items\":[{\"id\":1,\"boxId\":5,\"publicKey\":\"" + KEY
                + "\",\"spnIp\":\"10.7.0.2\",\"idString\":\"box-1\",\"state\":\"succeeded\",\"attempts\":1,\"result\":\"rebooting\"}],"
                + "\"total\":1,\"page\":0,\"size\":500}");
        assertThat(run("--poll-interval", "10ms", "reboot-spnbox", "10.7.0.2", "now", "--wait")).isZero();
        assertThat(requests.stream().filter(r -> r.path().equals("/api/v1/commands/17"))).hasSize(2);
        assertThat(out.toString()).contains("10.7.0.2  box-1  succeeded  1         rebooting");
    }

    @Test
    void wait_deliveryFailed_exitsOne() {
        answer("GET /api/v1/commands/17", 200, created("failed", 0, 0, 1));
        answer("GET /api/v1/commands/17/deliveries", 200, "{\"items\":[{\"spnIp\":\"10.7.0.2\",\"idString\":\"box-1\","
                + "\"state\":\"rolled_back\",\"attempts\":1,\"result\":\"rolled back: no registration answer within 30000 ms\"}],\"total\":1}");
        assertThat(run("--poll-interval", "10ms", "change-l3-spn-ip-address", "10.7.0.2", "10.7.0.9|255.255.255.0", "--wait")).isEqualTo(1);
        assertThat(out.toString()).contains("rolled back: no registration answer");
    }

    @Test
    void badArguments_exitTwo_beforeAnyHttpCall() {
        assertThat(run("reboot-spnbox", "10.7.0.2", "later")).isEqualTo(2);
        assertThat(run("change-l3-spn-ip-address", "10.7.0.2", "10.1.2.1|255.0.255.0")).isEqualTo(2);
        assertThat(run("change-l3-spn-listen-port", "10.7.0.2", "70000")).isEqualTo(2);
        assertThat(run("add-l3-spn-tunnel", "10.7.0.2", "not-a-key|allowed-ips|10.1.2.1/32")).isEqualTo(2);
        assertThat(run("add-p2p-spn-tunnel", "10.7.0.2", "groupname|g|vip|172.16.1.1")).isEqualTo(2);
        assertThat(run("reboot-spnbox", "box-7", "now")).isEqualTo(2);
        assertThat(run("reboot-spnbox", "10.7.0.2")).isEqualTo(2);
        assertThat(run("reboot-spnbox", "10.7.0.2", "now", "--expires-in", "soon")).isEqualTo(2);
        assertThat(run("make-coffee", "10.7.0.2", "now")).isEqualTo(2);
        assertThat(run("--password", "x", "boxes")).isEqualTo(2);
        assertThat(requests).isEmpty();
        assertThat(err.toString()).contains("usage: change-l3-spn-listen-port <spn-ip> <port>");
    }

    @Test
    void loginRefused_exitsThree() {
        answer("POST /api/v1/auth/login", 401, "{\"error\":\"wrong user name or password\",\"code\":\"UNAUTHORIZED\"}");
        assertThat(run("boxes")).isEqualTo(3);
        assertThat(err.toString()).contains("login failed: HTTP 401: wrong user name or password (code UNAUTHORIZED)");
    }

    @Test
    void apiError_exitsOne_andShowsErrorCodeAndField() {
        answer("POST /api/v1/commands", 400, "{\"error\":\"no box with SPN IP 10.7.0.99\",\"code\":\"UNKNOWN_TARGET\",\"field\":\"target\"}");
        assertThat(run("reboot-spnbox", "10.7.0.99", "now")).isEqualTo(1);
        assertThat(err.toString()).contains("error: HTTP 400: no box with SPN IP 10.7.0.99 (code UNKNOWN_TARGET, field target)");
    }

    @Test
    void consoleUnreachable_exitsFour() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        assertThat(runAt("http://127.0.0.1:" + port, "", false, "boxes")).isEqualTo(4);
        assertThat(err.toString()).contains("cannot reach the console at http://127.0.0.1:" + port);
    }

    @Test
    void tokenCache_isOwnerOnly_andExpiredTokenIsNotReused() throws Exception {
        answer("GET /api/v1/boxes", 200, "{\"items\":[{\"id\":5,\"publicKey\":\"" + KEY + "\",\"idString\":\"box-1\",\"group\":\"lab\","
                + "\"spnIp\":\"10.7.0.2\",\"realIp\":\"192.0.2.7\",\"online\":true,\"lastSeen\":\"2025-01-01T11:59:58Z\","
                + "\"firmwareVersion\":\"0.1.0\"}],\"total\":1,\"page\":0,\"size\":500}");
        assertThat(run("boxes", "--group", "lab", "--online")).isZero();
        Path cache = home.resolve(".star-console/cli-token");
        assertThat(Files.getPosixFilePermissions(cache)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(requests.get(1).path()).isEqualTo("/api/v1/boxes?group=lab&online=true&size=500");
        assertThat(out.toString()).contains("10.7.0.2  online  lab    box-1");
        answer("POST /api/v1/auth/login", 200, "{\"token\":\"t-2\",\"expiresAt\":\"2025-01-01T12:00:30Z\",\"username\":\"admin\",\"role\":\"admin\"}");
        Files.writeString(cache, Files.readString(cache).replace("2025-01-01T20:00:00Z", "2025-01-01T12:00:30Z"));
        assertThat(run("boxes")).isZero();
        assertThat(posts("/api/v1/auth/login")).hasSize(2);
    }

    @Test
    void interactive_helpCommandQuit_logsInOnce() {
        answer("GET /api/v1/commands", 200, "{\"items\":[],\"total\":0,\"page\":0,\"size\":50}");
        String input = "?\nreboot-spnbox 10.7.0.2 now\nreboot-spnbox 10.7.0.2 soon\ncommands --state queued\nquit\nboxes\n";
        assertThat(run(input, false, "--interactive")).isZero();
        String printed = out.toString();
        assertThat(printed).contains(StarConsoleCli.PROMPT).contains("reboot-spnbox <spn-ip> now").contains("command 17 REBOOT_SPNBOX")
                .contains("0 command(s)");
        assertThat(err.toString()).contains("expected 'now', got 'soon'");
        assertThat(posts("/api/v1/auth/login")).hasSize(1);
        assertThat(requests.stream().map(Request::path)).containsExactly("/api/v1/auth/login", "/api/v1/commands",
                "/api/v1/commands?state=queued"); // nothing after quit
        assertThat(home.resolve(".star-console/cli-token")).doesNotExist(); // interactive: token in memory only
    }
}
