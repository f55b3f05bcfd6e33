package io.starconsole.functions.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Set;

/**
 * Leaves out the two gauges of the database client that would report one connection as if it were
 * the pool. The client gives each connection its own metrics object, and each registers the gauges
 * {@code <client>.queue.size} and {@code <client>.current} under the same name and tags: Micrometer
 * keeps the first connection's and ignores the others (with a warning at every start), so the
 * figures were those of one connection. The client's timers and counters are shared by all its
 * connections and stay ({@code postgresql_processing_seconds}, {@code postgresql_completed_total}, ...).
 */
public class DatabaseClientGauges {

    private static final Set<String> PER_CONNECTION_GAUGES = Set.of("queue.size", "current");

    @Produces
    @Singleton
    MeterFilter perConnectionGaugesLeftOut() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                boolean perConnection = id.getType() == Meter.Type.GAUGE && "sql".equals(id.getTag("clientType"))
                        && PER_CONNECTION_GAUGES.stream().anyMatch(gauge -> id.getName().endsWith("." + gauge));
                return perConnection ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }
        };
    }
}
