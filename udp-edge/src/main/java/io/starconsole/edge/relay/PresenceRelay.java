package io.starconsole.edge.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.starconsole.edge.EdgeConfig;
import io.starconsole.edge.relay.RelayModels.Heartbeat;
import io.starconsole.edge.relay.RelayModels.HeartbeatBatch;
import io.starconsole.edge.relay.RelayModels.HeartbeatResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keepalives to the registry in batches, never one call per PING: heartbeats go onto the
 * {@code heartbeats} channel, are grouped once a second (or every {@code batch-size}), reduced to the
 * latest per box, and relayed in one call. While the functions are unreachable the latest heartbeat of
 * each box is kept (bounded) and relayed with the next batch that goes through.
 */
@ApplicationScoped
public class PresenceRelay {

    private static final Logger LOG = Logger.getLogger(PresenceRelay.class);
    static final int CHANNEL_BUFFER = 200_000;

    private final Emitter<Heartbeat> heartbeats;
    private final FunctionsClient functions;
    private final EdgeConfig config;
    private final String edgeId;
    private final Event<BoxesWithWork> work;
    private final Map<String, Heartbeat> pending = new LinkedHashMap<>();
    private final Counter calls;
    private final Counter failures;
    private final Counter overflow;
    /** Failed calls in a row: the first is warned about, the rest only counted until one goes through. */
    private final AtomicInteger failingCalls = new AtomicInteger();
    /** One relay call at a time; batches that come meanwhile only join the backlog. */
    private final AtomicBoolean relaying = new AtomicBoolean();

    public PresenceRelay(@Channel("heartbeats") @OnOverflow(value = OnOverflow.Strategy.BUFFER,
                                 bufferSize = CHANNEL_BUFFER) Emitter<Heartbeat> heartbeats,
                         FunctionsClient functions, EdgeConfig config, EdgeIdentity identity,
                         Event<BoxesWithWork> work, MeterRegistry registry) {
        this.heartbeats = heartbeats;
        this.functions = functions;
        this.config = config;
        this.edgeId = identity.id();
        this.work = work;
        this.calls = Counter.builder("edge.relay.presence.calls").register(registry);
        this.failures = Counter.builder("edge.relay.presence.failures").register(registry);
        this.overflow = Counter.builder("edge.relay.presence.overflow")
                .description("heartbeats dropped because the channel was full (the next PING repairs it)")
                .register(registry);
        registry.gauge("edge.relay.presence.backlog", pending, Map::size);
    }

    /** Queues one heartbeat; never blocks the event loop. */
    public void record(Heartbeat heartbeat) {
        try {
            heartbeats.send(heartbeat);
        } catch (RuntimeException full) {
            overflow.increment();
        }
    }

    @Incoming("heartbeats")
    @Outgoing("heartbeat-batches")
    public Multi<List<Heartbeat>> group(Multi<Heartbeat> stream) {
        return stream.group().intoLists().of(config.presence().batchSize(), config.presence().batchInterval());
    }

    /**
     * Takes one batch into the backlog and starts relaying it unless a relay is under way. Returns
     * at once: the grouping upstream emits on a timer, and a stream held back while the functions
     * are slow (each call can take its timeout times its attempts) failed with a BackPressureFailure
     * and relayed nothing more until the edge restarted. The backlog (one entry per box) is the
     * buffer; the stream never fails, whatever the functions answer.
     */
    @Incoming("heartbeat-batches")
    public void relay(List<Heartbeat> batch) {
        synchronized (pending) {
            for (Heartbeat h : batch) {
                pending.remove(h.publicKey());
                if (pending.size() < config.presence().backlogLimit()) {
                    pending.put(h.publicKey(), h);
                }
            }
        }
        if (relaying.compareAndSet(false, true)) {
            drain().whenComplete((done, failure) -> relaying.set(false));
        }
    }

    /** Relays what is pending, a batch at a time, until empty or a call fails. */
    private CompletionStage<Void> drain() {
        List<Heartbeat> send = new ArrayList<>();
        synchronized (pending) {
            Iterator<Heartbeat> it = pending.values().iterator();
            while (it.hasNext() && send.size() < config.presence().batchSize()) {
                send.add(it.next());
            }
        }
        if (send.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        calls.increment();
        return functions.post("presence", new HeartbeatBatch(edgeId, send), HeartbeatResult.class)
                .thenCompose(result -> {
                    int failed = failingCalls.getAndSet(0);
                    if (failed > 0) {
                        LOG.infof("presence relay recovered after %d failed calls; relaying the %d boxes kept",
                                failed, pendingCount());
                    }
                    synchronized (pending) {
                        // Remove what was sent unless a newer heartbeat of that box came in meanwhile.
                        send.forEach(h -> pending.remove(h.publicKey(), h));
                    }
                    if (result != null && result.boxesWithWork() != null && !result.boxesWithWork().isEmpty()) {
                        work.fire(new BoxesWithWork(result.boxesWithWork()));
                    }
                    return drain();
                })
                .exceptionally(failure -> {
                    failures.increment();
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (failingCalls.getAndIncrement() == 0) {
                        LOG.warnf("presence relay failing (%s); the latest heartbeat of each box is kept (at most %d)"
                                + " and relayed once the functions answer", cause.getMessage() == null
                                ? cause.getClass().getSimpleName() : cause.getMessage(),
                                config.presence().backlogLimit());
                    } else {
                        LOG.debugf("presence relay failed again (%s); %d boxes kept", cause.getClass().getSimpleName(),
                                pendingCount());
                    }
                    return null;
                });
    }

    public int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Boxes the registry says have commands waiting. */
    public record BoxesWithWork(List<String> boxKeys) {
    }
}
