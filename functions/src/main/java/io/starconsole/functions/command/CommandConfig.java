package io.starconsole.functions.command;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code star-console.commands.*}: leases of the command queue. */
@ConfigMapping(prefix = "star-console.commands")
public interface CommandConfig {

    /** A leased delivery not acknowledged within this is delivered again. */
    @WithDefault("PT30S")
    Duration visibilityTimeout();

    /** The same for risky changes (104, 105, 108): the box re-registers on the new settings first. */
    @WithDefault("PT120S")
    Duration riskyVisibilityTimeout();

    /**
     * The same for UPDATE_FIRMWARE (112): the box downloads, installs, reboots and re-registers on the
     * new version before it answers.
     */
    @WithDefault("PT30M")
    Duration firmwareVisibilityTimeout();

    /** Deliveries per command and box; one still unacknowledged after this many fails. */
    @WithDefault("5")
    int maxAttempts();

    /** Whether this instance runs the periodic expiry and lease sweep (safe on several at once). */
    @WithDefault("true")
    boolean jobsEnabled();

    /** How often the sweep runs (a Quarkus scheduler interval). */
    @WithDefault("10s")
    String sweepEvery();
}
