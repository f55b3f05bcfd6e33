package io.starconsole.deploy;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OTA bucket's settings from terraform/modules/ota_bucket applied to a LocalStack S3 (where
 * Docker runs; skipped elsewhere): the very same bucket policy file, versioning, encryption and
 * the public access block, and a firmware object read back through a presigned URL as a box
 * would. LocalStack's community edition does not enforce bucket policies, so the denials are
 * checked structurally by {@link TerraformConventionsTest}; presigned reads are also covered by the
 * local cloud's s3proxy tests.
 */
@Testcontainers(disabledWithoutDocker = true)
class OtaBucketLocalStackTest {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices("s3");

    private final TerraformSources sources = TerraformSources.fromSystemProperty();

    @Test
    void bucket_withTheModulesSettings_servesFirmwareThroughAPresignedUrl() throws Exception {
        String bucket = "star-console-ota-test";
        try (S3Client s3 = client(); S3Presigner presigner = presigner()) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putPublicAccessBlock(b -> b.bucket(bucket).publicAccessBlockConfiguration(c -> c
                    .blockPublicAcls(true).blockPublicPolicy(true).ignorePublicAcls(true).restrictPublicBuckets(true)));
            s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
            String policy = Files.readString(sources.module("ota_bucket").resolve("bucket-policy.json.tftpl"))
                    .replace("${bucket_arn}", "arn:aws:s3:::" + bucket)
                    .replace("${max_signature_age_ms}", "3600000");
            s3.putBucketPolicy(b -> b.bucket(bucket).policy(policy));

            assertThat(s3.getBucketVersioning(b -> b.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.ENABLED);
            assertThat(s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration().restrictPublicBuckets()).isTrue();
            assertThat(s3.getBucketPolicy(b -> b.bucket(bucket)).policy()).contains("REST-QUERY-STRING");

            s3.putObject(b -> b.bucket(bucket).key("firmware/spnbox/1.0.0/image.enc"), RequestBody.fromString("firmware"));
            URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket(bucket).key("firmware/spnbox/1.0.0/image.enc"))).url().toURI();
            HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
            assertThat(connection.getResponseCode()).isEqualTo(200);
            try (InputStream in = connection.getInputStream()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("firmware");
            }
        }
    }

    private static S3Client client() {
        return S3Client.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(LOCALSTACK.getEndpoint())
                .region(Region.of(LOCALSTACK.getRegion()))
                .credentialsProvider(credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
    }
}
