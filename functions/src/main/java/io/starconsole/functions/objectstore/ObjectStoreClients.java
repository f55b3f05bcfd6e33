package io.starconsole.functions.objectstore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;

/** The S3 client and presigner, configured once from {@link ObjectStoreConfig}. */
@ApplicationScoped
public class ObjectStoreClients {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    @Produces
    @ApplicationScoped
    public S3Client s3Client(ObjectStoreConfig config) {
        var builder = S3Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .serviceConfiguration(serviceConfiguration(config))
                // Only what S3 requires: extra checksums are refused by S3-compatible servers.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(CALL_TIMEOUT))
                .httpClient(UrlConnectionHttpClient.create());
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Produces
    @ApplicationScoped
    public S3Presigner presigner(ObjectStoreConfig config) {
        var builder = S3Presigner.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .serviceConfiguration(serviceConfiguration(config));
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes S3Client client) {
        client.close();
    }

    void close(@Disposes S3Presigner presigner) {
        presigner.close();
    }

    private static S3Configuration serviceConfiguration(ObjectStoreConfig config) {
        return S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build();
    }

    private static AwsCredentialsProvider credentials(ObjectStoreConfig config) {
        if (config.accessKey().isPresent() && config.secretKey().isPresent()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
