package io.starconsole.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The load both designs get in {@link SeedComparisonBench}: {@code boxes} boxes, each sending a PING
 * every {@code pingInterval} (spread evenly: PING {@code s} is box {@code s % boxes}'s), single-box
 * commands enqueued at {@code commandsPerSecond} to boxes picked at random, open loop. Each phase runs
 * {@code warmupSeconds} of PINGs, then {@code seconds} measured (commands enqueued only then), then
 * {@code drainSeconds} more PINGs so that the last commands can arrive. The seed design's boxes also ask
 * for commands every {@code seedPollInterval}.
 */
record ComparisonLoad(int boxes, Duration pingInterval, Duration seedPollInterval, double commandsPerSecond,
                      int warmupSeconds, int seconds, int drainSeconds) {

    ComparisonLoad {
        if (boxes <= 0 || pingInterval.isNegative() || pingInterval.isZero() || seedPollInterval.isNegative()
                || seedPollInterval.isZero() || !(commandsPerSecond > 0) || warmupSeconds < 0 || seconds <= 0
                || drainSeconds < 0) {
            throw new IllegalArgumentException("a load needs boxes, positive intervals and rate, and measured seconds");
        }
    }

    double pingsPerSecond() {
        return boxes * 1e9 / pingInterval.toNanos();
    }

    double pollsPerSecond() {
        return boxes * 1e9 / seedPollInterval.toNanos();
    }

    /** PINGs sent in a phase: warm-up, measured and drain. */
    long pings() {
        return Math.round(pingsPerSecond() * (warmupSeconds + seconds + drainSeconds));
    }

    long firstMeasuredPing() {
        return Math.round(pingsPerSecond() * warmupSeconds);
    }

    long endMeasuredPing() {
        return Math.round(pingsPerSecond() * (warmupSeconds + seconds));
    }

    /** Commands enqueued in a phase (all during the measured seconds). */
    int commands() {
        return (int) Math.round(commandsPerSecond * seconds);
    }

    int boxOf(long pingSequence) {
        return (int) (pingSequence % boxes);
    }

    String describe() {
        return String.format(Locale.ROOT, "%d boxes, PING every %.1f s (%.0f/s), %d commands at %.1f/s to random boxes;"
                        + " %d s warm-up, %d s measured, %d s drain; the seed's boxes ask for commands every %.1f s"
                        + " (%.0f/s)", boxes, pingInterval.toMillis() / 1e3, pingsPerSecond(), commands(),
                commandsPerSecond, warmupSeconds, seconds, drainSeconds, seedPollInterval.toMillis() / 1e3,
                pollsPerSecond());
    }
}
