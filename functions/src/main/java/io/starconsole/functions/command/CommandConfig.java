package io.starconsole.functions.command;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

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

    /** The edges' wake-up feed. */
    Feed feed();

    interface Feed {
        /**
         * Whether this instance LISTENs for the database's announcements of new deliveries (one
         * dedicated connection). Off, or while the connection is down, a waiting feed request polls.
         */
        @WithDefault("true")
        boolean listen();

        /**
         * A direct database URL for LISTEN when the datasource goes through a pooling proxy that
         * does not pass notifications on (RDS Proxy); default: the datasource's reactive URL.
         */
        Optional<String> listenUrl();

        /** How often a waiting feed request looks again when announcements are not heard. */
        @WithDefault("PT0.25S")
        Duration pollInterval();

        /** The longest an edge's feed request is held waiting for new work. */
        @WithDefault("PT20S")
        Duration maxWait();
    }
}
