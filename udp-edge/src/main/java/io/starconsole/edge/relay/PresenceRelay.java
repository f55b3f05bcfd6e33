package io.starconsole.edge.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.starconsole.edge.EdgeConfig;
import io.starconsole.edge.relay.RelayModels.Heartbeat;
import io.starconsole.edge.relay.RelayModels.HeartbeatBatch;
import io.starconsole.edge.relay.RelayModels.HeartbeatResult;
import io.starconsole.edge.session.EdgeSession;
import io.starconsole.edge.transport.EdgeLoop;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keepalives to the registry in batches, never one call per PING. A PING only marks its session
 * seen (on its socket's thread: a flag, and the first in an interval adds the session to the ones
 * seen); once per {@code batch-interval} a relay thread takes the sessions seen, turns them into
 * heartbeats (the latest per box, by construction) and relays them in calls of up to
 * {@code batch-size}. While the functions are unreachable the latest heartbeat of each box is kept
 * (bounded) and relayed with the next batch that goes through.
 *
 * <p>The relay thread works in steps of {@value #HEARTBEATS_PER_STEP} sessions or heartbeats and
 * yields its core between them. A hand-over of thousands of boxes is milliseconds of work, and a
 * thread that has slept for an interval is let run that long at once, ahead of the sockets'
 * threads it shares the cores with: every PING arriving meanwhile waited for it (half of the
 * keepalive's slow round trips on two cores, bench/RESULTS.md, session 7).
 */
@Singleton
public class PresenceRelay {

    private static final Logger LOG = Logger.getLogger(PresenceRelay.class);
    /** Sessions looked at, or heartbeats kept or written, between two yields of the relay thread: ~0.1 ms of work. */
    static final int HEARTBEATS_PER_STEP = 256;

    private final FunctionsClient functions;
    private final EdgeConfig config;
    private final EdgeLoop loop;
    private final String edgeId;
    private final Event<BoxesWithWork> work;
    private final Event<BoxesNotServed> notServed;
    /** The sessions seen since the last hand-over. */
    private final SeenSessions seen = new SeenSessions();
    private final Map<String, Heartbeat> pending = new LinkedHashMap<>();
    /** Collects, builds, writes and sends batches off the edge's loop, one hand-over at a time. */
    private final ExecutorService relayThread = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "edge-presence-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final Counter calls;
    private final Counter failures;
    /** Failed calls in a row: the first is warned about, the rest only counted until one goes through. */
    private final AtomicInteger failingCalls = new AtomicInteger();
    /** One relay call at a time; hand-overs that come meanwhile only join the backlog. */
    private final AtomicBoolean relaying = new AtomicBoolean();

    public PresenceRelay(FunctionsClient functions, EdgeConfig config, EdgeLoop loop,
                         EdgeIdentity identity, Event<BoxesWithWork> work, Event<BoxesNotServed> notServed,
                         MeterRegistry registry) {
        this.functions = functions;
        this.config = config;
        this.loop = loop;
        this.edgeId = identity.id();
        this.work = work;
        this.notServed = notServed;
        this.calls = Counter.builder("edge.relay.presence.calls").register(registry);
        this.failures = Counter.builder("edge.relay.presence.failures").register(registry);
        registry.gauge("edge.relay.presence.backlog", pending, Map::size);
    }

    void start(@Observes StartupEvent event) {
        loop.every(config.presence().batchInterval().toMillis(), this::handOver);
    }

    void stop(@Observes ShutdownEvent event) {
        relayThread.shutdownNow();
    }

    /**
     * Runs {@code task} on the relay thread; once the edge stops, not at all (a hand-over or an
     * answer that comes after the stop has nothing left to relay, and must not fail the event loop).
     */
    private void onRelayThread(Runnable task) {
        try {
            relayThread.execute(task);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("presence relay: the edge has stopped; nothing relayed");
        }
    }

    /**
     * The box of {@code session} is alive now. On any socket's thread; costs a flag test per PING,
     * and the first PING of a box in an interval adds its session to the ones seen.
     */
    public void record(EdgeSession session) {
        seen.add(session);
    }

    /** On the edge's loop, once an interval: the relay thread collects and relays the boxes seen. */
    private void handOver() {
        onRelayThread(() -> relay(collectSeen()));
    }

    /**
     * On the relay thread, in steps: the heartbeats of the sessions seen since the last hand-over
     * (the latest address and time of each), clearing their flags. Only the sessions seen are
     * visited: going through every session of a large fleet each interval was most of the relay's
     * work (a cache miss per session: 12 ms a second for 125,000).
     */
    private List<Heartbeat> collectSeen() {
        long nowNanos = System.nanoTime();
        Instant now = Instant.now();
        List<Heartbeat> heartbeats = new ArrayList<>();
        seen.takeAll(session -> {
            yieldBetweenSteps(heartbeats.size());
            InetSocketAddress address = session.address();
            heartbeats.add(new Heartbeat(session.boxKey(), address.getAddress().getHostAddress(), address.getPort(),
                    now.minusNanos(Math.max(0, nowNanos - session.lastSeenNanos()))));
        });
        return heartbeats;
    }

    /**
     * Queues the heartbeats of one interval and starts relaying what is pending unless a relay is
     * under way (a slow functions call must not pile up calls); never fails.
     */
    void relay(List<Heartbeat> batch) {
        for (int from = 0; from < batch.size(); from += HEARTBEATS_PER_STEP) {
            yieldBetweenSteps(from);
            synchronized (pending) {
                for (Heartbeat h : batch.subList(from, Math.min(batch.size(), from + HEARTBEATS_PER_STEP))) {
                    pending.remove(h.publicKey());
                    if (pending.size() < config.presence().backlogLimit()) {
                        pending.put(h.publicKey(), h);
                    }
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
        byte[] body = batchJson(edgeId, send);
        // The answer is handled, and the next batch written, on the relay thread: in steps, like the first.
        return functions.postJson("presence", body, HeartbeatResult.class)
                .thenComposeAsync(result -> {
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
                    if (result != null && result.boxesNotServed() != null && !result.boxesNotServed().isEmpty()) {
                        notServed.fire(new BoxesNotServed(result.boxesNotServed()));
                    }
                    return drain();
                }, this::onRelayThread)
                .exceptionally(failure -> {
                    if (relayThread.isShutdown()) {
                        return null; // the edge is stopping
                    }
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

    /** A {@link HeartbeatBatch} as JSON, the same bytes as the mapper writes for it, written a step at a time. */
    byte[] batchJson(String edgeId, List<Heartbeat> heartbeats) {
        HeartbeatJson body = new HeartbeatJson(edgeId, heartbeats.size());
        for (int i = 0; i < heartbeats.size(); i++) {
            yieldBetweenSteps(i);
            body.add(heartbeats.get(i));
        }
        return body.finish();
    }

    /** Lets the threads waiting for this core run once a step of heartbeats is done. */
    private static void yieldBetweenSteps(int heartbeat) {
        if (heartbeat > 0 && heartbeat % HEARTBEATS_PER_STEP == 0) {
            Thread.yield();
        }
    }

    public int pendingCount() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Boxes the registry says have commands waiting. */
    public record BoxesWithWork(List<String> boxKeys) {
    }

    /** Boxes the registry no longer serves (unknown, not accepted, no SPN IP): their sessions must end. */
    public record BoxesNotServed(List<String> boxKeys) {
    }
}
