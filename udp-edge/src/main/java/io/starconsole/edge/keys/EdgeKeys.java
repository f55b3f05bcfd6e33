package io.starconsole.edge.keys;

import io.starconsole.edge.EdgeConfig;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyFormatException;
import io.starconsole.protocol.crypto.KeyPair;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * The edge's static X25519 key pair, which every box is configured to trust: {@code edge.key}
 * holds the private key (base64, as {@code wg genkey} prints it; mode 0600), {@code edge.pub} the
 * public key to give to boxes. Made at first start, kept across restarts.
 */
@Singleton
public class EdgeKeys {

    static final String PRIVATE_KEY_FILE = "edge.key";
    static final String PUBLIC_KEY_FILE = "edge.pub";
    private static final Logger LOG = Logger.getLogger(EdgeKeys.class);

    @Produces
    @Singleton
    KeyPair edgeKeyPair(EdgeConfig config) {
        if (config.privateKey().isPresent()) {
            try {
                KeyPair keys = KeyPair.fromPrivateKey(Key.fromBase64(config.privateKey().get().trim()));
                LOG.infof("edge public key %s (from configuration)", keys.publicKey().toBase64());
                return keys;
            } catch (KeyFormatException e) {
                throw new IllegalStateException("star-console.edge.private-key is not a base64 X25519 private key");
            }
        }
        try {
            return loadOrCreate(config.keyDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the edge key in " + config.keyDirectory(), e);
        }
    }

    static KeyPair loadOrCreate(Path directory) throws IOException {
        Path privateFile = directory.resolve(PRIVATE_KEY_FILE);
        KeyPair keys;
        if (Files.exists(privateFile)) {
            try {
                keys = KeyPair.fromPrivateKey(Key.fromBase64(Files.readString(privateFile, StandardCharsets.US_ASCII).trim()));
            } catch (KeyFormatException e) {
                throw new IOException(privateFile + " does not hold a base64 X25519 private key (" + e.getMessage() + ")");
            }
        } else {
            Files.createDirectories(directory);
            keys = KeyPair.generate(new SecureRandom());
            Files.writeString(privateFile, keys.privateKey().toBase64() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            LOG.infof("made a new edge key pair in %s", directory);
        }
        Files.writeString(directory.resolve(PUBLIC_KEY_FILE), keys.publicKey().toBase64() + "\n", StandardCharsets.US_ASCII);
        LOG.infof("edge public key %s (boxes trust this key)", keys.publicKey().toBase64());
        return keys;
    }
}
