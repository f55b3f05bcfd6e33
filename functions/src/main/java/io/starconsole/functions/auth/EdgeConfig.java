package io.starconsole.functions.auth;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** {@code star-console.edge.*}: how the UDP edges authenticate (env {@code STAR_CONSOLE_EDGE_SECRET}). */
@ConfigMapping(prefix = "star-console.edge")
public interface EdgeConfig {

    /** The shared secret; no default outside tests, and none means every internal call is refused. */
    Optional<String> secret();
}
