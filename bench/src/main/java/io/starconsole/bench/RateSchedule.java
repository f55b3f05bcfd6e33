package io.starconsole.bench;

/**
 * An open-loop schedule: operation {@code i} is due at {@code start + i / rate}, whatever happened
 * to earlier ones. Latency is measured from the due time, so a stall of the sender or the system
 * under test shows up in the figures instead of silently delaying later sends (coordinated omission).
 */
final class RateSchedule {

    private final long startNanos;
    private final double intervalNanos;

    RateSchedule(long startNanos, double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
    }

    /** When operation {@code i} (from 0) is due. */
    long dueNanos(long i) {
        return startNanos + (long) (i * intervalNanos);
    }

    /** How many operations are due by {@code nowNanos}. */
    long dueBy(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        return (long) ((nowNanos - startNanos) / intervalNanos) + 1;
    }

    /**
     * Waits until {@code dueNanos} by parking only, never spinning: the thread wakes up to a
     * park's granularity late (tens of microseconds) and then sends everything due by then in one
     * burst. For load generators that share the cores with the system under test, where a spinning
     * sender would take CPU from it. Lateness is still measured, from the due time.
     */
    static void parkUntil(long dueNanos) {
        long left;
        while ((left = dueNanos - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    /** Waits, sleeping when far and spinning when near, until {@code dueNanos}. */
    static void awaitNanos(long dueNanos) {
        long left;
        while ((left = dueNanos - System.nanoTime()) > 0) {
            if (left > 200_000) {
                java.util.concurrent.locks.LockSupport.parkNanos(left - 100_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
