package io.starconsole.edge.jedi;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeLoadTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(100 * SECOND);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final HandshakeLoad load = new HandshakeLoad(3, 10, inFlight::get, clock::get);

    @Test
    void underLoad_onlyPastTheCostlyHandshakeLimit() {
        record(3);
        assertThat(load.underLoad()).isFalse();
        record(1);
        assertThat(load.perSecond()).isEqualTo(4);
        assertThat(load.underLoad()).isTrue();
    }

    @Test
    void underLoad_lastsThroughTheNextSecond_thenEnds() {
        record(4);
        clock.addAndGet(SECOND);
        assertThat(load.underLoad()).as("the previous second still counts").isTrue();
        clock.addAndGet(SECOND);
        assertThat(load.underLoad()).isFalse();
    }

    @Test
    void underLoad_afterASecondWithoutHandshakes_forgetsOlderSeconds() {
        record(4);
        clock.addAndGet(5 * SECOND);
        assertThat(load.perSecond()).isZero();
    }

    @Test
    void underLoad_whenMoreRegistrationsWaitThanTheLimit() {
        inFlight.set(10);
        assertThat(load.underLoad()).isFalse();
        inFlight.set(11);
        assertThat(load.underLoad()).isTrue();
    }

    private void record(int handshakes) {
        for (int i = 0; i < handshakes; i++) {
            load.recordCostly();
        }
    }
}
