package io.starconsole.agent.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.starconsole.agent.Box;
import io.starconsole.agent.TestEdge;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.lifecycle.LifecycleTimers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedFleetTest {

    @TempDir
    Path temp;

    @Test
    void fiftyBoxes_registerFiftyDistinctKeys_eachWithItsOwnSandbox_andSayByeOnClose() throws Exception {
        try (TestEdge edge = new TestEdge(temp.resolve("edge"))) {
            AgentConfig base = AgentConfig.defaults()
                    .with(Option.EDGE, edge.address())
                    .with(Option.EDGE_PUBLIC_KEY, edge.publicKeyBase64())
                    .with(Option.STATE_DIRECTORY, temp.resolve("fleet").toString())
                    .with(Option.PING_INTERVAL, "500ms");
            SimulatedFleet fleet = SimulatedFleet.start(base, 50, 500, LifecycleTimers.standard(Duration.ofMillis(500)));
            try {
                assertThat(fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(15))).isTrue();
                assertThat(edge.registeredKeys).hasSize(50);
                assertThat(fleet.boxes().stream().map(Box::publicKey).collect(Collectors.toSet()))
                        .isEqualTo(edge.registeredKeys);
                assertThat(fleet.boxes().stream().map(Box::sandboxDirectory).distinct()).hasSize(50);
                for (Box box : fleet.boxes()) {
                    assertThat(Files.exists(box.sandboxDirectory().resolve("spn-address"))).isTrue();
                    assertThat(Files.exists(box.config().keyFile())).isTrue();
                }
                assertThat(fleet.boxes().get(0).config().id()).isEqualTo("sim-1");
            } finally {
                fleet.close();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (edge.byes.get() < 50 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(edge.byes.get()).isEqualTo(50);
        }
    }
}
