package io.starconsole.functions.ota;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.starconsole.functions.error.ApiException;
import io.starconsole.functions.objectstore.ObjectStoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The firmware bucket as releases use it: the image's size, the manifest and signatures written next
 * to it, presigned GET URLs. The S3 client blocks, so its calls run on the worker pool.
 */
@ApplicationScoped
public class ReleaseStorage {

    private static final int NOT_FOUND = 404;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final ObjectStoreConfig config;

    public ReleaseStorage(S3Client s3, S3Presigner presigner, ObjectStoreConfig config) {
        this.s3 = s3;
        this.presigner = presigner;
        this.config = config;
    }

    /** The stored object's size, or null when there is none. */
    public Uni<Long> size(String key) {
        return blocking(() -> {
            try {
                return s3.headObject(b -> b.bucket(config.bucket()).key(key)).contentLength();
            } catch (NoSuchKeyException e) {
                return null;
            } catch (SdkException e) {
                if (e instanceof S3Exception answered && answered.statusCode() == NOT_FOUND) {
                    return null;
                }
                // Any other answer, or none (unreachable, timed out): the store's failure, never to be
                // told as the database's by its socket cause (ErrorMappers).
                throw unavailable();
            }
        });
    }

    /** Writes small objects (manifest, signatures), in order. */
    public Uni<Void> put(Map<String, byte[]> objects, String contentType) {
        return blocking(() -> {
            try {
                objects.forEach((key, bytes) -> s3.putObject(b -> b.bucket(config.bucket()).key(key)
                        .contentType(contentType), RequestBody.fromBytes(bytes)));
                return null;
            } catch (RuntimeException e) {
                throw unavailable();
            }
        });
    }

    /** A GET URL of the object valid for {@code ttl}: the box fetches the image from the store itself. */
    public URI presignedGet(String key, Duration ttl) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(config.bucket()).key(key))).url().toString());
    }

    private static ApiException unavailable() {
        return new ApiException(Response.Status.BAD_GATEWAY, "object_store_unavailable",
                "the firmware bucket did not answer; try again", null);
    }

    private static <T> Uni<T> blocking(Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
