package io.starconsole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** JSON over HTTP to the functions: the public API with a bearer token, the internal API with the edge secret. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Http http;
    private final String base;
    private final String authorization;

    private Api(Http http, String base, String authorization) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
    }

    /** Logs in as {@code user} and returns the API as that user. */
    static Api login(Http http, String base, String user, String password) throws IOException, InterruptedException {
        Api anonymous = new Api(http, base, null);
        Result r = anonymous.post("/api/v1/auth/login", Map.of("username", user, "password", password));
        if (r.status() != 200) {
            throw new IllegalStateException("login: " + r.status() + " " + r.body());
        }
        return new Api(http, base, "Bearer " + r.json().get("token").asText());
    }

    /** The internal API as an edge. */
    static Api edge(Http http, String base, String secret) {
        return new Api(http, base, "Bearer " + secret);
    }

    record Result(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    Result post(String path, Object body) throws IOException, InterruptedException {
        return http.exchange(HttpMethod.POST, base + path, authorization, JSON.writeValueAsBytes(body));
    }

    CompletableFuture<Result> postAsync(String path, Object body) throws IOException {
        return http.send(HttpMethod.POST, base + path, authorization, JSON.writeValueAsBytes(body));
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        Result r = http.exchange(HttpMethod.GET, base + pathAndQuery, authorization, null);
        if (r.status() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + ": " + r.status() + " " + r.body());
        }
        return r.json();
    }

    /** A server timestamp (ISO-8601 with offset or Z) as nanoseconds since the epoch. */
    static long epochNanos(String timestamp) {
        Instant t;
        try {
            t = OffsetDateTime.parse(timestamp).toInstant();
        } catch (RuntimeException e) {
            t = Instant.parse(timestamp);
        }
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
