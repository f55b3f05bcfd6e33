package io.starconsole.bench;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/** Throughput, loss and latency percentiles of one measured interval, as one printable block. */
record LatencyReport(String name, long sent, long answered, double seconds, Histogram latencyNanos) {

    /** Latencies up to a minute, three significant digits. */
    static Histogram newHistogram() {
        return new Histogram(60_000_000_000L, 3);
    }

    double achievedPerSecond() {
        return answered / seconds;
    }

    long lost() {
        return Math.max(0, sent - answered);
    }

    double lossPercent() {
        return sent == 0 ? 0 : 100.0 * lost() / sent;
    }

    /** The value at {@code percentile}, in milliseconds. */
    double millis(double percentile) {
        return latencyNanos.getValueAtPercentile(percentile) / 1e6;
    }

    String format() {
        return String.format(Locale.ROOT,
                "%s: sent %d, answered %d in %.1f s = %.0f/s; lost %d (%.3f%%)%n"
                        + "  latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (n=%d)",
                name, sent, answered, seconds, achievedPerSecond(), lost(), lossPercent(),
                millis(50), millis(90), millis(99), millis(99.9), latencyNanos.getMaxValue() / 1e6,
                latencyNanos.getTotalCount());
    }
}
