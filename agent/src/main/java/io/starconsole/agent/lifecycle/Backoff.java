package io.starconsole.agent.lifecycle;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter: the n-th consecutive failure waits a random time between half
 * and all of {@code min(max, base * 2^(n-1))}, so a fleet that lost its edge does not come back in
 * lockstep. Not thread-safe (the lifecycle holds its lock).
 */
public final class Backoff {

    private final long baseMillis;
    private final long maxMillis;
    private final RandomGenerator random;
    private int failures;

    public Backoff(Duration base, Duration max, RandomGenerator random) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.maxMillis = Math.max(baseMillis, max.toMillis());
        this.random = random;
    }

    /** The wait before the next attempt after one more failure. */
    public Duration next() {
        long ceiling = failures >= 30 ? maxMillis : Math.min(maxMillis, baseMillis << failures);
        failures++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
