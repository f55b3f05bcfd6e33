package io.starconsole.edge.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.starconsole.edge.EdgeConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrationRelayTest {

    private static final long SECOND = 1_000_000_000L;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<List<RelayModels.RegisterRequest>> relayed = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private long now = 100 * SECOND;

    private static EdgeConfig.Registrations settings(Duration maxAge) {
        return new EdgeConfig.Registrations() {
            @Override
            public int batchSize() {
                return 64;
            }

            @Override
            public Duration batchWait() {
                return Duration.ofMillis(5);
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(4);
            }

            @Override
            public Duration maxAge() {
                return maxAge;
            }
        };
    }

    private RegistrationRelay relay(Duration maxAge) {
        return new RegistrationRelay(settings(maxAge), registry, () -> now, (delayNanos, task) -> timers.add(task),
                timeout -> hellos -> {
                    relayed.add(hellos);
                    return new CompletableFuture<>();
                });
    }

    private static RelayModels.RegisterRequest hello(String box) {
        return new RelayModels.RegisterRequest(box, "edge-1", "198.51.100.7", 40000, false, null);
    }

    private void gatheringWaitOver() {
        now += Duration.ofMillis(5).toNanos();
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    @Test
    void helloHeldPastTheAgeLimit_isNotRelayed_andIsCounted_whileAFreshOneIs() {
        RegistrationRelay relay = relay(Duration.ofSeconds(4));
        CompletableFuture<RelayModels.RegisterResult> stale = relay.register(hello("stale-box"), now - 4 * SECOND - 1_000_000);
        relay.register(hello("fresh-box"), now);
        gatheringWaitOver();

        assertThat(relayed).hasSize(1);
        assertThat(relayed.get(0)).extracting(RelayModels.RegisterRequest::publicKey).containsExactly("fresh-box");
        assertThatThrownBy(stale::get).hasCauseInstanceOf(BatchedRelay.TooOldException.class);
        assertThat(registry.get("edge.registrations.dropped").tag("reason", "too_old").counter().count()).isEqualTo(1.0);
    }

    @Test
    void helloJustWithinTheAgeLimit_isRelayed() {
        RegistrationRelay relay = relay(Duration.ofSeconds(4));
        relay.register(hello("box"), now - 4 * SECOND + Duration.ofMillis(5).toNanos());
        gatheringWaitOver();

        assertThat(relayed).hasSize(1);
        assertThat(registry.get("edge.registrations.dropped").tag("reason", "too_old").counter().count()).isZero();
    }

    @Test
    void ageLimitNotPositive_isRefused() {
        assertThatThrownBy(() -> relay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("star-console.edge.registrations.max-age");
    }
}
