package io.starconsole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The console's REST API (/api/v1) over {@link HttpClient}: one {@link #call} for every request, a
 * bearer token once logged in, and one error shape: {@code {"error","code","field"}} becomes a
 * {@link CliException} (401: authentication, other statuses: failed; no connection: unreachable).
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private String token;

    ApiClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    String baseUrl() {
        return baseUrl;
    }

    void token(String token) {
        this.token = token;
    }

    boolean hasToken() {
        return token != null;
    }

    JsonNode get(String path) throws CliException {
        return call("GET", path, null);
    }

    JsonNode post(String path, JsonNode body) throws CliException {
        return call("POST", path, body);
    }

    /** {@code path?name=value&...}, leaving out empty values. */
    static String query(String path, Map<String, String> parameters) {
        StringJoiner query = new StringJoiner("&", path + "?", "").setEmptyValue(path);
        parameters.forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }

    JsonNode call(String method, String path, JsonNode body) throws CliException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach the console at " + baseUrl + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
        JsonNode json = parse(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return json;
        }
        throw new CliException(status == 401 ? CliException.AUTHENTICATION : CliException.FAILED, describeError(status, json));
    }

    /** {@code HTTP 400: arguments is not ... (code INVALID_ARGUMENT, field arguments)}. */
    static String describeError(int status, JsonNode json) {
        StringBuilder text = new StringBuilder("HTTP ").append(status);
        if (json.hasNonNull("error")) {
            text.append(": ").append(json.get("error").asText());
        }
        StringJoiner details = new StringJoiner(", ", " (", ")").setEmptyValue("");
        if (json.hasNonNull("code")) {
            details.add("code " + json.get("code").asText());
        }
        if (json.hasNonNull("field")) {
            details.add("field " + json.get("field").asText());
        }
        return text.append(details).toString();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            ObjectNode text = JSON.createObjectNode();
            text.put("error", body.strip());
            return text;
        }
    }
}
