package io.starconsole.agent.ota;

import io.starconsole.firmware.Signatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Ed25519 keys whose manifest signatures this box trusts, by key id: {@code ota-trusted-keys}
 * (comma-separated base64 raw 32-byte keys) plus {@code ota-trusted-keys-file} (one per line,
 * {@code #} comments), the file read again at every update so a rotated key list is followed.
 */
public final class TrustedKeys {

    private final List<String> configured;
    private final Optional<Path> file;

    public TrustedKeys(String commaSeparated, Optional<Path> file) {
        List<String> keys = new ArrayList<>();
        for (String key : commaSeparated.split(",")) {
            if (!key.isBlank()) {
                keys.add(key.strip());
            }
        }
        this.configured = List.copyOf(keys);
        this.file = file;
    }

    /** Key id -> key; a key that is not 32 base64 bytes makes the whole list unusable (said so). */
    public Map<String, PublicKey> load() throws IOException {
        List<String> all = new ArrayList<>(configured);
        if (file.isPresent()) {
            for (String line : Files.readAllLines(file.get(), StandardCharsets.US_ASCII)) {
                String key = line.strip();
                if (!key.isEmpty() && !key.startsWith("#")) {
                    all.add(key);
                }
            }
        }
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (String key : all) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(key);
                byId.put(Signatures.keyId(raw), Signatures.publicKeyFromRaw(raw));
            } catch (IllegalArgumentException e) {
                throw new IOException("a trusted OTA key is not a base64 raw Ed25519 public key");
            }
        }
        return byId;
    }
}
