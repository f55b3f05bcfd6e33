package io.starconsole.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny stand-in for the functions' internal API, so the edge can be loaded on its own: every
 * registration (single or batched) is accepted with a fresh address (OK_NEWIP), presence batches are accepted and
 * COUNTED (calls and heartbeats), no box ever has work. Nothing is stored.
 */
final class FunctionsStandIn implements AutoCloseable {

    private static final byte[] PUBLIC_KEY_FIELD = "\"publicKey\"".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK_BYTES = 16 * 1024;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong presenceCalls = new AtomicLong();
    private final AtomicLong heartbeats = new AtomicLong();
    private final AtomicLong otherCalls = new AtomicLong();

    FunctionsStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/internal/v1/", this::answer);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/internal/v1/".length());
        int keys = countPublicKeys(exchange.getRequestBody());
        String answer;
        switch (path) {
            case "register" -> answer = accepted(registrations.incrementAndGet());
            case "register-batch" -> answer = acceptedBatch(keys);
            case "presence" -> {
                presenceCalls.incrementAndGet();
                heartbeats.addAndGet(keys);
                answer = "{\"accepted\":" + keys + ",\"boxesWithWork\":[]}";
            }
            case "commands/pending" -> {
                otherCalls.incrementAndGet();
                answer = "{\"cursor\":\"\",\"boxes\":[]}";
            }
            default -> {
                otherCalls.incrementAndGet();
                answer = null;
            }
        }
        if (answer == null) {
            exchange.sendResponseHeaders(204, -1);
        } else {
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    /** The answer to the n-th registration: accepted with its own address. */
    static String accepted(long n) {
        return "{\"outcome\":\"OK_NEWIP\",\"boxId\":" + n + ",\"spnIp\":\"" + address(n)
                + "\",\"mask\":\"8\",\"commandsPending\":false}";
    }

    /** The answer to a register-batch of {@code count} HELLOs, one accepted registration each, in order. */
    String acceptedBatch(int count) {
        StringBuilder answer = new StringBuilder("{\"results\":[");
        for (int i = 0; i < count; i++) {
            answer.append(i == 0 ? "" : ",").append(accepted(registrations.incrementAndGet()));
        }
        return answer.append("]}").toString();
    }

    /** 10.0.0.1, 10.0.0.2, ...: distinct for the first 16 million boxes. */
    static String address(long n) {
        return "10." + ((n >> 16) & 0xFF) + "." + ((n >> 8) & 0xFF) + "." + (n & 0xFF);
    }

    /**
     * How many {@code "publicKey"} fields a request body holds, read and scanned a small chunk at a
     * time. A presence call of 5,000 heartbeats is 700 KB, and the stand-in shares the cores with the
     * generator and the edge: read and scanned at once it held a core for 2.4 ms, which the
     * scheduler let run while the generator's and the edge's threads waited (bench/RESULTS.md,
     * session 11).
     */
    static int countPublicKeys(InputStream body) throws IOException {
        byte[] pattern = PUBLIC_KEY_FIELD;
        byte[] window = new byte[CHUNK_BYTES + pattern.length];
        int count = 0;
        int carried = 0; // the previous chunk's last bytes, which may start a match
        int read;
        while ((read = body.readNBytes(window, carried, CHUNK_BYTES)) > 0) {
            int filled = carried + read;
            int last = filled - pattern.length;
            int i = 0;
            for (; i <= last; i++) {
                if (window[i] == pattern[0] && Arrays.equals(window, i, i + pattern.length, pattern, 0, pattern.length)) {
                    count++;
                    i += pattern.length - 1;
                }
            }
            carried = filled - i;
            System.arraycopy(window, filled - carried, window, 0, carried);
            if (read < CHUNK_BYTES) {
                break;
            }
            Thread.yield();
        }
        return count;
    }

    long registrations() {
        return registrations.get();
    }

    long presenceCalls() {
        return presenceCalls.get();
    }

    long heartbeats() {
        return heartbeats.get();
    }

    long otherCalls() {
        return otherCalls.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
