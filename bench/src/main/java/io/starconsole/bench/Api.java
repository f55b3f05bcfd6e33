package io.starconsole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** JSON over HTTP to the functions: the public API with a bearer token, the internal API with the edge secret. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final String authorization;

    private Api(HttpClient http, String base, String authorization) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
    }

    static HttpClient client(Executor executor) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (executor != null) {
            builder.executor(executor);
        }
        return builder.build();
    }

    /** Logs in as {@code user} and returns the API as that user. */
    static Api login(HttpClient http, String base, String user, String password) throws IOException, InterruptedException {
        Api anonymous = new Api(http, base, null);
        Result r = anonymous.post("/api/v1/auth/login", Map.of("username", user, "password", password));
        if (r.status() != 200) {
            throw new IllegalStateException("login: " + r.status() + " " + r.body());
        }
        return new Api(http, base, "Bearer " + r.json().get("token").asText());
    }

    /** The internal API as an edge. */
    static Api edge(HttpClient http, String base, String secret) {
        return new Api(http, base, "Bearer " + secret);
    }

    record Result(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    HttpRequest postRequest(String path, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    Result post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(postRequest(path, body), HttpResponse.BodyHandlers.ofString());
        return new Result(r.statusCode(), r.body());
    }

    CompletableFuture<Result> postAsync(String path, Object body) throws IOException {
        return http.sendAsync(postRequest(path, body), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Result(r.statusCode(), r.body()));
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + ": " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
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
