package io.starconsole.bench;

import io.starconsole.launcher.JvmOptions;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built edge ({@code udp-edge/target/quarkus-app/quarkus-run.jar}) run as its own process, as the launcher runs it. */
final class EdgeProcess implements AutoCloseable {

    private final Process process;
    private final int httpPort;

    private EdgeProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * Starts the edge with the launcher's JVM options ({@link JvmOptions#service}) and {@code jvmOptions}
     * (which replace the launcher's collector when they choose one), plus a JFR recording into
     * {@code jfrFile} when it is not null, and waits until it is ready.
     */
    static EdgeProcess start(Path jar, String heap, List<String> jvmOptions, Path jfrFile,
                             Map<String, String> environment, Path log, int httpPort)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = withOptions(JvmOptions.service(java, jar, heap, List.of()).command(), jvmOptions);
        if (jfrFile != null) {
            command.add(1, "-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile,dumponexit=true");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        EdgeProcess edge = new EdgeProcess(builder.start(), httpPort);
        edge.awaitReady(Duration.ofSeconds(90));
        return edge;
    }

    /** {@code command} with {@code options} after the java executable; a collector chosen there replaces the command's. */
    static List<String> withOptions(List<String> command, List<String> options) {
        List<String> result = new ArrayList<>(command);
        if (options.stream().anyMatch(option -> option.matches("-XX:\\+Use\\w+GC"))) {
            result.removeIf(option -> option.matches("-XX:\\+Use\\w+GC"));
        }
        result.addAll(1, options);
        return result;
    }

    long pid() {
        return process.pid();
    }

    /** The edge's Prometheus page now. */
    MetricsPage metrics() throws Exception {
        return MetricsPage.read(httpPort);
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the edge exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("the edge was not ready within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the JFR recording is written on exit
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
