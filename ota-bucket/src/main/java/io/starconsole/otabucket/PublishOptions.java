package io.starconsole.otabucket;

import io.starconsole.firmware.BucketLayout;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The publisher's command line, checked before anything is read, uploaded or asked for. */
public record PublishOptions(
        Path image,
        String model,
        String version,
        List<String> compatibleModels,
        URI functionsUrl,
        String user,
        URI s3Endpoint,
        String bucket,
        String region,
        boolean pathStyle,
        Optional<String> accessKey,
        Optional<String> secretKey) {

    public static final String USAGE = """
            usage: star-console-publish --image FILE --model M --version V [--compatible m1,m2]
                     [--url http://localhost:8080] [--user admin]
                     [--s3-endpoint http://127.0.0.1:19000] [--bucket star-console-ota]
                     [--access-key KEY --secret-key SECRET] [--region us-east-1] [--path-style]
              The password is read from STAR_CONSOLE_PASSWORD, else asked without echo.
              Without --access-key/--secret-key the default AWS credential chain is used.
              Exit codes: 0 published, 1 failure, 2 usage.""";

    /** A command line that cannot be used: exit code 2. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    public static PublishOptions parse(String[] args) throws UsageException {
        Map<String, String> values = new java.util.HashMap<>();
        boolean pathStyle = false;
        Set<String> withValue = Set.of("--image", "--model", "--version", "--compatible", "--url", "--user",
                "--s3-endpoint", "--bucket", "--access-key", "--secret-key", "--region");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--path-style")) {
                pathStyle = true;
            } else if (withValue.contains(arg)) {
                if (i + 1 >= args.length) {
                    throw new UsageException(arg + " needs a value");
                }
                if (values.put(arg, args[++i]) != null) {
                    throw new UsageException(arg + " given twice");
                }
            } else {
                throw new UsageException("unknown option " + arg);
            }
        }
        String model = required(values, "--model");
        String version = required(values, "--version");
        if (!BucketLayout.isValidModel(model)) {
            throw new UsageException("invalid model name '" + model + "': " + BucketLayout.MODEL.pattern());
        }
        if (!BucketLayout.isValidVersion(version)) {
            throw new UsageException("invalid version name '" + version + "': " + BucketLayout.VERSION.pattern());
        }
        Set<String> compatible = new LinkedHashSet<>();
        compatible.add(model);
        for (String m : values.getOrDefault("--compatible", "").split(",")) {
            String name = m.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!BucketLayout.isValidModel(name)) {
                throw new UsageException("invalid compatible model name '" + name + "'");
            }
            compatible.add(name);
        }
        Path image = Path.of(required(values, "--image"));
        if (!Files.isRegularFile(image) || !Files.isReadable(image)) {
            throw new UsageException("image " + image + " is not a readable file");
        }
        Optional<String> accessKey = Optional.ofNullable(values.get("--access-key"));
        Optional<String> secretKey = Optional.ofNullable(values.get("--secret-key"));
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new UsageException("--access-key and --secret-key go together");
        }
        return new PublishOptions(image, model, version, new ArrayList<>(compatible),
                uri(values.getOrDefault("--url", "http://localhost:8080"), "--url"),
                values.getOrDefault("--user", "admin"),
                values.containsKey("--s3-endpoint") ? uri(values.get("--s3-endpoint"), "--s3-endpoint") : null,
                values.getOrDefault("--bucket", "star-console-ota"),
                values.getOrDefault("--region", "us-east-1"),
                pathStyle, accessKey, secretKey);
    }

    private static String required(Map<String, String> values, String name) throws UsageException {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException(name + " is required");
        }
        return value;
    }

    private static URI uri(String value, String name) throws UsageException {
        try {
            URI uri = URI.create(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new UsageException(name + " must be an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + " is not a URL");
        }
    }
}
