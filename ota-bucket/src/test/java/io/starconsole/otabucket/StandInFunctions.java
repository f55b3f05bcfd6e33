package io.starconsole.otabucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.starconsole.firmware.BucketLayout;
import io.starconsole.firmware.ChunkedCipher;
import io.starconsole.firmware.Manifest;
import io.starconsole.firmware.Sha512;
import io.starconsole.firmware.Signatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A stand-in for the functions' login and {@code POST /api/v1/releases}: it checks the request
 * against the uploaded object (size, encrypted SHA-512, decryption with the release key, plain
 * SHA-512), then signs and stores manifest.json and its .sig as the functions do, and answers 201.
 * Every check that fails becomes a 400 with the reason, and is kept in {@link #failures}.
 */
final class StandInFunctions implements AutoCloseable {

    static final String PASSWORD = "stand-in-password";
    private static final String TOKEN = "stand-in-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    final KeyPair signingKey = Signatures.generateKeyPair();
    final List<String> requests = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    volatile Manifest receivedManifest;
    volatile byte[] receivedManifestBytes;
    volatile byte[] receivedReleaseKey;
    volatile String decryptedPlainSha512;
    volatile String downloadedEncryptedSha512;

    private final HttpServer server;
    private final S3Client s3;
    private final String bucket;

    StandInFunctions(S3Client s3, String bucket) throws IOException {
        this.s3 = s3;
        this.bucket = bucket;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/auth/login", this::login);
        server.createContext("/api/v1/releases", this::release);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String keyId() {
        return Signatures.keyId(signingKey.getPublic());
    }

    private void login(HttpExchange exchange) throws IOException {
        requests.add("login");
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        if (!PASSWORD.equals(body.path("password").asText())) {
            answer(exchange, 401, "{\"error\":\"bad credentials\"}");
            return;
        }
        answer(exchange, 200, "{\"token\":\"" + TOKEN + "\",\"username\":\"admin\",\"role\":\"admin\"}");
    }

    private synchronized void release(HttpExchange exchange) throws IOException {
        requests.add("release");
        try {
            assertThat(exchange.getRequestMethod()).isEqualTo("POST");
            assertThat(exchange.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer " + TOKEN);
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            assertThat(body.size()).isEqualTo(2);
            byte[] manifestBytes = Base64.getDecoder().decode(body.required("manifest").asText());
            byte[] key = Base64.getDecoder().decode(body.required("releaseKey").asText());
            Manifest manifest = Manifest.parse(manifestBytes);
            assertThat(manifest.toCanonicalJson()).isEqualTo(manifestBytes);
            assertThat(key).hasSize(32);
            long stored = s3.headObject(r -> r.bucket(bucket).key(manifest.imageKey())).contentLength();
            assertThat(stored).isEqualTo(manifest.encryptedSize());
            MessageDigest encrypted = Sha512.newDigest();
            MessageDigest plain = Sha512.newDigest();
            try (InputStream object = s3.getObject(r -> r.bucket(bucket).key(manifest.imageKey()));
                 InputStream digesting = new java.security.DigestInputStream(object, encrypted)) {
                ChunkedCipher.decrypt(digesting, new DigestOutputStream(OutputStream.nullOutputStream(), plain), key);
            }
            downloadedEncryptedSha512 = Sha512.hex(encrypted);
            decryptedPlainSha512 = Sha512.hex(plain);
            assertThat(downloadedEncryptedSha512).isEqualTo(manifest.encryptedSha512());
            assertThat(decryptedPlainSha512).isEqualTo(manifest.plainSha512());
            s3.putObject(r -> r.bucket(bucket).key(manifest.manifestKey()), RequestBody.fromBytes(manifestBytes));
            s3.putObject(r -> r.bucket(bucket).key(BucketLayout.signatureKey(manifest.model(), manifest.version(),
                    keyId())), RequestBody.fromBytes(Signatures.sign(manifestBytes, signingKey.getPrivate())));
            receivedManifest = manifest;
            receivedManifestBytes = manifestBytes;
            receivedReleaseKey = key;
            answer(exchange, 201, JSON.writeValueAsString(Map.of(
                    "id", "11111111-2222-3333-4444-555555555555", "model", manifest.model(),
                    "version", manifest.version(), "imageKey", manifest.imageKey(),
                    "manifestKey", manifest.manifestKey(), "signatureKeyIds", List.of(keyId()),
                    "state", "published")));
        } catch (AssertionError | RuntimeException e) {
            failures.add(String.valueOf(e.getMessage()));
            answer(exchange, 400, "{\"error\":\"stand-in check failed\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
