package io.starconsole.edge.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.starconsole.edge.EdgeConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Calls to the functions' internal API. Every call has a timeout; calls that fail for a reason
 * that may pass (no connection, timeout, 5xx) are tried again with doubling backoff. The edge's
 * calls are all idempotent, so a repeat is harmless. A 4xx is not repeated. Each repeat is counted
 * in {@code edge_functions_retries_total{path, cause}}: a repeat after a timeout means the functions
 * may be doing the same work twice, so an operator should see it.
 */
@Singleton
public class FunctionsClient {

    private final HttpClient http;
    private final ObjectMapper json;
    private final EdgeConfig.Functions config;
    private final String authorization;
    private final MeterRegistry registry;
    /** One timer thread for retry back-off: CompletableFuture's own delayed executor starts a thread per task. */
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "functions-retry");
        thread.setDaemon(true);
        return thread;
    });

    public FunctionsClient(EdgeConfig config, ObjectMapper json, MeterRegistry registry) {
        this.config = config.functions();
        this.json = json;
        this.registry = registry;
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout()).build();
        this.authorization = "Bearer " + this.config.secret().orElse("");
    }

    /** POSTs {@code body} to {@code /internal/v1/<path>}; completes with the decoded answer (null for 204). */
    public <T> CompletableFuture<T> post(String path, Object body, Class<T> answerType) {
        return post(path, body, answerType, config.timeout());
    }

    /** The same with its own timeout per attempt. */
    public <T> CompletableFuture<T> post(String path, Object body, Class<T> answerType, Duration timeout) {
        return send(path, body, answerType, timeout, config.attempts());
    }

    /**
     * One POST, not repeated, with its own timeout: for a long poll, whose caller asks again anyway
     * and whose answer may take {@code timeout} to come.
     */
    public <T> CompletableFuture<T> postOnce(String path, Object body, Class<T> answerType, Duration timeout) {
        return send(path, body, answerType, timeout, 1);
    }

    /**
     * As {@link #post(String, Object, Class)} with a body its caller already wrote as JSON: for a
     * large body written in steps on a background thread.
     */
    public <T> CompletableFuture<T> postJson(String path, byte[] body, Class<T> answerType) {
        return sendJson(path, body, answerType, config.timeout(), config.attempts());
    }

    private <T> CompletableFuture<T> send(String path, Object body, Class<T> answerType, Duration timeout, int attempts) {
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(body);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sendJson(path, payload, answerType, timeout, attempts);
    }

    private <T> CompletableFuture<T> sendJson(String path, byte[] payload, Class<T> answerType, Duration timeout,
                                              int attempts) {
        HttpRequest request = HttpRequest.newBuilder(endpoint(path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
                .build();
        return attempt(path, request, answerType, 1, attempts);
    }

    private URI endpoint(String path) {
        String base = config.url().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/internal/v1/" + path);
    }

    private <T> CompletableFuture<T> attempt(String path, HttpRequest request, Class<T> answerType, int attempt,
                                             int attempts) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> decode(response, answerType))
                .handle((answer, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(answer);
                    }
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (attempt >= attempts || !mayPass(cause)) {
                        return CompletableFuture.<T>failedFuture(cause);
                    }
                    countRetry(path, cause);
                    long delayMillis = config.backoff().toMillis() << (attempt - 1);
                    CompletableFuture<T> retry = new CompletableFuture<>();
                    retries.schedule(() -> attempt(path, request, answerType, attempt + 1, attempts).whenComplete((value, error) -> {
                        if (error != null) {
                            retry.completeExceptionally(error);
                        } else {
                            retry.complete(value);
                        }
                    }), delayMillis, TimeUnit.MILLISECONDS);
                    return retry;
                })
                .thenCompose(f -> f);
    }

    private <T> T decode(HttpResponse<byte[]> response, Class<T> answerType) {
        int status = response.statusCode();
        if (status >= 500) {
            throw new RelayException(status, true);
        }
        if (status >= 400) {
            throw new RelayException(status, false);
        }
        if (status == 204 || answerType == Void.class || response.body().length == 0) {
            return null;
        }
        try {
            return json.readValue(response.body(), answerType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void countRetry(String path, Throwable cause) {
        String kind = cause instanceof HttpTimeoutException ? "timeout"
                : cause instanceof RelayException ? "status_5xx" : "connection";
        Counter.builder("edge.functions.retries").tag("path", path).tag("cause", kind)
                .description("Calls to the functions repeated after a failure that may pass")
                .register(registry).increment();
    }

    private static boolean mayPass(Throwable cause) {
        return cause instanceof IOException || cause instanceof RelayException r && r.mayPass();
    }

    /** The functions answered with an error status. */
    public static final class RelayException extends RuntimeException {
        private final int status;
        private final boolean mayPass;

        RelayException(int status, boolean mayPass) {
            super("functions answered HTTP " + status, null, false, false);
            this.status = status;
            this.mayPass = mayPass;
        }

        public int status() {
            return status;
        }

        boolean mayPass() {
            return mayPass;
        }
    }
}
