package io.starconsole.functions.box;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code star-console.presence.*}: when a box counts as gone. */
@ConfigMapping(prefix = "star-console.presence")
public interface PresenceConfig {

    /** A box without a heartbeat for this long is offline (3 missed PINGs at 5 s). */
    @WithDefault("PT15S")
    Duration offlineAfter();

    /** How often the offline check runs (a Quarkus scheduler interval, e.g. 5s). */
    @WithDefault("5s")
    String checkEvery();

    /** Whether this instance runs the periodic offline and reclaim checks (safe on several at once). */
    @WithDefault("true")
    boolean jobsEnabled();
}
