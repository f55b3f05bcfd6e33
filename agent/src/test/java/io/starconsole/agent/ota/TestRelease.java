package io.starconsole.agent.ota;

import io.starconsole.firmware.ChunkedCipher;
import io.starconsole.firmware.Manifest;
import io.starconsole.firmware.Sha512;
import io.starconsole.firmware.Signatures;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * A firmware release made the way the publisher makes one (firmware-format's ChunkedCipher,
 * canonical manifest, Ed25519 signature), streamed to files so a 200 MB image costs no memory:
 * {@code image.enc}, {@code manifest.json} and {@code signatures} in one directory.
 */
public final class TestRelease {

    public final Path directory;
    public final String model;
    public final String version;
    public final byte[] key;
    public final Manifest manifest;

    private TestRelease(Path directory, String model, String version, byte[] key, Manifest manifest) {
        this.directory = directory;
        this.model = model;
        this.version = version;
        this.key = key;
        this.manifest = manifest;
    }

    public static KeyPair signingKey() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64 of the raw 32-byte public key, as ota-trusted-keys takes it. */
    public static String trusted(KeyPair signer) {
        return Base64.getEncoder().encodeToString(Signatures.rawPublicKey(signer.getPublic()));
    }

    /** A small image: {@code text} repeated to about {@code size} bytes. */
    public static TestRelease build(Path directory, String model, String version, String text, long size, KeyPair signer)
            throws IOException {
        return build(directory, model, version, new PatternStream(text.getBytes(StandardCharsets.US_ASCII), size),
                size, List.of(model), signer);
    }

    public static TestRelease build(Path directory, String model, String version, InputStream plain, long plainSize,
            List<String> compatibleModels, KeyPair signer) throws IOException {
        Files.createDirectories(directory);
        byte[] key = ChunkedCipher.newKey();
        MessageDigest plainDigest = Sha512.newDigest();
        Path image = directory.resolve("image.enc");
        try (InputStream in = new DigestInputStream(new BufferedInputStream(plain, 65536), plainDigest);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(image), 65536)) {
            ChunkedCipher.encrypt(in, out, key, ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES);
        }
        Manifest manifest = Manifest.of(model, version, plainSize, Sha512.hex(plainDigest), Files.size(image), Sha512.hex(image),
                ChunkedCipher.DEFAULT_CHUNK_SIZE_IN_BYTES, Instant.now(), compatibleModels);
        byte[] json = manifest.toCanonicalJson();
        Files.write(directory.resolve("manifest.json"), json);
        sign(directory, json, signer);
        return new TestRelease(directory, model, version, key, manifest);
    }

    /** Replaces the signatures with one by {@code signer}. */
    public static void sign(Path directory, byte[] manifest, KeyPair signer) throws IOException {
        String line = Signatures.keyId(signer.getPublic()) + " "
                + Base64.getEncoder().encodeToString(Signatures.sign(manifest, signer.getPrivate())) + "\n";
        Files.writeString(directory.resolve("signatures"), line, StandardCharsets.US_ASCII);
    }

    /** The contents the console's lease expansion gives UPDATE_FIRMWARE. */
    public String contents(String releaseId, boolean force, String base) {
        return "release=" + releaseId + "|model=" + model + "|version=" + version + "|force=" + (force ? 1 : 0) + "|key="
                + Base64.getEncoder().encodeToString(key) + "|base=" + base;
    }

    /** {@code pattern} repeated to {@code size} bytes, generated as it is read. */
    public static final class PatternStream extends InputStream {
        private final byte[] pattern;
        private final long size;
        private long position;

        public PatternStream(byte[] pattern, long size) {
            this.pattern = pattern;
            this.size = size;
        }

        @Override
        public int read() {
            if (position >= size) {
                return -1;
            }
            return pattern[(int) (position++ % pattern.length)] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = pattern[(int) ((position + i) % pattern.length)];
            }
            position += n;
            return n;
        }
    }
}
