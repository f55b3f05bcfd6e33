package io.starconsole.functions.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** {@code star-console.auth.*} and {@code star-console.admin.*}: login and the first admin. */
@ConfigMapping(prefix = "star-console")
public interface AuthConfig {

    Auth auth();

    FirstAdmin admin();

    interface Auth {
        /** How long an API token is valid after login. */
        @WithDefault("PT1H")
        Duration tokenTtl();

        /** Consecutive failed logins after which an account is locked for a while. */
        @WithDefault("5")
        int lockAfterFailures();

        /** The longest lock; locks double from one minute up to this. */
        @WithDefault("PT1H")
        Duration maxLock();
    }

    /** The first admin, made at first start when there is none (env STAR_CONSOLE_ADMIN_USER / _PASSWORD). */
    interface FirstAdmin {
        @WithDefault("admin")
        String user();

        Optional<String> password();
    }
}
