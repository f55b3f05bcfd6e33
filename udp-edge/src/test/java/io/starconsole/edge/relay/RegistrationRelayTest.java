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
    private final List<CompletableFuture<List<RelayModels.RegisterResult>>> calls = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private long now = 100 * SECOND;

    private static EdgeConfig.Registrations settings(Duration maxAge, int callsInFlight) {
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

            @Override
            public int callsInFlight() {
                return callsInFlight;
            }

            @Override
            public Duration rekeysAtEdgeFor() {
                return Duration.ofMinutes(30);
            }
        };
    }

    private RegistrationRelay relay(Duration maxAge) {
        return relay(maxAge, 4);
    }

    private RegistrationRelay relay(Duration maxAge, int callsInFlight) {
        return new RegistrationRelay(settings(maxAge, callsInFlight), registry, () -> now,
                (delayNanos, task) -> timers.add(task),
                timeout -> hellos -> {
                    relayed.add(hellos);
                    CompletableFuture<List<RelayModels.RegisterResult>> call = new CompletableFuture<>();
                    calls.add(call);
                    return call;
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
    void hellosWhileTheCallsInFlightAreOut_waitAndGoTogetherInTheNextCall() {
        RegistrationRelay relay = relay(Duration.ofSeconds(4), 2);
        relay.register(hello("a"), now);
        gatheringWaitOver();
        relay.register(hello("b"), now);
        gatheringWaitOver();
        List<CompletableFuture<RelayModels.RegisterResult>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(relay.register(hello("box-" + i), now));
        }
        gatheringWaitOver();
        assertThat(relayed).as("two calls out: the others wait").hasSize(2);

        RelayModels.RegisterResult ok = new RelayModels.RegisterResult("OK", 1, "10.99.0.1", "16", null, null, false);
        calls.get(0).complete(List.of(ok));
        assertThat(relayed).hasSize(3);
        assertThat(relayed.get(2)).extracting(RelayModels.RegisterRequest::publicKey)
                .containsExactly("box-0", "box-1", "box-2", "box-3", "box-4", "box-5", "box-6", "box-7", "box-8", "box-9");
        calls.get(2).complete(java.util.Collections.nCopies(10, ok));
        assertThat(waiting).allMatch(answer -> answer.getNow(null) == ok);
    }

    @Test
    void callsInFlightBelowOne_isRefused() {
        assertThatThrownBy(() -> relay(Duration.ofSeconds(4), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("star-console.edge.registrations.calls-in-flight");
    }

    @Test
    void ageLimitNotPositive_isRefused() {
        assertThatThrownBy(() -> relay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("star-console.edge.registrations.max-age");
    }
}
