package io.starconsole.otabucket;

import static org.assertj.core.api.Assertions.assertThat;

import io.starconsole.localcloud.LocalCloud;
import io.starconsole.localcloud.LocalCloudSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.s3.S3Client;

class BucketRulesTest {

    static final Path MODULE = Path.of("..", "terraform", "modules", "ota_bucket");
    static final BucketRules RULES = BucketRules.load();

    @Test
    void load_readsTheDocumentedValues() {
        assertThat(RULES.versioning()).isEqualTo("Enabled");
        assertThat(RULES.noncurrentVersionExpirationDays()).isEqualTo(90);
        assertThat(RULES.releaseTransitionDays()).isEqualTo(90);
        assertThat(RULES.releaseStorageClass()).isEqualTo("STANDARD_IA");
        assertThat(RULES.releasePrefix()).isEqualTo("firmware/");
        assertThat(RULES.lifecycleRules()).hasSize(2);
    }

    @Test
    void applyTo_localCloud_appliesWhatS3proxySupportsAndReportsTheRest(@TempDir Path dir) throws IOException {
        try (LocalCloud cloud = LocalCloud.start(LocalCloudSettings.onFreePorts(dir));
             S3Client s3 = ObjectStores.builder(cloud.objectStoreEndpoint(), "us-east-1", true)
                     .credentialsProvider(() -> AwsBasicCredentials.create(cloud.settings().accessKey(),
                             cloud.settings().secretKey())).build()) {
            List<BucketRules.Outcome> existing = RULES.applyTo(s3, cloud.settings().bucket());
            List<BucketRules.Outcome> created = RULES.applyTo(s3, "star-console-ota-fresh");

            existing.forEach(o -> System.out.println("s3proxy, existing bucket: " + o));
            assertThat(existing.get(0)).isEqualTo(new BucketRules.Outcome("bucket", true, "exists"));
            assertThat(created.get(0)).isEqualTo(new BucketRules.Outcome("bucket", true, "created"));
            assertThat(existing).extracting(BucketRules.Outcome::rule).contains("versioning Enabled", "lifecycle");
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("star-console-ota-fresh");
        }
    }

    @Test
    void terraform_otaBucketModule_usesTheSameValues() throws IOException {
        String main = Files.readString(MODULE.resolve("main.tf"));
        String variables = Files.readString(MODULE.resolve("variables.tf"));
        String root = Files.readString(MODULE.resolve("../../variables.tf"));

        assertThat(value(main, "object_ownership")).isEqualTo("\"" + RULES.objectOwnership() + "\"");
        for (String setting : List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
                "restrict_public_buckets")) {
            assertThat(value(main, setting)).isEqualTo(String.valueOf(RULES.blockPublicAccess()));
        }
        assertThat(value(block(main, "versioning_configuration"), "status")).isEqualTo("\"" + RULES.versioning() + "\"");
        assertThat(value(main, "sse_algorithm")).isEqualTo("\"" + RULES.serverSideEncryption() + "\"");
        assertThat(value(main, "noncurrent_days")).isEqualTo("var.noncurrent_days");
        assertThat(variableDefault(variables, "noncurrent_days")).isEqualTo(String.valueOf(RULES.noncurrentVersionExpirationDays()));
        assertThat(variableDefault(root, "ota_noncurrent_days")).isEqualTo(String.valueOf(RULES.noncurrentVersionExpirationDays()));
        assertThat(value(main, "days_after_initiation")).isEqualTo(String.valueOf(RULES.abortIncompleteMultipartUploadDays()));
        String transition = block(main, "transition");
        assertThat(value(transition, "days")).isEqualTo("var.release_archive_days");
        assertThat(variableDefault(variables, "release_archive_days")).isEqualTo(String.valueOf(RULES.releaseTransitionDays()));
        assertThat(value(transition, "storage_class")).isEqualTo("\"" + RULES.releaseStorageClass() + "\"");
        String policy = Files.readString(MODULE.resolve("bucket-policy.json.tftpl"));
        assertThat(policy).contains("\"aws:SecureTransport\": \"false\"").contains("REST-QUERY-STRING");
    }

    @Test
    void terraform_otaBucketModule_transitionsTheFirmwarePrefix() throws IOException {
        String variables = Files.readString(MODULE.resolve("variables.tf"));

        assertThat(variableDefault(variables, "release_prefix")).isEqualTo("\"" + RULES.releasePrefix() + "\"");
    }

    /** The right-hand side of the first {@code name = value} in the text. */
    static String value(String tf, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + "\\s*=\\s*(.+?)\\s*$").matcher(tf);
        assertThat(m.find()).as(name + " in Terraform").isTrue();
        return m.group(1);
    }

    /** The text of the first block {@code name { ... }} (no nested braces needed here). */
    static String block(String tf, String name) {
        Matcher m = Pattern.compile("(?s)\\b" + Pattern.quote(name) + "\\s*\\{(.*?)}").matcher(tf);
        assertThat(m.find()).as(name + " block in Terraform").isTrue();
        return m.group(1);
    }

    static String variableDefault(String tf, String variable) {
        Matcher m = Pattern.compile("(?s)variable\\s+\"" + Pattern.quote(variable) + "\"\\s*\\{(.*?)\\n}").matcher(tf);
        assertThat(m.find()).as("variable " + variable).isTrue();
        return value(m.group(1), "default");
    }
}
