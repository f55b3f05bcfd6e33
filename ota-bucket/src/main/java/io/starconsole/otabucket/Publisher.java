package io.starconsole.otabucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.starconsole.firmware.BucketLayout;
import io.starconsole.firmware.ChunkedCipher;
import io.starconsole.firmware.Manifest;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code star-console-publish}: encrypts a firmware image with a fresh release key, uploads
 * {@code image.enc} by multipart upload, and has the functions sign and record the release
 * (docs/ota.md). Exit codes: 0 published, 1 failure, 2 usage.
 */
public final class Publisher {

    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final String PASSWORD_VARIABLE = "STAR_CONSOLE_PASSWORD";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Console console;
    private final Function<PublishOptions, S3Client> s3Clients;

    public Publisher(PrintStream out, PrintStream err, Map<String, String> env, Console console,
                     Function<PublishOptions, S3Client> s3Clients) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.console = console;
        this.s3Clients = s3Clients;
    }

    public static void main(String[] args) {
        System.exit(new Publisher(System.out, System.err, System.getenv(), System.console(), Publisher::defaultClient)
                .run(args));
    }

    static S3Client defaultClient(PublishOptions o) {
        return ObjectStores.client(o.s3Endpoint(), o.region(), o.pathStyle(),
                o.accessKey().orElse(null), o.secretKey().orElse(null));
    }

    public int run(String[] args) {
        PublishOptions options;
        try {
            options = PublishOptions.parse(args);
        } catch (PublishOptions.UsageException e) {
            err.println("star-console-publish: " + e.getMessage());
            err.println(PublishOptions.USAGE);
            return USAGE;
        }
        char[] password = password(options.user());
        if (password == null) {
            err.println("star-console-publish: no password: set " + PASSWORD_VARIABLE + " or run on a terminal");
            return FAILURE;
        }
        byte[] releaseKey = ChunkedCipher.newKey();
        try (S3Client s3 = s3Clients.apply(options)) {
            return publish(options, password, releaseKey, s3);
        } catch (IOException | SdkException | IllegalArgumentException e) {
            err.println("star-console-publish: failed: " + e.getMessage());
            return FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("star-console-publish: interrupted");
            return FAILURE;
        } finally {
            Arrays.fill(password, '\0');
            Arrays.fill(releaseKey, (byte) 0);
        }
    }

    private int publish(PublishOptions o, char[] password, byte[] releaseKey, S3Client s3)
            throws IOException, InterruptedException {
        FunctionsClient functions = new FunctionsClient(o.functionsUrl());
        functions.login(o.user(), password);
        String imageKey = BucketLayout.imageKey(o.model(), o.version());
        String manifestKey = BucketLayout.manifestKey(o.model(), o.version());
        if (exists(s3, o.bucket(), manifestKey)) {
            err.println("star-console-publish: " + o.model() + " " + o.version() + " is already published ("
                    + manifestKey + "); publish a new version");
            return FAILURE;
        }
        long size = Files.size(o.image());
        out.println("encrypting and uploading " + o.image() + " (" + size + " bytes) to s3://" + o.bucket() + "/"
                + imageKey);
        Progress progress = Progress.forOutput(out, size, console != null);
        ImageUpload.Result uploaded = ImageUpload.upload(s3, o.bucket(), imageKey, o.image(), releaseKey,
                ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES, progress::update);
        progress.finish();
        out.println("uploaded " + uploaded.encryptedSize() + " bytes in " + uploaded.parts() + " parts");
        Manifest manifest = Manifest.of(o.model(), o.version(), uploaded.plainSize(), uploaded.plainSha512(),
                uploaded.encryptedSize(), uploaded.encryptedSha512(), ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), o.compatibleModels());
        JsonNode release;
        try {
            release = functions.publishRelease(manifest.toCanonicalJson(), releaseKey);
        } catch (IOException e) {
            err.println("star-console-publish: the image is uploaded as s3://" + o.bucket() + "/" + imageKey
                    + " but the release was not recorded");
            throw e;
        }
        out.println("release " + release.path("id").asText() + " published: " + o.model() + " " + o.version());
        out.println("plain sha512:     " + uploaded.plainSha512());
        out.println("encrypted sha512: " + uploaded.encryptedSha512());
        out.println("image:     " + release.path("imageKey").asText(imageKey));
        out.println("manifest:  " + release.path("manifestKey").asText(manifestKey));
        for (JsonNode keyId : release.path("signatureKeyIds")) {
            out.println("signature: " + BucketLayout.signatureKey(o.model(), o.version(), keyId.asText())
                    + " (key id " + keyId.asText() + ")");
        }
        return OK;
    }

    private char[] password(String user) {
        String fromEnv = env.get(PASSWORD_VARIABLE);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return fromEnv.toCharArray();
        }
        return console == null ? null : console.readPassword("password for %s: ", user);
    }

    private static boolean exists(S3Client s3, String bucket, String key) {
        try {
            s3.headObject(r -> r.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
