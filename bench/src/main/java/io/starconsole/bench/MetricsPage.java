package io.starconsole.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** One reading of a Quarkus process's Prometheus page ({@code /q/metrics}): functions or edge. */
record MetricsPage(List<String> lines) {

    static MetricsPage read(int httpPort) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new MetricsPage(List.of(response.body().split("\n")));
    }

    /** The sum of the samples named {@code name} (any labels) whose line contains {@code contains}. */
    double sum(String name, String contains) {
        double sum = 0;
        for (String line : lines) {
            if (line.startsWith(name) && (line.length() == name.length() || line.charAt(name.length()) == '{'
                    || line.charAt(name.length()) == ' ') && line.contains(contains)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The largest of those samples (0 when none). */
    double max(String name, String contains) {
        double max = 0;
        for (String line : lines) {
            if (line.startsWith(name + "{") && line.contains(contains)) {
                max = Math.max(max, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return max;
    }
}
