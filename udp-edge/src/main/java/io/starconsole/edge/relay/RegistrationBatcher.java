package io.starconsole.edge.relay;

import io.starconsole.edge.EdgeConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Gathers the HELLOs that arrive within a few milliseconds into one {@code register-batch} call (at
 * most {@code batch-size} of them, the first waiting at most {@code batch-wait}) and hands each box
 * its own answer: under a storm of registrations the functions then commit many boxes at once
 * instead of one transaction, one connection and one WAL flush per box. A failed call fails every
 * HELLO of its batch (each box is told to try again). A registration call is made once, with its
 * own timeout ({@code registrations.timeout}): the box starts a new handshake after 5 s anyway, and
 * repeating a call that timed out while the functions still work on it only adds to their load.
 */
@ApplicationScoped
public class RegistrationBatcher {

    /** The functions' limit of HELLOs per call. */
    public static final int MAX_BATCH_SIZE = 500;

    private final FunctionsClient functions;
    private final Vertx vertx;
    private final int batchSize;
    private final long batchWaitMillis;
    private final Duration timeout;
    /** HELLOs not relayed yet, with the futures of their answers; guarded by {@code this}. */
    private List<Pending> waiting = new ArrayList<>();
    /** Counts batches started, so that a timer set for one never relays a later one early. */
    private long batchNumber;

    public RegistrationBatcher(FunctionsClient functions, Vertx vertx, EdgeConfig config) {
        this.functions = functions;
        this.vertx = vertx;
        this.batchSize = config.registrations().batchSize();
        Duration wait = config.registrations().batchWait();
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("star-console.edge.registrations.batch-size must be 1 to "
                    + MAX_BATCH_SIZE + ", not " + batchSize);
        }
        if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("star-console.edge.registrations.batch-wait must be 0 to 1 s, not " + wait);
        }
        this.batchWaitMillis = Math.max(1, wait.toMillis());
        this.timeout = config.registrations().timeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("star-console.edge.registrations.timeout must be positive, not " + timeout);
        }
    }

    /** The functions' answers to a batch, in its order. */
    public record Answers(List<RelayModels.RegisterResult> results) {
    }

    /** A batch of HELLOs as the functions take it. */
    public record Batch(List<RelayModels.RegisterRequest> registrations) {
    }

    private record Pending(RelayModels.RegisterRequest request, CompletableFuture<RelayModels.RegisterResult> answer) {
    }

    /** Relays this HELLO with the others that come within the batch wait; completes with its own answer. */
    public CompletableFuture<RelayModels.RegisterResult> register(RelayModels.RegisterRequest request) {
        if (batchSize == 1) {
            return functions.postOnce("register", request, RelayModels.RegisterResult.class, timeout);
        }
        CompletableFuture<RelayModels.RegisterResult> answer = new CompletableFuture<>();
        List<Pending> full = null;
        synchronized (this) {
            waiting.add(new Pending(request, answer));
            if (waiting.size() >= batchSize) {
                full = takeBatch();
            } else if (waiting.size() == 1) {
                long number = batchNumber;
                vertx.setTimer(batchWaitMillis, id -> relayIfStill(number));
            }
        }
        if (full != null) {
            relay(full);
        }
        return answer;
    }

    private void relayIfStill(long number) {
        List<Pending> due;
        synchronized (this) {
            if (number != batchNumber || waiting.isEmpty()) {
                return; // that batch filled up and went already
            }
            due = takeBatch();
        }
        relay(due);
    }

    private List<Pending> takeBatch() {
        List<Pending> batch = waiting;
        waiting = new ArrayList<>();
        batchNumber++;
        return batch;
    }

    private void relay(List<Pending> batch) {
        List<RelayModels.RegisterRequest> requests = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            requests.add(pending.request());
        }
        functions.postOnce("register-batch", new Batch(requests), Answers.class, timeout).whenComplete((answers, failure) -> {
            for (int i = 0; i < batch.size(); i++) {
                CompletableFuture<RelayModels.RegisterResult> answer = batch.get(i).answer();
                if (failure != null) {
                    answer.completeExceptionally(failure);
                } else if (answers == null || answers.results() == null || answers.results().size() != batch.size()) {
                    answer.completeExceptionally(new IllegalStateException("the functions answered "
                            + (answers == null || answers.results() == null ? "no" : answers.results().size())
                            + " results to a batch of " + batch.size()));
                } else {
                    answer.complete(answers.results().get(i));
                }
            }
        });
    }
}
