package io.starconsole.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Local secrets, made once and kept in the data directory, readable by its owner only. */
final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    /** The secret stored in {@code file}, made at first use. */
    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String secret = random(18);
        writePrivate(file, secret);
        return secret;
    }

    /**
     * The firmware signing key (Ed25519, PKCS#8, base64) kept in {@code file}, made at first start;
     * its public key (raw 32 bytes, base64) is written beside it for boxes to trust.
     */
    static String readOrCreateSigningKey(Path file, Path publicKeyFile) throws IOException {
        if (!Files.exists(file)) {
            try {
                java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                writePrivate(file, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
                byte[] spki = pair.getPublic().getEncoded();
                byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                Files.writeString(publicKeyFile, Base64.getEncoder().encodeToString(raw) + "\n", StandardCharsets.UTF_8);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException("this JDK has no Ed25519", e);
            }
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    /** 32 random bytes, base64, kept in {@code file} (a key-encryption key). */
    static String readOrCreateKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            writePrivate(file, Base64.getEncoder().encodeToString(raw));
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the directory's own permissions apply
        }
    }

    static String random(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }
}
