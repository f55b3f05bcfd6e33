package io.starconsole.agent.config;

import io.starconsole.agent.support.AtomicFiles;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyFormatException;
import io.starconsole.protocol.crypto.KeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The box's key pair on disk: the private key in base64 on one line, as {@code wg genkey} prints
 * it, in a file readable by its owner only (0600). The public key is derived, as {@code wg pubkey}
 * does.
 */
public final class KeyFiles {

    private KeyFiles() {
    }

    /** Reads the key pair in {@code file}, or makes a new one there (mode 0600) if it does not exist. */
    public static KeyPair loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        KeyPair keys = KeyPair.generate(random);
        try {
            write(file, keys.privateKey());
        } catch (FileAlreadyExistsException raced) {
            return load(file);
        }
        return keys;
    }

    public static KeyPair load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        try {
            return KeyPair.fromPrivateKey(Key.fromBase64(text));
        } catch (KeyFormatException e) {
            throw new IOException(file + " does not hold a base64 X25519 private key");
        }
    }

    /** Writes {@code privateKey} to {@code file} (owner-only), replacing it atomically if it exists. */
    public static void write(Path file, Key privateKey) throws IOException {
        String text = privateKey.toBase64() + "\n";
        if (Files.exists(file)) {
            AtomicFiles.write(file, text, true);
        } else {
            AtomicFiles.create(file, text, true); // FileAlreadyExistsException if another process made it meanwhile
        }
    }
}
