package io.starconsole.edge.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.starconsole.edge.EdgeConfig;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Gathers the HELLOs that arrive within a few milliseconds into one {@code register-batch} call (at
 * most {@code batch-size} of them, the first waiting at most {@code batch-wait}) and hands each box
 * its own answer: under a storm of registrations the functions then commit many boxes at once
 * instead of one transaction, one connection and one WAL flush per box. A failed call fails every
 * HELLO of its batch (each box is told to try again). A registration call is made once, with its
 * own timeout ({@code registrations.timeout}): the box starts a new handshake after 5 s anyway, and
 * repeating a call that timed out while the functions still work on it only adds to their load.
 * At most {@code registrations.calls-in-flight} calls are out at once: HELLOs that come meanwhile
 * wait and go together in the next call, so batches grow with the load. The handler refuses HELLOs
 * beyond {@code functions.max-registrations-in-flight} before they get here. A HELLO older than
 * {@code registrations.max-age} when its call would leave is not relayed (its box has given up on
 * it or is about to), and counted.
 */
@Singleton
public class RegistrationRelay {

    /** The functions' limit of HELLOs per call. */
    public static final int MAX_BATCH_SIZE = 500;

    private static final Logger LOG = Logger.getLogger(RegistrationRelay.class);

    private final BatchedRelay<RelayModels.RegisterRequest, RelayModels.RegisterResult> relay;
    private final Counter tooOld;

    @Inject
    public RegistrationRelay(FunctionsClient functions, Vertx vertx, EdgeConfig config, MeterRegistry registry) {
        this(config.registrations(), registry, System::nanoTime,
                (delayNanos, task) -> vertx.setTimer(
                        Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos + 999_999)), id -> task.run()),
                timeout -> config.registrations().batchSize() == 1
                        ? hellos -> functions.postOnce("register", hellos.get(0), RelayModels.RegisterResult.class, timeout)
                                .thenApply(Collections::singletonList)
                        : hellos -> functions.postOnce("register-batch", new Batch(hellos), Answers.class, timeout)
                                .thenApply(Answers::results));
    }

    /** With the timers, clock and calls given (tests). */
    RegistrationRelay(EdgeConfig.Registrations settings, MeterRegistry registry, LongSupplier nanoClock,
                      BatchedRelay.Scheduler scheduler,
                      Function<Duration, Function<List<RelayModels.RegisterRequest>,
                              CompletableFuture<List<RelayModels.RegisterResult>>>> callWithTimeout) {
        int batchSize = settings.batchSize();
        Duration wait = settings.batchWait();
        Duration timeout = settings.timeout();
        Duration maxAge = settings.maxAge();
        int callsInFlight = settings.callsInFlight();
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("star-console.edge.registrations.batch-size must be 1 to "
                    + MAX_BATCH_SIZE + ", not " + batchSize);
        }
        if (wait.isNegative() || wait.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("star-console.edge.registrations.batch-wait must be 0 to 1 s, not " + wait);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("star-console.edge.registrations.timeout must be positive, not " + timeout);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("star-console.edge.registrations.max-age must be positive, not " + maxAge);
        }
        if (callsInFlight < 1) {
            throw new IllegalArgumentException("star-console.edge.registrations.calls-in-flight must be at least 1, not "
                    + callsInFlight);
        }
        this.relay = BatchedRelay.calling(callWithTimeout.apply(timeout))
                .entriesPerCall(batchSize)
                .inFlight(callsInFlight, Integer.MAX_VALUE)
                // the timers are the event loop's, in whole milliseconds: a wait of 0 gathers for 1 ms
                .gatherWait(Duration.ofMillis(Math.max(1, wait.toMillis())))
                .maxAge(maxAge)
                .scheduler(scheduler)
                .nanoClock(nanoClock)
                .build();
        this.tooOld = Counter.builder("edge.registrations.dropped").tag("reason", "too_old")
                .description("HELLOs not relayed: they waited on the edge longer than their box waits for an answer")
                .register(registry);
    }

    /** The functions' answers to a batch, in its order. */
    public record Answers(List<RelayModels.RegisterResult> results) {
    }

    /** A batch of HELLOs as the functions take it. */
    public record Batch(List<RelayModels.RegisterRequest> registrations) {
    }

    /**
     * Relays this HELLO, read at {@code receivedNanos} ({@link System#nanoTime}), with the others that
     * come within the batch wait; completes with its own answer, or with
     * {@link BatchedRelay.TooOldException} when it waited too long to be relayed.
     */
    public CompletableFuture<RelayModels.RegisterResult> register(RelayModels.RegisterRequest request, long receivedNanos) {
        CompletableFuture<RelayModels.RegisterResult> answer = relay.submit(request, receivedNanos);
        answer.whenComplete((result, failure) -> {
            if (failure instanceof BatchedRelay.TooOldException) {
                tooOld.increment();
                LOG.debugf("HELLO not relayed: %s", failure.getMessage());
            }
        });
        return answer;
    }
}
