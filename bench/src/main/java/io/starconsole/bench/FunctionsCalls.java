package io.starconsole.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The functions' HTTP server timer for one internal endpoint ({@code /q/metrics}), read at one
 * instant: how many calls there were and how long they took; two readings give a window.
 */
record FunctionsCalls(double count, double seconds, double maxSeconds) {

    /** The timer of the endpoints whose path contains {@code path} (e.g. {@code commands/lease-batch}). */
    static FunctionsCalls read(int httpPort, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        double count = 0;
        double sum = 0;
        double max = 0;
        for (String line : response.body().split("\n")) {
            if (!line.startsWith("http_server_requests_seconds") || !line.contains(path)) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("http_server_requests_seconds_count")) {
                count += value;
            } else if (line.startsWith("http_server_requests_seconds_sum")) {
                sum += value;
            } else if (line.startsWith("http_server_requests_seconds_max")) {
                max = Math.max(max, value);
            }
        }
        return new FunctionsCalls(count, sum, max);
    }

    /** The calls since {@code earlier} (the maximum is the timer's, over its last minute). */
    FunctionsCalls since(FunctionsCalls earlier) {
        return new FunctionsCalls(count - earlier.count, seconds - earlier.seconds, maxSeconds);
    }

    double meanMillis() {
        return count == 0 ? 0 : 1e3 * seconds / count;
    }
}
