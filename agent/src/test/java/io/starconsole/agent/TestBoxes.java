package io.starconsole.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.LifecycleTimers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the box tests share: short timers, a box's configuration against a {@link TestEdge}, polling. */
public final class TestBoxes {

    public static final LifecycleTimers FAST = new LifecycleTimers(Duration.ofMillis(200), 3, Duration.ofMillis(300),
            Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofMillis(300), Duration.ofMillis(200),
            Duration.ofSeconds(1));

    private TestBoxes() {
    }

    /** One box with its key, state and sandbox under {@code temp/box}, talking to {@code edge}. */
    public static AgentConfig config(Path temp, TestEdge edge) {
        return AgentConfig.defaults()
                .with(Option.EDGE, edge.address())
                .with(Option.EDGE_PUBLIC_KEY_FILE, edge.publicKeyFile().toString())
                .with(Option.KEY_FILE, temp.resolve("box/agent.key").toString())
                .with(Option.STATE_DIRECTORY, temp.resolve("box").toString())
                .with(Option.SANDBOX_DIRECTORY, temp.resolve("box/sandbox").toString())
                .with(Option.ID, "box-under-test")
                .with(Option.PING_INTERVAL, "200ms");
    }

    public static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + timeout).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
