package io.starconsole.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * When the slow round trips of a keepalive run were due, by the millisecond of the wall clock, so
 * they can be laid beside the JVMs' collector and safepoint logs (decorated with
 * {@code timemillis}): a tail that comes in bursts every few hundred milliseconds is a pause, one
 * spread evenly is not.
 */
final class SlowPings {

    private final long thresholdNanos;
    private final long startNanos;
    private final long startEpochMillis;
    private final AtomicIntegerArray slowByMillisecond;
    private final AtomicIntegerArray worstMicrosByMillisecond;
    /** The first millisecond written: the warm-up is recorded (so its code is compiled) but not written. */
    private final int firstWrittenMillisecond;

    /**
     * Slow round trips due from {@code startNanos} for {@code seconds}; only those due from
     * {@code writtenFromNanos} on are written.
     */
    SlowPings(long thresholdNanos, long startNanos, long writtenFromNanos, int seconds) {
        this.thresholdNanos = thresholdNanos;
        this.startNanos = startNanos;
        this.firstWrittenMillisecond = (int) Math.max(0, (writtenFromNanos - startNanos) / 1_000_000);
        this.startEpochMillis = System.currentTimeMillis() + (startNanos - System.nanoTime()) / 1_000_000;
        this.slowByMillisecond = new AtomicIntegerArray(seconds * 1000);
        this.worstMicrosByMillisecond = new AtomicIntegerArray(seconds * 1000);
    }

    void record(long dueNanos, long latencyNanos) {
        if (latencyNanos <= thresholdNanos) {
            return;
        }
        long millisecond = (dueNanos - startNanos) / 1_000_000;
        if (millisecond < 0 || millisecond >= slowByMillisecond.length()) {
            return;
        }
        int at = (int) millisecond;
        slowByMillisecond.incrementAndGet(at);
        int micros = (int) Math.min(Integer.MAX_VALUE, latencyNanos / 1000);
        worstMicrosByMillisecond.accumulateAndGet(at, micros, Math::max);
    }

    /**
     * One line per burst (slow PINGs due in consecutive milliseconds, gaps of up to 2 ms joined):
     * its first due millisecond since the epoch, its length, how many were slow and the worst.
     */
    void write(Path file) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            out.println("# epoch_ms_first_due length_ms slow_pings worst_ms (threshold "
                    + thresholdNanos / 1e6 + " ms)");
            int at = firstWrittenMillisecond;
            int length = slowByMillisecond.length();
            while (at < length) {
                if (slowByMillisecond.get(at) == 0) {
                    at++;
                    continue;
                }
                int first = at;
                int last = at;
                int count = 0;
                int worst = 0;
                while (at < length && at - last <= 2) {
                    if (slowByMillisecond.get(at) > 0) {
                        count += slowByMillisecond.get(at);
                        worst = Math.max(worst, worstMicrosByMillisecond.get(at));
                        last = at;
                    }
                    at++;
                }
                out.printf(Locale.ROOT, "%d %d %d %.2f%n", startEpochMillis + first, last - first + 1, count,
                        worst / 1000.0);
            }
        }
    }
}
