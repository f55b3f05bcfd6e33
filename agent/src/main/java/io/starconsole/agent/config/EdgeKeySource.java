package io.starconsole.agent.config;

import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the edge's static public key comes from: fixed ({@code edge-public-key}) or a file
 * ({@code edge-public-key-file}, the edge's {@code edge.pub}) read again at every registration, so
 * a box follows an edge that was re-keyed without a restart of the agent.
 */
@FunctionalInterface
public interface EdgeKeySource {

    /** The current key, or an IOException saying why there is none. */
    Key current() throws IOException;

    static EdgeKeySource fixed(Key key) {
        return () -> key;
    }

    static EdgeKeySource file(Path file) {
        return () -> {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                return Key.fromBase64(text);
            } catch (KeyFormatException e) {
                throw new IOException(file + " does not hold a base64 public key");
            }
        };
    }

    static EdgeKeySource of(AgentConfig config) {
        Optional<String> fixed = config.edgePublicKey();
        if (fixed.isPresent()) {
            try {
                return fixed(Key.fromBase64(fixed.get()));
            } catch (KeyFormatException e) {
                throw new IllegalArgumentException("edge-public-key is not a base64 X25519 key");
            }
        }
        return file(config.edgePublicKeyFile().orElseThrow(() ->
                new IllegalArgumentException("set edge-public-key or edge-public-key-file")));
    }
}
