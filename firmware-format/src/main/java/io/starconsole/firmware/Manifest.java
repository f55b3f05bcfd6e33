package io.starconsole.firmware;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The release manifest: what is signed, as canonical JSON (UTF-8, names sorted, no whitespace).
 * Every value is checked when a manifest is built or parsed, so a {@code Manifest} instance is
 * always one the contract allows.
 */
public record Manifest(
        int format,
        String model,
        String version,
        long plainSize,
        String plainSha512,
        long encryptedSize,
        String encryptedSha512,
        String cipher,
        int chunkSize,
        String imageKey,
        Instant releasedAt,
        List<String> compatibleModels) {

    /** Manifests are small; anything longer is refused before parsing. */
    public static final int MAX_SIZE_IN_BYTES = 64 * 1024;

    private static final Pattern SHA512_HEX = Pattern.compile("[0-9a-f]{128}");
    private static final Set<String> FIELDS = Set.of("format", "model", "version", "plainSize", "plainSha512",
            "encryptedSize", "encryptedSha512", "cipher", "chunkSize", "imageKey", "releasedAt", "compatibleModels");

    public Manifest {
        if (format != ChunkedCipher.FORMAT) {
            throw bad("unsupported format " + format);
        }
        if (!BucketLayout.isValidModel(model)) {
            throw bad("invalid model name");
        }
        if (!BucketLayout.isValidVersion(version)) {
            throw bad("invalid version name");
        }
        if (plainSize < 0 || encryptedSize < 0) {
            throw bad("negative size");
        }
        if (plainSha512 == null || !SHA512_HEX.matcher(plainSha512).matches()
                || encryptedSha512 == null || !SHA512_HEX.matcher(encryptedSha512).matches()) {
            throw bad("hashes must be 128 lower-case hex characters");
        }
        if (!ChunkedCipher.CIPHER_NAME.equals(cipher)) {
            throw bad("unsupported cipher");
        }
        if (chunkSize < 1 || chunkSize > ChunkedCipher.MAX_CHUNK_SIZE_IN_BYTES) {
            throw bad("chunk size out of range");
        }
        if (encryptedSize != ChunkedCipher.encryptedSize(plainSize, chunkSize)) {
            throw bad("encrypted size does not match the plain size");
        }
        if (!BucketLayout.imageKey(model, version).equals(imageKey)) {
            throw bad("image key must be " + BucketLayout.imageKey(model, version));
        }
        if (releasedAt == null) {
            throw bad("missing releasedAt");
        }
        if (compatibleModels == null || !compatibleModels.contains(model)) {
            throw bad("compatible models must include the model itself");
        }
        compatibleModels = List.copyOf(compatibleModels);
        for (String m : compatibleModels) {
            if (!BucketLayout.isValidModel(m)) {
                throw bad("invalid compatible model name");
            }
        }
        if (Set.copyOf(compatibleModels).size() != compatibleModels.size()) {
            throw bad("duplicate compatible model");
        }
    }

    /** A format 1 manifest with the contract's cipher and image key for {@code model}/{@code version}. */
    public static Manifest of(String model, String version, long plainSize, String plainSha512, long encryptedSize,
                              String encryptedSha512, int chunkSize, Instant releasedAt, List<String> compatibleModels) {
        BucketLayout.requireValid(model, version);
        return new Manifest(ChunkedCipher.FORMAT, model, version, plainSize, plainSha512, encryptedSize,
                encryptedSha512, ChunkedCipher.CIPHER_NAME, chunkSize, BucketLayout.imageKey(model, version),
                releasedAt, compatibleModels);
    }

    /** The manifest's object key: {@code firmware/<model>/<version>/manifest.json}. */
    public String manifestKey() {
        return BucketLayout.manifestKey(model, version);
    }

    public boolean isCompatibleWith(String boxModel) {
        return compatibleModels.contains(boxModel);
    }

    /** UTF-8, names sorted, no whitespace, strings escaped: the bytes that are signed. */
    public byte[] toCanonicalJson() {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("format", format);
        fields.put("model", model);
        fields.put("version", version);
        fields.put("plainSize", plainSize);
        fields.put("plainSha512", plainSha512);
        fields.put("encryptedSize", encryptedSize);
        fields.put("encryptedSha512", encryptedSha512);
        fields.put("cipher", cipher);
        fields.put("chunkSize", chunkSize);
        fields.put("imageKey", imageKey);
        fields.put("releasedAt", releasedAt.toString());
        fields.put("compatibleModels", compatibleModels);
        StringBuilder out = new StringBuilder(1024).append('{');
        boolean first = true;
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            Json.writeString(out, field.getKey());
            out.append(':');
            Object value = field.getValue();
            if (value instanceof String s) {
                Json.writeString(out, s);
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    Json.writeString(out, (String) list.get(i));
                }
                out.append(']');
            } else {
                out.append(value);
            }
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Strict: unknown, missing or duplicate fields and wrong types are {@code BAD_MANIFEST}. */
    public static Manifest parse(byte[] json) {
        if (json == null || json.length > MAX_SIZE_IN_BYTES) {
            throw bad("manifest missing or larger than " + MAX_SIZE_IN_BYTES + " bytes");
        }
        Map<String, Object> fields = Json.parseFlatObject(json);
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                throw bad("unknown field " + name);
            }
        }
        for (String name : FIELDS) {
            if (!fields.containsKey(name)) {
                throw bad("missing field " + name);
            }
        }
        Instant releasedAt;
        try {
            releasedAt = Instant.parse(string(fields, "releasedAt"));
        } catch (DateTimeParseException e) {
            throw bad("releasedAt is not an ISO instant");
        }
        return new Manifest(
                (int) integer(fields, "format", Integer.MAX_VALUE),
                string(fields, "model"),
                string(fields, "version"),
                integer(fields, "plainSize", Long.MAX_VALUE),
                string(fields, "plainSha512"),
                integer(fields, "encryptedSize", Long.MAX_VALUE),
                string(fields, "encryptedSha512"),
                string(fields, "cipher"),
                (int) integer(fields, "chunkSize", Integer.MAX_VALUE),
                string(fields, "imageKey"),
                releasedAt,
                strings(fields, "compatibleModels"));
    }

    private static String string(Map<String, Object> fields, String name) {
        if (fields.get(name) instanceof String s) {
            if (!Json.isWellFormed(s)) {
                throw bad(name + " is not well-formed text");
            }
            return s;
        }
        throw bad(name + " must be a string");
    }

    private static long integer(Map<String, Object> fields, String name, long max) {
        if (fields.get(name) instanceof BigInteger n) {
            if (n.compareTo(BigInteger.valueOf(max)) > 0) {
                throw bad(name + " is too large");
            }
            return n.longValueExact();
        }
        throw bad(name + " must be an integer");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Map<String, Object> fields, String name) {
        if (fields.get(name) instanceof List<?> list) {
            return (List<String>) list;
        }
        throw bad(name + " must be an array of strings");
    }

    private static FirmwareException bad(String message) {
        return new FirmwareException(FirmwareException.Reason.BAD_MANIFEST, message);
    }
}
