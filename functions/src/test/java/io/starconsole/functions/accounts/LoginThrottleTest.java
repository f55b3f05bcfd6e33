package io.starconsole.functions.accounts;

import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.functions.auth.LoginService;
import io.starconsole.functions.error.ApiException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.starconsole.functions.ApiTestSupport.ADMIN;
import static io.starconsole.functions.ApiTestSupport.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Per-source login throttling, driven through the login service with made-up source addresses so
 * the tests' own address (127.0.0.1) is never throttled for the rest of the suite.
 */
@QuarkusTest
class LoginThrottleTest {

    @Inject
    LoginService logins;

    @Inject
    Pool pool;

    private static String source() {
        return "198.51.100." + (1 + (UUID.randomUUID().hashCode() & 0x7F));
    }

    private void fail(String source, int times) {
        for (int i = 0; i < times; i++) {
            String nobody = "nobody-" + UUID.randomUUID();
            assertThatThrownBy(() -> logins.login(nobody, "guess", source).await().indefinitely())
                    .isInstanceOfSatisfying(ApiException.class,
                            e -> assertThat(e.code()).isEqualTo("invalid_credentials"));
        }
    }

    private void forget(String source) {
        pool.preparedQuery("DELETE FROM audit_log WHERE source = $1").execute(Tuple.of(source)).await().indefinitely();
    }

    @Test
    void twentyFailuresFromOneSource_refuseEvenTheRightPassword_withWhenToRetry() {
        String source = source();
        forget(source);
        fail(source, 20);

        assertThatThrownBy(() -> logins.login(ADMIN, ADMIN_PASSWORD, source).await().indefinitely())
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("throttled");
                    assertThat(e.status().getStatusCode()).isEqualTo(429);
                    assertThat(e.getMessage()).containsPattern("try again in \\d+ s");
                });
        // Another source is not affected, and the account itself is not locked.
        assertThat(logins.login(ADMIN, ADMIN_PASSWORD, "203.0.113.77").await().indefinitely().token()).startsWith("sc_");
        forget(source);
    }

    @Test
    void delayGrows_withEachFailureBeyondTheLimit() {
        String source = source();
        forget(source);
        // 22 failures, the latest a few minutes ago: beyond the limit by 2, the delay is 4 minutes.
        pool.preparedQuery("INSERT INTO audit_log (at, actor, action, source)"
                        + " SELECT now() - interval '3 minutes', 'x', 'login.failed', $1 FROM generate_series(1, 22)")
                .execute(Tuple.of(source)).await().indefinitely();
        assertThatThrownBy(() -> logins.login(ADMIN, ADMIN_PASSWORD, source).await().indefinitely())
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("throttled"));

        // With only 21 (a 2-minute delay) three minutes back, the source may try again.
        forget(source);
        pool.preparedQuery("INSERT INTO audit_log (at, actor, action, source)"
                        + " SELECT now() - interval '3 minutes', 'x', 'login.failed', $1 FROM generate_series(1, 21)")
                .execute(Tuple.of(source)).await().indefinitely();
        assertThat(logins.login(ADMIN, ADMIN_PASSWORD, source).await().indefinitely().token()).startsWith("sc_");
        forget(source);
    }

    @Test
    void oldFailures_outsideTheWindow_doNotCount() {
        String source = source();
        forget(source);
        pool.preparedQuery("INSERT INTO audit_log (at, actor, action, source)"
                        + " SELECT now() - interval '16 minutes', 'x', 'login.failed', $1 FROM generate_series(1, 40)")
                .execute(Tuple.of(source)).await().indefinitely();
        assertThat(logins.login(ADMIN, ADMIN_PASSWORD, source).await().indefinitely().token()).startsWith("sc_");
        forget(source);
    }
}
