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
    /** Lease calls being answered now, and the most at once since the last reset. */
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
            String answer = ANSWERS.get(path);
            if (path.equals("register-batch")) {
                // Each HELLO of a batch counts as a registration, and gets the scripted answer of one.
                List<String> results = new java.util.ArrayList<>();
                for (JsonNode hello : request.get("registrations")) {
                    CALLS.add(new Call("register", authorization, hello));
                    results.add(ANSWERS.getOrDefault("register", "null"));
                }
                answer = "{\"results\":[" + String.join(",", results) + "]}";
            }
            boolean lease = path.equals("commands/lease");
            if (lease) {
                MOST_LEASES_AT_ONCE.accumulateAndGet(LEASES_IN_FLIGHT.incrementAndGet(), Math::max);
            }
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (lease) {
                LEASES_IN_FLIGHT.decrementAndGet();
            }
            int status = failWithStatus;
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

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
