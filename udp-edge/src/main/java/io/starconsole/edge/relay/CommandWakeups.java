package io.starconsole.edge.relay;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.starconsole.edge.EdgeConfig;
import io.starconsole.edge.relay.PresenceRelay.BoxesWithWork;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;


/**
 * Learns at once which of this edge's boxes got new commands: one long-poll request at a time to
 * the registry's wake-up feed (a cursor over newly committed deliveries for boxes on this edge),
 * held by the registry until there is work or the wait runs out — never a query per box. The
 * boxes named are woken at once; a box that misses the wake-up still sees the flag in its next
 * PONG.
 */
@Singleton
public class CommandWakeups {

    private static final Logger LOG = Logger.getLogger(CommandWakeups.class);
    /** Time beyond the wait for the registry to answer before the request counts as failed. */
    private static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final FunctionsClient functions;
    private final Event<BoxesWithWork> work;
    private final String edgeId;
    private final Duration wait;
    private final long retryMillis;
    private volatile boolean running;
    /** The feed's position, opaque to the edge; empty at first (every queued delivery is new). */
    private String cursor = "";

    public CommandWakeups(FunctionsClient functions, Event<BoxesWithWork> work, EdgeIdentity identity,
                          EdgeConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.functions = functions;
        this.work = work;
        this.edgeId = identity.id();
        this.wait = config.commands().wakeUpWait();
        this.retryMillis = Math.max(1, config.commands().wakeUpRetry().toMillis());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        vertx.runOnContext(v -> poll());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    /** One request at a time: the next goes when this one is answered. */
    void poll() {
        if (!running) {
            return;
        }
        long started = System.nanoTime();
        functions.postOnce("commands/pending", new RelayModels.PendingRequest(edgeId, cursor, wait.toMillis()),
                        RelayModels.Pending.class, wait.plus(ANSWER_MARGIN))
                .whenComplete((pending, failure) -> {
                    boolean found = false;
                    if (failure != null) {
                        LOG.debugf("wake-up feed failed: %s", failure.getClass().getSimpleName());
                    } else if (pending != null) {
                        if (pending.cursor() != null) {
                            cursor = pending.cursor();
                        }
                        // ask again at once when boxes were named: the feed answers in pages
                        found = pending.boxes() != null && !pending.boxes().isEmpty();
                        if (found) {
                            work.fire(new BoxesWithWork(pending.boxes()));
                        }
                    }
                    // An empty answer long before the wait ran out means the registry did not hold
                    // the request (failing, or shutting down): pause instead of spinning.
                    boolean early = System.nanoTime() - started < wait.toNanos() / 2;
                    if (found || (failure == null && !early)) {
                        vertx.runOnContext(v -> poll());
                    } else {
                        vertx.setTimer(retryMillis, id -> poll());
                    }
                });
    }
}
