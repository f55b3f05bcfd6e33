package io.starconsole.otabucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** The two calls the publisher makes to the functions: login, and POST /api/v1/releases. */
final class FunctionsClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private String token;

    FunctionsClient(URI base) {
        this.base = base;
    }

    /** A failed call: the HTTP status and the server's error body (never the password or key). */
    static final class CallFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        CallFailedException(String message) {
            super(message);
        }
    }

    void login(String user, char[] password) throws IOException, InterruptedException {
        JsonNode body = call("/api/v1/auth/login",
                JSON.writeValueAsString(Map.of("username", user, "password", new String(password))), 200);
        token = body.path("token").asText(null);
        if (token == null) {
            throw new CallFailedException("login answered without a token");
        }
    }

    JsonNode publishRelease(byte[] canonicalManifest, byte[] releaseKey) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of(
                "manifest", Base64.getEncoder().encodeToString(canonicalManifest),
                "releaseKey", Base64.getEncoder().encodeToString(releaseKey)));
        return call("/api/v1/releases", body, 201);
    }

    private JsonNode call(String path, String json, int expectedStatus) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new CallFailedException("POST " + path + " answered " + response.statusCode() + ": "
                    + abbreviate(response.body()));
        }
        return JSON.readTree(response.body());
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }
}
