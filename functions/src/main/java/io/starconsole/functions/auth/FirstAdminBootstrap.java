package io.starconsole.functions.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * Makes the first admin when there is none: from {@code STAR_CONSOLE_ADMIN_USER} /
 * {@code STAR_CONSOLE_ADMIN_PASSWORD} when set, otherwise {@code admin} with a random password that
 * is printed once, to the console only, and never stored other than as its hash.
 */
public class FirstAdminBootstrap {

    private static final Logger LOG = Logger.getLogger(FirstAdminBootstrap.class);
    private static final Duration STARTUP_QUERY_TIMEOUT = Duration.ofSeconds(30);

    void onStart(@Observes StartupEvent event, AdminRepository admins, PasswordHasher hasher, AuthConfig config) {
        if (admins.count().await().atMost(STARTUP_QUERY_TIMEOUT) > 0) {
            return;
        }
        String user = config.admin().user();
        boolean generated = config.admin().password().isEmpty();
        String password = config.admin().password().orElseGet(FirstAdminBootstrap::randomPassword);
        boolean created = admins.insertIfAbsent(user, hasher.hash(password), Role.ADMIN)
                .await().atMost(STARTUP_QUERY_TIMEOUT);
        if (!created) {
            return; // another instance made it first
        }
        LOG.infof("created the first admin account '%s'", user);
        if (generated) {
            // Printed, not logged: the one time this password exists in clear outside the operator's hands.
            System.out.println("\n=== Star Console first admin: user '" + user + "', password '" + password
                    + "' (shown once; change it after logging in) ===\n");
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
