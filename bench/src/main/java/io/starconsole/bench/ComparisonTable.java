package io.starconsole.bench;

import org.HdrHistogram.Histogram;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The side-by-side table of {@link SeedComparisonBench}: one row per figure, the seed design's value,
 * ours, and how many times the seed's is ours. Database rows are shown less the idle console's own
 * work (its timers run under both designs), CPU also raw.
 */
final class ComparisonTable {

    private final StringBuilder out = new StringBuilder();

    private ComparisonTable() {
    }

    static String of(PhaseFigures seed, PhaseFigures ours, DatabaseActivity.Interval idle) {
        ComparisonTable t = new ComparisonTable();
        t.out.append(String.format(Locale.ROOT, "%-46s %14s %14s %11s%n", "", "seed design", "ours", "seed/ours"));
        DatabaseActivity.Interval seedDb = seed.window().database().lessIdle(idle);
        DatabaseActivity.Interval ourDb = ours.window().database().lessIdle(idle);
        t.row("database transactions/s (less idle)", seedDb, ourDb, DatabaseActivity.Interval::transactionsPerSecond, "%.0f");
        t.row("rows written/s (less idle)", seedDb, ourDb, DatabaseActivity.Interval::rowsWrittenPerSecond, "%.0f");
        t.row("rows fetched/s (less idle)", seedDb, ourDb, DatabaseActivity.Interval::rowsFetchedPerSecond, "%.0f");
        t.row("WAL KiB/s (less idle)", seedDb, ourDb, DatabaseActivity.Interval::walKibPerSecond, "%.1f");
        t.row("postgres CPU, % of one core (less idle)", seedDb, ourDb,
                DatabaseActivity.Interval::cpuPercentOfOneCore, "%.1f");
        t.row("postgres CPU, % of one core (raw)", seed.window().database(), ours.window().database(),
                DatabaseActivity.Interval::cpuPercentOfOneCore, "%.1f");
        t.row("command enqueue -> box, p50 ms", seed.commandLatency(), ours.commandLatency(), h -> millis(h, 50), "%.1f");
        t.row("command enqueue -> box, p99 ms", seed.commandLatency(), ours.commandLatency(), h -> millis(h, 99), "%.1f");
        t.row("command enqueue -> box, max ms", seed.commandLatency(), ours.commandLatency(),
                h -> h.getMaxValue() / 1e6, "%.1f");
        t.text("commands delivered / enqueued", delivered(seed), delivered(ours));
        t.row("PING round trip, p50 ms", seed.pings(), ours.pings(), p -> p.millis(50), "%.3f");
        t.row("PING round trip, p99 ms", seed.pings(), ours.pings(), p -> p.millis(99), "%.3f");
        t.row("PING loss, %", seed.pings(), ours.pings(), LatencyReport::lossPercent, "%.3f");
        t.out.append("load average at the end of the window: seed design ").append(seed.window().loadAverage())
                .append("; ours ").append(ours.window().loadAverage()).append(System.lineSeparator());
        return t.out.toString();
    }

    /** How many times {@code seed} is {@code ours}; "-" when ours is zero. */
    static String ratio(double seed, double ours) {
        if (ours == 0) {
            return "-";
        }
        double r = seed / ours;
        return String.format(Locale.ROOT, r >= 10 ? "%.0fx" : "%.2fx", r);
    }

    private static double millis(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
    }

    private static String delivered(PhaseFigures phase) {
        return phase.delivered() + " / " + (phase.commands() - phase.enqueueFailures());
    }

    private <T> void row(String label, T seed, T ours, ToDoubleFunction<T> figure, String format) {
        double s = figure.applyAsDouble(seed);
        double o = figure.applyAsDouble(ours);
        out.append(String.format(Locale.ROOT, "%-46s %14s %14s %11s%n", label, String.format(Locale.ROOT, format, s),
                String.format(Locale.ROOT, format, o), ratio(s, o)));
    }

    private void text(String label, String seed, String ours) {
        out.append(String.format(Locale.ROOT, "%-46s %14s %14s%n", label, seed, ours));
    }
}
