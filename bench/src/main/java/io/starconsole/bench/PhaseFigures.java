package io.starconsole.bench;

import org.HdrHistogram.Histogram;

/**
 * What one design did under a {@link ComparisonLoad}: the database's work over the measured seconds
 * and the load average at their end, the PINGs' round trips and loss, and each command's time from its
 * due enqueue time to its receipt by the box.
 */
record PhaseFigures(String name, MeasuredWindow.Measured window, LatencyReport pings, Histogram commandLatency,
                    int commands, long enqueueFailures, long undelivered) {

    long delivered() {
        return commandLatency.getTotalCount();
    }
}
