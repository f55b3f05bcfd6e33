package io.starconsole.functions.objectstore;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import software.amazon.awssdk.services.s3.S3Client;

/** Ready only when the firmware bucket answers. */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    static final String NAME = "object store";

    private final S3Client s3;
    private final ObjectStoreConfig config;

    public ObjectStoreHealthCheck(S3Client s3, ObjectStoreConfig config) {
        this.s3 = s3;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).withData("bucket", config.bucket());
        try {
            s3.headBucket(b -> b.bucket(config.bucket()));
            return response.up().build();
        } catch (RuntimeException e) {
            return response.down().withData("reason", e.getClass().getSimpleName()).build();
        }
    }
}
