package io.starconsole.agent.ota;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * Plain HTTP GETs of one release's files from {@code <base>/<name>} (docs/ota.md, section 6),
 * following redirects (image.enc answers 302 to the object store). The image is appended to a
 * partial file; a partial file left by an earlier attempt is resumed with {@code Range: bytes=<n>-}.
 * Nothing is held in memory but one buffer.
 */
final class ReleaseDownload {

    static final int MAX_SMALL_FILE_BYTES = 64 * 1024;
    private static final int BUFFER_SIZE_IN_BYTES = 64 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    /** Made at the first download: an HTTP client holds a selector thread and descriptors, and most boxes rarely update. */
    private HttpClient client;

    ReleaseDownload() {
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL) // every redirect but https -> http
                    .connectTimeout(CONNECT_TIMEOUT)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        return client;
    }

    /** A small file (manifest, signatures), at most {@value #MAX_SMALL_FILE_BYTES} bytes. */
    byte[] small(URI uri) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = client().send(request(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            requireStatus(response, 200);
            byte[] bytes = body.readNBytes(MAX_SMALL_FILE_BYTES + 1);
            if (bytes.length > MAX_SMALL_FILE_BYTES) {
                throw new IOException(name(uri) + " is larger than " + MAX_SMALL_FILE_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Downloads {@code uri} into {@code part} until it holds {@code expectedSize} bytes, resuming
     * from what {@code part} already holds. {@code progress} hears the byte count as it grows.
     *
     * @return true if the download resumed a partial file (a Range request was sent)
     */
    boolean image(URI uri, Path part, long expectedSize, LongConsumer progress) throws IOException, InterruptedException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > expectedSize) {
            Files.delete(part); // not this release's image: start again
            have = 0;
        }
        if (have == expectedSize) {
            progress.accept(have);
            return false;
        }
        HttpRequest.Builder request = request(uri);
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = client().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        boolean resumed = false;
        try (InputStream body = response.body()) {
            if (have > 0 && response.statusCode() == 206) {
                resumed = true;
                String range = response.headers().firstValue("Content-Range").orElse("");
                if (!range.startsWith("bytes " + have + "-")) {
                    throw new IOException("image.enc: the server answered range '" + range + "' to bytes=" + have + "-");
                }
            } else {
                requireStatus(response, 200); // a server without Range support sends it whole
                have = 0;
            }
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[BUFFER_SIZE_IN_BYTES];
                int read;
                while ((read = body.read(buffer)) > 0) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("download interrupted");
                    }
                    if (have + read > expectedSize) {
                        throw new IOException("image.enc is larger than the manifest's " + expectedSize + " bytes");
                    }
                    out.write(buffer, 0, read);
                    have += read;
                    progress.accept(have);
                }
            }
        }
        if (have != expectedSize) {
            throw new IOException("image.enc: connection ended after " + have + " of " + expectedSize + " bytes");
        }
        return resumed;
    }

    private static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET();
    }

    private static void requireStatus(HttpResponse<?> response, int expected) throws IOException {
        if (response.statusCode() != expected) {
            throw new IOException(name(response.uri()) + ": HTTP " + response.statusCode());
        }
    }

    /** The file name only: the download URL holds the token, which is a credential. */
    private static String name(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
