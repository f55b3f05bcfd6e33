package io.starconsole.bench;

/**
 * A timer on a Quarkus process's Prometheus page ({@code /q/metrics}), read at one instant: how many
 * events there were and how long they took; two readings give a window. The functions' calls to one
 * internal endpoint, or any timer of the functions or the edge.
 */
record TimerReading(double count, double seconds, double maxSeconds) {

    /** The functions' HTTP server timer of the endpoints whose path contains {@code path} (e.g. {@code commands/lease-batch}). */
    static TimerReading functionsCalls(int httpPort, String path) throws Exception {
        return functionsCalls(MetricsPage.read(httpPort), path);
    }

    /** The same from a page already read. */
    static TimerReading functionsCalls(MetricsPage page, String path) {
        return of(page, "http_server_requests_seconds", path);
    }

    /** The timer {@code metric} (its {@code _count}, {@code _sum} and {@code _max}) on the lines containing {@code contains}. */
    static TimerReading of(MetricsPage page, String metric, String contains) {
        return new TimerReading(page.sum(metric + "_count", contains), page.sum(metric + "_sum", contains),
                page.max(metric + "_max", contains));
    }

    /** The events since {@code earlier} (the maximum is the timer's, over its last minute). */
    TimerReading since(TimerReading earlier) {
        return new TimerReading(count - earlier.count, seconds - earlier.seconds, maxSeconds);
    }

    double meanMillis() {
        return count == 0 ? 0 : 1e3 * seconds / count;
    }
}
