package io.starconsole.otabucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starconsole.firmware.BucketLayout;
import io.starconsole.firmware.ChunkedCipher;
import io.starconsole.firmware.Sha512;
import io.starconsole.firmware.Signatures;
import io.starconsole.localcloud.LocalCloud;
import io.starconsole.localcloud.LocalCloudSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/** The publisher against the real local cloud (s3proxy) and a stand-in for the functions. */
class PublisherTest {

    @TempDir
    static Path cloudDirectory;
    static LocalCloud cloud;
    static S3Client s3;
    static StandInFunctions functions;

    @TempDir
    Path work;

    @BeforeAll
    static void startCloud() throws IOException {
        cloud = LocalCloud.start(LocalCloudSettings.onFreePorts(cloudDirectory));
        s3 = client(List.of());
        functions = new StandInFunctions(s3, bucket());
    }

    @AfterAll
    static void stopCloud() throws IOException {
        functions.close();
        s3.close();
        cloud.close();
    }

    @BeforeEach
    void emptyBucket() {
        // Deepest keys first: s3proxy's file system store keeps a directory key ("a/b/") as a
        // directory, and removing one that still holds files retries for 10 s before it gives up.
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(bucket())).contents()) {
            keys.add(o.key());
        }
        keys.sort(java.util.Comparator.reverseOrder());
        for (String key : keys) {
            s3.deleteObject(r -> r.bucket(bucket()).key(key));
        }
        functions.requests.clear();
        functions.failures.clear();
    }

    static String bucket() {
        return cloud.settings().bucket();
    }

    static S3Client client(List<ExecutionInterceptor> interceptors) {
        return ObjectStores.builder(cloud.objectStoreEndpoint(), "us-east-1", true)
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        cloud.settings().accessKey(), cloud.settings().secretKey()))
                .overrideConfiguration(c -> c.executionInterceptors(interceptors))
                .build();
    }

    static List<String> args(Path image, String model, String version, String... more) {
        List<String> args = new ArrayList<>(List.of("--image", image.toString(), "--model", model,
                "--version", version, "--url", functions.url().toString(), "--user", "admin",
                "--s3-endpoint", cloud.objectStoreEndpoint().toString(), "--bucket", bucket(),
                "--access-key", cloud.settings().accessKey(), "--secret-key", cloud.settings().secretKey(),
                "--region", "us-east-1", "--path-style"));
        args.addAll(List.of(more));
        return args;
    }

    record Run(int code, String out, String err) {
    }

    static Run publish(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Publisher(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of(Publisher.PASSWORD_VARIABLE, StandInFunctions.PASSWORD), null, Publisher::defaultClient)
                .run(args.toArray(String[]::new));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path randomFile(Path dir, String name, long size, long seed) throws IOException {
        Path file = dir.resolve(name);
        Random random = new Random(seed);
        byte[] block = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    static String storedSha512(String key) throws IOException {
        try (var in = s3.getObject(r -> r.bucket(bucket()).key(key))) {
            return Sha512.hex(in);
        }
    }

    @Test
    void publish_smallImage_uploadsImageAndPostsAManifestWhoseHashesMatch() throws Exception {
        Path image = randomFile(work, "fw.bin", 3 * ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES + 17, 1);

        Run run = publish(args(image, "spnbox-1", "1.2.3", "--compatible", "spnbox-0,spnbox-1"));

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(functions.failures).isEmpty();
        assertThat(functions.requests).containsExactly("login", "release");
        var manifest = functions.receivedManifest;
        assertThat(manifest.plainSha512()).isEqualTo(Sha512.hex(image));
        assertThat(manifest.plainSize()).isEqualTo(Files.size(image));
        assertThat(manifest.encryptedSha512()).isEqualTo(storedSha512(manifest.imageKey()));
        assertThat(manifest.compatibleModels()).containsExactly("spnbox-1", "spnbox-0");
        assertThat(manifest.imageKey()).isEqualTo("firmware/spnbox-1/1.2.3/image.enc");
        assertThat(run.out()).contains("release 11111111-2222-3333-4444-555555555555 published",
                "manifest:  firmware/spnbox-1/1.2.3/manifest.json",
                "signature: firmware/spnbox-1/1.2.3/manifest.json." + functions.keyId() + ".sig",
                "uploaded 100%", "in 1 parts");
        System.out.println(run.out());
    }

    @Test
    void publish_emptyImage_isARelease() throws Exception {
        Path image = Files.write(work.resolve("empty.bin"), new byte[0]);

        Run run = publish(args(image, "spnbox-1", "0.0.1"));

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(functions.receivedManifest.encryptedSize()).isEqualTo(
                ChunkedCipher.HEADER_SIZE_IN_BYTES + ChunkedCipher.TAG_SIZE_IN_BYTES);
    }

    @Test
    void publish_sameVersionTwice_isRefusedBeforeUploadingAgain() throws Exception {
        Path image = randomFile(work, "fw.bin", 1000, 2);
        assertThat(publish(args(image, "spnbox-1", "2.0.0")).code()).isZero();
        String firstImageSha = storedSha512(BucketLayout.imageKey("spnbox-1", "2.0.0"));

        Run again = publish(args(image, "spnbox-1", "2.0.0"));

        assertThat(again.code()).isEqualTo(Publisher.FAILURE);
        assertThat(again.err()).contains("already published");
        assertThat(storedSha512(BucketLayout.imageKey("spnbox-1", "2.0.0"))).isEqualTo(firstImageSha);
    }

    @Test
    void publish_badModelName_exits2BeforeAnyRequest() throws Exception {
        Path image = randomFile(work, "fw.bin", 1000, 3);

        Run traversal = publish(args(image, "../etc", "1.0.0"));
        Run upper = publish(args(image, "SpnBox", "1.0.0"));
        Run badVersion = publish(args(image, "spnbox-1", "1.0/../../x"));
        Run badCompatible = publish(args(image, "spnbox-1", "1.0.0", "--compatible", "ok,Bad/Model"));
        Run missingImage = publish(args(work.resolve("missing.bin"), "spnbox-1", "1.0.0"));

        for (Run run : List.of(traversal, upper, badVersion, badCompatible, missingImage)) {
            assertThat(run.code()).as(run.err()).isEqualTo(Publisher.USAGE);
            assertThat(run.err()).contains("usage: star-console-publish");
        }
        assertThat(functions.requests).isEmpty();
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket())).contents()).isEmpty();
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket())).uploads()).isEmpty();
    }

    @Test
    void publish_wrongPassword_failsBeforeUploading() throws Exception {
        Path image = randomFile(work, "fw.bin", 1000, 4);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Publisher(new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err),
                Map.of(Publisher.PASSWORD_VARIABLE, "wrong"), null, Publisher::defaultClient)
                .run(args(image, "spnbox-1", "1.0.0").toArray(String[]::new));

        assertThat(code).isEqualTo(Publisher.FAILURE);
        assertThat(err.toString()).contains("401");
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket())).contents()).isEmpty();
    }

    @Test
    void upload_s3FailsOnTheSecondPart_abortsTheMultipartUpload() throws Exception {
        Path image = randomFile(work, "fw.bin", 20L * 1024 * 1024, 5);
        List<String> aborted = new ArrayList<>();
        ExecutionInterceptor failSecondPart = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UploadPartRequest part && part.partNumber() == 2) {
                    throw new IllegalStateException("injected S3 failure on part 2");
                }
                if (context.request() instanceof AbortMultipartUploadRequest abort) {
                    aborted.add(abort.uploadId());
                }
            }
        };
        String key = BucketLayout.imageKey("spnbox-1", "3.0.0");

        try (S3Client failing = client(List.of(failSecondPart))) {
            assertThatThrownBy(() -> ImageUpload.upload(failing, bucket(), key, image, ChunkedCipher.newKey(),
                    ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES, done -> { }))
                    .hasMessageContaining("injected S3 failure");
        }

        assertThat(aborted).hasSize(1);
        assertThat(s3.listMultipartUploads(r -> r.bucket(bucket())).uploads()).isEmpty();
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket(bucket()).key(key)))
                .isInstanceOf(NoSuchKeyException.class);
    }

    @Test
    void publish_64MegabyteImage_inAJvmWith64MegabyteHeap_usesSeveralParts() throws Exception {
        long size = 64L * 1024 * 1024;
        Path image = randomFile(work, "big.bin", size, 6);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), MeasuredPublish.class.getName()));
        command.addAll(args(image, "spnbox-1", "4.0.0"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(Publisher.PASSWORD_VARIABLE, StandInFunctions.PASSWORD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(functions.failures).isEmpty();
        Matcher parts = Pattern.compile("in (\\d+) parts").matcher(output);
        assertThat(parts.find()).as(output).isTrue();
        int partCount = Integer.parseInt(parts.group(1));
        long encryptedSize = ChunkedCipher.encryptedSize(size, ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES);
        assertThat(partCount).isEqualTo((int) ((encryptedSize + ImageUpload.PART_SIZE_IN_BYTES - 1)
                / ImageUpload.PART_SIZE_IN_BYTES)).isGreaterThan(1);
        assertThat(functions.receivedManifest.plainSha512()).isEqualTo(Sha512.hex(image));
        assertThat(functions.receivedManifest.encryptedSha512()).isEqualTo(storedSha512(functions.receivedManifest.imageKey()));
        Matcher heap = Pattern.compile("HEAP max=(\\d+) before=(\\d+) sampledPeak=(\\d+) poolPeakSum=(\\d+)").matcher(output);
        assertThat(heap.find()).as(output).isTrue();
        long max = Long.parseLong(heap.group(1));
        long peak = Long.parseLong(heap.group(3));
        assertThat(max).isLessThanOrEqualTo(64L * 1024 * 1024);
        assertThat(peak).isLessThan(max);
        System.out.printf("64 MiB image: %d parts; heap max %.1f MiB, used before %.1f MiB, sampled peak %.1f MiB,"
                        + " sum of heap pool peaks %.1f MiB%n", partCount, max / 1048576.0,
                Long.parseLong(heap.group(2)) / 1048576.0, peak / 1048576.0, Long.parseLong(heap.group(4)) / 1048576.0);
    }

    @Test
    void storedRelease_checksWithStandardTools_opensslAndSha512sum() throws Exception {
        Path image = randomFile(work, "fw.bin", 200_000, 7);
        assertThat(publish(args(image, "spnbox-1", "5.0.0")).code()).isZero();
        if (!StandardTools.available("openssl", "version") || !StandardTools.available("sha512sum", "--version")) {
            System.out.println("NOTICE: openssl or sha512sum not found: standard-tool checks skipped");
            return;
        }
        String prefix = BucketLayout.releasePrefix("spnbox-1", "5.0.0");
        Path dir = Files.createDirectories(work.resolve("check"));
        String sigName = "manifest.json." + functions.keyId() + ".sig";
        for (String name : List.of("manifest.json", sigName, "image.enc")) {
            s3.getObject(r -> r.bucket(bucket()).key(prefix + name), ResponseTransformer.toFile(dir.resolve(name)));
        }
        Files.writeString(dir.resolve("pub.pem"), Signatures.publicKeyPem(functions.signingKey.getPublic()));

        StandardTools.Result verified = StandardTools.run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                "pub.pem", "-rawin", "-in", "manifest.json", "-sigfile", sigName);
        StandardTools.Result sum = StandardTools.run(dir, "sha512sum", "image.enc");
        Files.writeString(dir.resolve("manifest.json"), Files.readString(dir.resolve("manifest.json"))
                .replace("\"5.0.0\"", "\"5.0.1\""));
        StandardTools.Result tampered = StandardTools.run(dir, "openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                "pub.pem", "-rawin", "-in", "manifest.json", "-sigfile", sigName);

        assertThat(verified.code()).as(verified.output()).isZero();
        assertThat(verified.output()).contains("Signature Verified Successfully");
        assertThat(sum.output()).startsWith(functions.receivedManifest.encryptedSha512() + "  image.enc");
        assertThat(tampered.code()).isNotZero();
        System.out.println("openssl: " + verified.output().strip() + "; sha512sum matches encryptedSha512;"
                + " changed manifest: " + tampered.output().strip());
    }
}
