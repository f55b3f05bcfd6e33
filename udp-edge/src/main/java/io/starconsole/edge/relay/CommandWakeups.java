package io.starconsole.edge.relay;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.starconsole.edge.EdgeConfig;
import io.starconsole.edge.relay.PresenceRelay.BoxesWithWork;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;


/**
 * Learns within about half a second which of this edge's boxes got new commands: one call per edge
 * per interval to the registry's pending feed (a cursor over new deliveries for boxes on this edge),
 * never a query per box. The boxes named are woken at once; a box that misses the wake-up still
 * sees the flag in its next PONG.
 */
@ApplicationScoped
public class CommandWakeups {

    private static final Logger LOG = Logger.getLogger(CommandWakeups.class);

    private final Vertx vertx;
    private final FunctionsClient functions;
    private final Event<BoxesWithWork> work;
    private final String edgeId;
    private final long intervalMillis;
    private volatile boolean running;
    private long cursor;

    public CommandWakeups(FunctionsClient functions, Event<BoxesWithWork> work, EdgeIdentity identity,
                          EdgeConfig config, Vertx vertx) {
        this.vertx = vertx;
        this.functions = functions;
        this.work = work;
        this.edgeId = identity.id();
        this.intervalMillis = config.commands().wakeUpInterval().toMillis();
    }

    void start(@Observes StartupEvent event) {
        running = true;
        schedule();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    private void schedule() {
        if (running) {
            vertx.setTimer(intervalMillis, id -> poll());
        }
    }

    /** One call at a time: the next is scheduled when this one is answered. */
    void poll() {
        functions.post("commands/pending", new RelayModels.PendingRequest(edgeId, cursor), RelayModels.Pending.class)
                .whenComplete((pending, failure) -> {
                    if (failure != null) {
                        LOG.debugf("pending-command feed failed: %s", failure.getClass().getSimpleName());
                    } else if (pending != null) {
                        cursor = Math.max(cursor, pending.cursor());
                        if (pending.boxes() != null && !pending.boxes().isEmpty()) {
                            work.fire(new BoxesWithWork(pending.boxes()));
                        }
                    }
                    schedule();
                });
    }
}
