package io.starconsole.edge.jedi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for the functions' internal API, so the edge can be tested on its own: it records
 * every call and answers what the test scripts. (The end-to-end tests use the real functions.)
 */
public class FunctionsStandIn implements QuarkusTestResourceLifecycleManager {

    static final String SECRET = "edge-test-secret";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    /** Path -> JSON answer; missing means 204. */
    static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
    static volatile int failWithStatus;
    /** How long each answer takes (a slow database behind the functions). */
    static volatile long delayMillis;
    /** How long a lease batch's answer takes, on top of {@link #delayMillis} (other calls are not slowed). */
    static volatile long leaseDelayMillis;
    /** Command ids whose results a result batch answers with a per-entry error. */
    static final java.util.Set<Long> REFUSED_RESULTS = ConcurrentHashMap.newKeySet();
    /** Leases being answered now (each entry of a lease batch counts), and the most at once since the last reset. */
    static final java.util.concurrent.atomic.AtomicInteger LEASES_IN_FLIGHT = new java.util.concurrent.atomic.AtomicInteger();
    static final java.util.concurrent.atomic.AtomicInteger MOST_LEASES_AT_ONCE = new java.util.concurrent.atomic.AtomicInteger();

    private HttpServer server;

    record Call(String path, String authorization, JsonNode body) {
    }

    static void reset() {
        CALLS.clear();
        ANSWERS.clear();
        failWithStatus = 0;
        delayMillis = 0;
        leaseDelayMillis = 0;
        REFUSED_RESULTS.clear();
        MOST_LEASES_AT_ONCE.set(0);
    }

    static List<Call> calls(String path) {
        return CALLS.stream().filter(c -> c.path().equals(path)).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/internal/v1/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring("/internal/v1/".length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            JsonNode request = JSON.readTree(body);
            CALLS.add(new Call(path, authorization, request));
            for (JsonNode entry : batchEntries(path, request)) {
                CALLS.add(new Call(path.replace("-batch", ""), authorization, entry));
            }
            int leases = path.equals("commands/lease-batch") ? request.get("leases").size() : 0;
            if (leases > 0) {
                MOST_LEASES_AT_ONCE.accumulateAndGet(LEASES_IN_FLIGHT.addAndGet(leases), Math::max);
            }
            long delay = delayMillis + (leases > 0 ? leaseDelayMillis : 0);
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            LEASES_IN_FLIGHT.addAndGet(-leases);
            int status = failWithStatus;
            String answer = ANSWERS.containsKey(path) ? ANSWERS.get(path) : batchAnswer(path, request);
            if (status != 0) {
                exchange.sendResponseHeaders(status, -1);
            } else if (answer == null) {
                exchange.sendResponseHeaders(204, -1);
            } else {
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            exchange.close();
        });
        server.start();
        return Map.of("star-console.edge.functions.url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "star-console.edge.functions.secret", SECRET,
                "star-console.edge.functions.attempts", "2",
                "star-console.edge.functions.backoff", "PT0.05S");
    }

    /** The entries of a batched lease or result call, each as its single call's body. */
    private static List<JsonNode> batchEntries(String path, JsonNode request) {
        List<JsonNode> entries = new java.util.ArrayList<>();
        if (path.equals("commands/lease-batch")) {
            request.get("leases").forEach(entry -> entries.add(((com.fasterxml.jackson.databind.node.ObjectNode) entry.deepCopy())
                    .put("edgeId", request.get("edgeId").asText())));
        } else if (path.equals("commands/result-batch")) {
            request.get("results").forEach(entries::add);
        } else if (path.equals("register-batch")) {
            request.get("registrations").forEach(entries::add);
        }
        return entries;
    }

    /**
     * Unless scripted, a batch is answered entry by entry: each lease with the scripted single lease
     * answer, each result as recorded (or, with {@link #REFUSED_RESULTS}, refused).
     */
    private static String batchAnswer(String path, JsonNode request) throws IOException {
        com.fasterxml.jackson.databind.node.ArrayNode entries = JSON.createArrayNode();
        if (path.equals("commands/lease-batch") && ANSWERS.containsKey("commands/lease")) {
            JsonNode single = JSON.readTree(ANSWERS.get("commands/lease"));
            for (JsonNode entry : request.get("leases")) {
                entries.add(((com.fasterxml.jackson.databind.node.ObjectNode) single.deepCopy())
                        .put("publicKey", entry.get("publicKey").asText()).putNull("error"));
            }
            return JSON.writeValueAsString(JSON.createObjectNode().set("leases", entries));
        }
        if (path.equals("register-batch")) {
            // Each HELLO of a batch gets the scripted answer of one registration.
            List<String> results = new java.util.ArrayList<>();
            request.get("registrations").forEach(hello -> results.add(ANSWERS.getOrDefault("register", "null")));
            return "{\"results\":[" + String.join(",", results) + "]}";
        }
        if (path.equals("commands/result-batch")) {
            for (JsonNode entry : request.get("results")) {
                com.fasterxml.jackson.databind.node.ObjectNode answer = JSON.createObjectNode()
                        .put("publicKey", entry.get("publicKey").asText()).put("commandId", entry.get("commandId").asLong());
                if (REFUSED_RESULTS.contains(entry.get("commandId").asLong())) {
                    answer.putObject("error").put("status", 404).put("code", "not_found").put("message", "not found");
                } else {
                    answer.putNull("error");
                }
                entries.add(answer);
            }
            return JSON.writeValueAsString(JSON.createObjectNode().set("results", entries));
        }
        return null;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
