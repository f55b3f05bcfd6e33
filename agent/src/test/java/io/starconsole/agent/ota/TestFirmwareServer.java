package io.starconsole.agent.ota;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's download endpoint and the object store, on loopback: {@code /ota/v1/download/<token>/}
 * answers {@code manifest.json} and {@code signatures} from a release directory and redirects
 * {@code image.enc} (302) to {@code /store/image.enc}, which honours {@code Range: bytes=<n>-} (206).
 * It records each image request's Range header, and can cut the connection or stall once a given
 * number of image bytes has been sent.
 */
public final class TestFirmwareServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private volatile Path release;
    /** Range header of each image request ("" when none). */
    public final List<String> imageRanges = new CopyOnWriteArrayList<>();
    public final AtomicLong imageBytesSent = new AtomicLong();
    private volatile long cutAfter = -1;
    private volatile long stallAfter = -1;
    private final CountDownLatch releaseStall = new CountDownLatch(1);

    public TestFirmwareServer(Path release) throws IOException {
        this.release = release;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ota/v1/download/", this::download);
        server.createContext("/store/", this::store);
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "test-firmware-server");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public void serve(Path release) {
        this.release = release;
    }

    /** The {@code base} of a lease expansion. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/ota/v1/download/tok3n";
    }

    /** The next image response ends abruptly once {@code bytes} (in total, across responses) were sent. */
    public void cutAfter(long bytes) {
        cutAfter = bytes;
    }

    /** Image responses stop sending once {@code bytes} were sent, until {@link #endStall} (then the connection is cut). */
    public void stallAfter(long bytes) {
        stallAfter = bytes;
    }

    public void endStall() {
        stallAfter = -1;
        releaseStall.countDown();
    }

    private void download(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.equals("image.enc")) {
            exchange.getResponseHeaders().add("Location", "/store/image.enc");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
        }
        Path file = release.resolve(name);
        if (!name.equals("manifest.json") && !name.equals("signatures") || !Files.exists(file)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void store(HttpExchange exchange) throws IOException {
        Path file = release.resolve("image.enc");
        long size = Files.size(file);
        String range = exchange.getRequestHeaders().getFirst("Range");
        imageRanges.add(range == null ? "" : range);
        long from = 0;
        if (range != null) {
            Matcher matcher = RANGE.matcher(range);
            if (matcher.matches()) {
                from = Long.parseLong(matcher.group(1));
            }
        }
        if (from > 0) {
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (size - 1) + "/" + size);
            exchange.sendResponseHeaders(206, size - from);
        } else {
            exchange.sendResponseHeaders(200, size);
        }
        byte[] buffer = new byte[16384];
        try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
            in.skipNBytes(from);
            int read;
            while ((read = in.read(buffer)) > 0) {
                long sent = imageBytesSent.get();
                if (cutAfter >= 0 && sent + read > cutAfter) {
                    cutAfter = -1;
                    exchange.close(); // fewer bytes than announced: the client sees the connection end early
                    return;
                }
                if (stallAfter >= 0 && sent + read > stallAfter) {
                    out.flush();
                    try {
                        releaseStall.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.close();
                    return;
                }
                out.write(buffer, 0, read);
                imageBytesSent.addAndGet(read);
            }
        }
    }

    @Override
    public void close() {
        releaseStall.countDown();
        server.stop(0);
    }
}
