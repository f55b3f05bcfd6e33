package io.starconsole.otabucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * The OTA bucket's rules, described once in {@code bucket-rules.json} (Terraform's ota_bucket
 * module is checked against it by a test), and applied here to an S3 API bucket as far as the
 * server supports them. s3proxy's filesystem backend answers "not implemented" to versioning,
 * lifecycle, encryption and public-access settings: those are reported as unsupported, not
 * faked. The TLS-only and presigned-reads-only policy needs the bucket ARN: Terraform applies it.
 */
public record BucketRules(
        String objectOwnership,
        boolean blockPublicAccess,
        String cannedAcl,
        String versioning,
        String serverSideEncryption,
        boolean tlsOnly,
        boolean readsOnlyByPresignedUrl,
        int noncurrentVersionExpirationDays,
        int abortIncompleteMultipartUploadDays,
        String releasePrefix,
        int releaseTransitionDays,
        String releaseStorageClass) {

    public static final String RESOURCE = "/bucket-rules.json";

    /** One rule's fate on one server. */
    public record Outcome(String rule, boolean applied, String detail) {
        @Override
        public String toString() {
            return rule + ": " + (applied ? "applied" : "not applied") + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    public static BucketRules load() {
        try (InputStream in = BucketRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            JsonNode r = new ObjectMapper().readTree(in);
            JsonNode lifecycle = r.required("lifecycle");
            JsonNode transition = lifecycle.required("releaseTransition");
            return new BucketRules(
                    r.required("objectOwnership").asText(),
                    r.required("blockPublicAccess").asBoolean(),
                    r.required("cannedAcl").asText(),
                    r.required("versioning").asText(),
                    r.required("serverSideEncryption").asText(),
                    r.required("tlsOnly").asBoolean(),
                    r.required("readsOnlyByPresignedUrl").asBoolean(),
                    lifecycle.required("noncurrentVersionExpirationDays").asInt(),
                    lifecycle.required("abortIncompleteMultipartUploadDays").asInt(),
                    transition.required("prefix").asText(),
                    transition.required("days").asInt(),
                    transition.required("storageClass").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** Creates the bucket when missing, then applies each rule the server accepts. */
    public List<Outcome> applyTo(S3Client s3, String bucket) {
        List<Outcome> outcomes = new ArrayList<>();
        try {
            s3.headBucket(r -> r.bucket(bucket));
            outcomes.add(new Outcome("bucket", true, "exists"));
        } catch (NoSuchBucketException e) {
            s3.createBucket(r -> r.bucket(bucket));
            outcomes.add(new Outcome("bucket", true, "created"));
        }
        outcomes.add(attempt("private (canned ACL " + cannedAcl + ")",
                () -> s3.putBucketAcl(r -> r.bucket(bucket).acl(BucketCannedACL.fromValue(cannedAcl)))));
        outcomes.add(attempt("block public access", () -> s3.putPublicAccessBlock(r -> r.bucket(bucket)
                .publicAccessBlockConfiguration(c -> c.blockPublicAcls(blockPublicAccess)
                        .blockPublicPolicy(blockPublicAccess).ignorePublicAcls(blockPublicAccess)
                        .restrictPublicBuckets(blockPublicAccess)))));
        outcomes.add(attempt("versioning " + versioning, () -> s3.putBucketVersioning(r -> r.bucket(bucket)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.fromValue(versioning))))));
        outcomes.add(attempt("default encryption " + serverSideEncryption, () -> s3.putBucketEncryption(r -> r
                .bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(rule -> rule
                        .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(
                                ServerSideEncryption.fromValue(serverSideEncryption)))
                        .bucketKeyEnabled(true))))));
        outcomes.add(attempt("lifecycle", () -> s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket)
                .lifecycleConfiguration(c -> c.rules(lifecycleRules())))));
        outcomes.add(new Outcome("policy (TLS only, reads by presigned URL only)", false,
                "needs the bucket ARN; Terraform's ota_bucket module applies it"));
        return outcomes;
    }

    List<LifecycleRule> lifecycleRules() {
        return List.of(
                LifecycleRule.builder().id("expire-old-release-versions").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(n -> n.noncurrentDays(noncurrentVersionExpirationDays))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(abortIncompleteMultipartUploadDays))
                        .build(),
                LifecycleRule.builder().id("archive-old-releases").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix(releasePrefix))
                        .transitions(t -> t.days(releaseTransitionDays)
                                .storageClass(TransitionStorageClass.fromValue(releaseStorageClass)))
                        .build());
    }

    private static Outcome attempt(String rule, Runnable call) {
        try {
            call.run();
            return new Outcome(rule, true, "");
        } catch (S3Exception e) {
            if (e.statusCode() == 501 || e.statusCode() == 400 || e.statusCode() == 405) {
                String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                return new Outcome(rule, false, "unsupported by this server: " + e.statusCode() + " " + code);
            }
            throw e;
        }
    }
}
