package io.starconsole.functions.ota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code star-console.ota.*} (docs/ota.md): the manifest signing keys, the key that seals release keys,
 * the download URLs boxes get, and the rollout timing. Without signing keys OTA answers 503.
 */
@ConfigMapping(prefix = "star-console.ota")
public interface OtaConfig {

    /** Comma-separated base64 PKCS#8 Ed25519 private keys; the first is current (env STAR_CONSOLE_OTA_SIGNING_KEYS). */
    Optional<String> signingKeys();

    /** Base64 of 32 bytes: AES-256-GCM key that seals each release key at rest. */
    Optional<String> keyEncryptionKey();

    /** The API's public base URL as boxes reach it; download URLs start with it. */
    @WithDefault("http://127.0.0.1:8080")
    String publicUrl();

    /** How long a download token handed out with a lease is valid. */
    @WithDefault("PT15M")
    Duration downloadTokenTtl();

    /** How long a presigned image URL is valid. */
    @WithDefault("PT5M")
    Duration presignTtl();

    /** A box in a rollout not heard of for this long (or not back on the new version) is failed. */
    @WithDefault("PT5M")
    Duration healthDeadline();

    /** Whether this instance runs the periodic rollout job (deadlines, waves, late joiners). */
    @WithDefault("true")
    boolean jobsEnabled();

    /** How often the rollout job runs (a Quarkus scheduler interval). */
    @WithDefault("10s")
    String jobsEvery();
}
