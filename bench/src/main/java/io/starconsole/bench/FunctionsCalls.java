package io.starconsole.bench;

/**
 * The functions' HTTP server timer for one internal endpoint ({@code /q/metrics}), read at one
 * instant: how many calls there were and how long they took; two readings give a window.
 */
record FunctionsCalls(double count, double seconds, double maxSeconds) {

    /** The timer of the endpoints whose path contains {@code path} (e.g. {@code commands/lease-batch}). */
    static FunctionsCalls read(int httpPort, String path) throws Exception {
        return of(MetricsPage.read(httpPort), path);
    }

    /** The same from a page already read. */
    static FunctionsCalls of(MetricsPage page, String path) {
        return new FunctionsCalls(page.sum("http_server_requests_seconds_count", path),
                page.sum("http_server_requests_seconds_sum", path),
                page.max("http_server_requests_seconds_max", path));
    }

    /** The calls since {@code earlier} (the maximum is the timer's, over its last minute). */
    FunctionsCalls since(FunctionsCalls earlier) {
        return new FunctionsCalls(count - earlier.count, seconds - earlier.seconds, maxSeconds);
    }

    double meanMillis() {
        return count == 0 ? 0 : 1e3 * seconds / count;
    }
}
