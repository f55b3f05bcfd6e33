package io.starconsole.functions.ota;

import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.objectstore.ObjectStoreClients;
import io.starconsole.functions.objectstore.ObjectStoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A firmware bucket that does not answer is the object store's failure (502
 * {@code object_store_unavailable}), never a raw SDK error, which the API's last-resort mapper would
 * tell by its socket cause as the database's.
 */
class ReleaseStorageUnreachableTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private S3Client s3;
    private S3Presigner presigner;
    private ReleaseStorage storage;

    @BeforeEach
    void storeOnAClosedPort() throws Exception {
        int closedPort;
        try (ServerSocket free = new ServerSocket(0)) {
            closedPort = free.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + closedPort);
        ObjectStoreConfig config = new ObjectStoreConfig() {
            @Override
            public Optional<URI> endpoint() {
                return Optional.of(endpoint);
            }

            @Override
            public String bucket() {
                return "star-console-ota";
            }

            @Override
            public String region() {
                return "us-east-1";
            }

            @Override
            public boolean pathStyle() {
                return true;
            }

            @Override
            public Optional<String> accessKey() {
                return Optional.of("k");
            }

            @Override
            public Optional<String> secretKey() {
                return Optional.of("s");
            }
        };
        ObjectStoreClients clients = new ObjectStoreClients();
        s3 = clients.s3Client(config);
        presigner = clients.presigner(config);
        storage = new ReleaseStorage(s3, presigner, config);
    }

    @AfterEach
    void close() {
        s3.close();
        presigner.close();
    }

    @Test
    void size_ofAnUnreachableStore_isTheStoresFailure() {
        assertThatThrownBy(() -> storage.size("releases/1/image.enc").await().atMost(WAIT))
                .isInstanceOfSatisfying(ApiException.class, refused -> {
                    assertThat(refused.status().getStatusCode()).isEqualTo(502);
                    assertThat(refused.code()).isEqualTo("object_store_unavailable");
                });
    }

    @Test
    void put_toAnUnreachableStore_isTheStoresFailure() {
        assertThatThrownBy(() -> storage.put(Map.of("releases/1/manifest.json", new byte[] {1}), "application/json")
                .await().atMost(WAIT))
                .isInstanceOfSatisfying(ApiException.class, refused ->
                        assertThat(refused.code()).isEqualTo("object_store_unavailable"));
    }
}
