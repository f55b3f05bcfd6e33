package io.starconsole.bench;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The benches' HTTP/1.1 client: kept-alive connections on one Vert.x event loop. It shares the two
 * cores with the console it measures, and the JDK's client spent about 1.4 ms of CPU a call
 * (its selector and worker threads, and its C2 compiling through the measured window): 60% of a
 * core at the queue bench's 433 calls a second.
 */
final class Http implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 120;

    private final Vertx vertx;
    private final Context context;
    private final HttpClient client;

    private Http(int connections) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(connections));
        context = vertx.getOrCreateContext();
    }

    /** A client that keeps up to {@code connections} connections open to each server. */
    static Http open(int connections) {
        return new Http(connections);
    }

    /** The answer's status and body; a failure to connect, send or read fails the future. */
    CompletableFuture<Api.Result> send(HttpMethod method, String absoluteUri, String authorization, byte[] json) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(absoluteUri)
                .setTimeout(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        if (json != null) {
            options.putHeader("Content-Type", "application/json");
        }
        CompletableFuture<Api.Result> answer = new CompletableFuture<>();
        // The whole exchange on the event loop: called from another thread, the response could come
        // in before the body's handler was set, and its bytes were dropped (a 200 with
        // content-length 116 read as an empty body, 230 times in 16,000 queue cycles).
        context.runOnContext(v -> client.request(options)
                .compose(request -> json == null ? request.send() : request.send(Buffer.buffer(json)))
                .compose(response -> response.body()
                        .map(body -> new Api.Result(response.statusCode(), body.toString(StandardCharsets.UTF_8))))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        answer.complete(done.result());
                    } else {
                        answer.completeExceptionally(done.cause());
                    }
                }));
        return answer;
    }

    /** As {@link #send}, waiting for the answer. */
    Api.Result exchange(HttpMethod method, String absoluteUri, String authorization, byte[] json)
            throws IOException, InterruptedException {
        try {
            return send(method, absoluteUri, authorization, json).get(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(method + " " + absoluteUri + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException(method + " " + absoluteUri + ": no answer in " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }
}
