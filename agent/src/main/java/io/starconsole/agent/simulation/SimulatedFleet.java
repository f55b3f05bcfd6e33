package io.starconsole.agent.simulation;

import io.starconsole.agent.AgentRuntime;
import io.starconsole.agent.Box;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.lifecycle.LifecycleTimers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * N simulated boxes in one process, for demos ({@code star-console up --boxes N}) and load tests.
 * Box {@code i} (from 1) lives in {@code <state-directory>/box-<i>/}: its own key file
 * ({@code agent.key}), sandbox ({@code sandbox/}) and executed-command record; its id is
 * {@code <id or "sim">-<i>} and its MAC {@code 02:53:00:xx:xx:xx}. All boxes share one receive
 * thread and a two-thread scheduler; each has its own UDP socket (so the edge sees distinct
 * sources). Boxes are started at {@code rate} per second.
 *
 * <pre>{@code
 * try (SimulatedFleet fleet = SimulatedFleet.start(config, 50)) {
 *     fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(10));
 *     fleet.boxes().get(0).publicKey(); // .state(), .sandboxDirectory(), .status()
 * }
 * }</pre>
 */
public final class SimulatedFleet implements AutoCloseable {

    /** Boxes started per second unless told otherwise. */
    public static final double DEFAULT_RATE = 200;

    private final AgentRuntime runtime;
    private final List<Box> boxes;

    private SimulatedFleet(AgentRuntime runtime, List<Box> boxes) {
        this.runtime = runtime;
        this.boxes = boxes;
    }

    /** {@code n} boxes from {@code base} with the protocol's timers at {@code base}'s ping interval. */
    public static SimulatedFleet start(AgentConfig base, int n) throws IOException {
        return start(base, n, DEFAULT_RATE, LifecycleTimers.standard(base.pingInterval()));
    }

    public static SimulatedFleet start(AgentConfig base, int n, double ratePerSecond, LifecycleTimers timers) throws IOException {
        if (n < 1 || n > 100_000) {
            throw new IllegalArgumentException("boxes must be 1..100000");
        }
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        AgentRuntime runtime = new AgentRuntime(2);
        List<Box> boxes = new ArrayList<>(n);
        SimulatedFleet fleet = new SimulatedFleet(runtime, boxes);
        try {
            for (int i = 1; i <= n; i++) {
                boxes.add(Box.create(configFor(base, i), runtime, timers));
            }
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
        long spacingNanos = (long) (TimeUnit.SECONDS.toNanos(1) / ratePerSecond);
        for (int i = 0; i < boxes.size(); i++) {
            runtime.scheduler().schedule(boxes.get(i)::start, spacingNanos * i, TimeUnit.NANOSECONDS);
        }
        return fleet;
    }

    /** The configuration of box {@code index} (from 1): its own directory, key, sandbox, id and MAC. */
    public static AgentConfig configFor(AgentConfig base, int index) {
        Path directory = base.stateDirectory().resolve(String.format(Locale.ROOT, "box-%05d", index));
        String prefix = base.get(Option.ID).isEmpty() ? "sim" : base.get(Option.ID);
        return base.with(Option.STATE_DIRECTORY, directory.toString())
                .with(Option.KEY_FILE, directory.resolve("agent.key").toString())
                .with(Option.SANDBOX_DIRECTORY, directory.resolve("sandbox").toString())
                .with(Option.BACKEND, "sandbox")
                .with(Option.ID, prefix + "-" + index)
                .with(Option.MAC, String.format(Locale.ROOT, "02:53:00:%02x:%02x:%02x", (index >> 16) & 0xFF, (index >> 8) & 0xFF,
                        index & 0xFF));
    }

    public List<Box> boxes() {
        return List.copyOf(boxes);
    }

    public long count(BoxState state) {
        return boxes.stream().filter(box -> box.state() == state).count();
    }

    /** Waits until every box is in {@code state}; false on timeout. */
    public boolean awaitAll(BoxState state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(state) < boxes.size()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Every box says BYE; then the shared threads end. */
    @Override
    public void close() throws IOException {
        for (Box box : boxes) {
            box.stop();
        }
        runtime.close();
    }
}
