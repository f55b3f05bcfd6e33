package io.starconsole.agent.ota;

import io.starconsole.firmware.ChunkedCipher;
import io.starconsole.firmware.FirmwareException;
import io.starconsole.firmware.FirmwareException.Reason;
import io.starconsole.firmware.Manifest;
import io.starconsole.firmware.Sha512;
import io.starconsole.firmware.Signatures;
import io.starconsole.firmware.Versions;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checks of docs/ota.md section 8, in its order, each failing with a {@link FirmwareException}
 * whose reason the box reports: the manifest parses; a signature by a trusted key verifies; the box's
 * model is compatible; the version is newer than the running one unless forced; the encrypted file's
 * SHA-512 matches; then the image is decrypted streaming and its plain SHA-512 checked. Memory is
 * bounded by one chunk, whatever the image's size.
 */
final class ReleaseVerifier {

    private static final int BUFFER_SIZE_IN_BYTES = 64 * 1024;

    private ReleaseVerifier() {
    }

    /** The manifest, once parsed, signed by a trusted key, for this release, compatible and new enough. */
    static Manifest manifest(byte[] manifestBytes, byte[] signaturesText, Map<String, PublicKey> trusted, UpdateRequest request,
            String boxModel, String runningVersion) {
        Manifest manifest = Manifest.parse(manifestBytes);
        if (trusted.isEmpty()) {
            throw new FirmwareException(Reason.BAD_SIGNATURE, "this box trusts no signing key (ota-trusted-keys)");
        }
        Signatures.requireAny(manifestBytes, signatures(signaturesText), trusted);
        if (!manifest.model().equals(request.model()) || !manifest.version().equals(request.version())) {
            throw new FirmwareException(Reason.BAD_MANIFEST, "the manifest is " + manifest.model() + " " + manifest.version()
                    + ", not the release the console named");
        }
        if (!manifest.isCompatibleWith(boxModel)) {
            throw new FirmwareException(Reason.WRONG_MODEL, "this box is " + boxModel + "; the release is for "
                    + String.join(", ", manifest.compatibleModels()));
        }
        if (!request.force() && !Versions.isNewer(manifest.version(), runningVersion)) {
            throw new FirmwareException(Reason.DOWNGRADE, manifest.version() + " is not newer than the running " + runningVersion
                    + " (force=1 allows it)");
        }
        return manifest;
    }

    /** {@code <keyId> <base64 signature>} per line; lines that are not are ignored (they verify nothing). */
    static Map<String, byte[]> signatures(byte[] text) {
        Map<String, byte[]> byKeyId = new LinkedHashMap<>();
        for (String line : new String(text, StandardCharsets.US_ASCII).split("\n")) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 2) {
                try {
                    byKeyId.put(parts[0], Base64.getDecoder().decode(parts[1]));
                } catch (IllegalArgumentException e) {
                    // not a signature: verifies nothing
                }
            }
        }
        return byKeyId;
    }

    /** The downloaded image.enc against the manifest's encrypted SHA-512. */
    static void requireEncryptedHash(Path encrypted, Manifest manifest) {
        if (!Sha512.matches(manifest.encryptedSha512(), Sha512.hex(encrypted))) {
            throw new FirmwareException(Reason.HASH_MISMATCH, "image.enc does not match the manifest's SHA-512");
        }
    }

    /**
     * Decrypts {@code encrypted} into {@code plain} streaming and checks the plain SHA-512; on any
     * failure {@code plain} is deleted. {@code key} is wiped afterwards.
     */
    static void decrypt(Path encrypted, Path plain, byte[] key, Manifest manifest) throws IOException {
        MessageDigest digest = Sha512.newDigest();
        boolean done = false;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(encrypted), BUFFER_SIZE_IN_BYTES);
                OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(plain), BUFFER_SIZE_IN_BYTES),
                        digest)) {
            ChunkedCipher.decrypt(in, out, key);
            done = true;
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
            if (!done) {
                Files.deleteIfExists(plain);
            }
        }
        if (Files.size(plain) != manifest.plainSize() || !Sha512.matches(manifest.plainSha512(), Sha512.hex(digest))) {
            Files.deleteIfExists(plain);
            throw new FirmwareException(Reason.HASH_MISMATCH, "the decrypted image does not match the manifest's SHA-512");
        }
    }
}
