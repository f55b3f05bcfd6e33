package io.starconsole.edge.jedi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.starconsole.protocol.codec.ProtocolException;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;

/** {@code edge_datagrams_dropped_total{reason=...}}: what was refused, and why. */
@Singleton
public class DropCounters {

    private final Map<ProtocolException.Reason, Counter> counters = new EnumMap<>(ProtocolException.Reason.class);

    public DropCounters(MeterRegistry registry) {
        for (ProtocolException.Reason reason : ProtocolException.Reason.values()) {
            counters.put(reason, Counter.builder("edge.datagrams.dropped")
                    .tag("reason", reason.name().toLowerCase())
                    .description("datagrams refused").register(registry));
        }
    }

    public void count(ProtocolException.Reason reason) {
        counters.get(reason).increment();
    }

    /** All datagrams refused so far, whatever the reason. */
    public double total() {
        return counters.values().stream().mapToDouble(Counter::count).sum();
    }
}
