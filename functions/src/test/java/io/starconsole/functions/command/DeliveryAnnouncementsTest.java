package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.functions.StderrCapture;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static io.starconsole.functions.DbAssertions.one;
import static org.assertj.core.api.Assertions.assertThat;

/** The connection that listens for new deliveries, when the database drops it. */
@QuarkusTest
class DeliveryAnnouncementsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The backend's pid of the connection that listens (0: none). */
    private static final String LISTENING_BACKEND = "SELECT coalesce(max(pid), 0) FROM pg_stat_activity"
            + " WHERE query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()";

    @Inject
    Pool pool;

    @Inject
    DeliveryAnnouncements announcements;

    @Test
    void listeningConnectionTerminated_reconnects_withoutAStackTraceOnStderr() throws Exception {
        awaitThat(announcements::listening, "listening at start");
        String printed;
        try (StderrCapture stderr = StderrCapture.start()) {
            long before = one(pool, LISTENING_BACKEND).getLong(0);
            assertThat(one(pool, "SELECT pg_terminate_backend($1)", (int) before).getBoolean(0)).isTrue();
            awaitThat(() -> {
                long now = one(pool, LISTENING_BACKEND).getLong(0);
                return now != 0 && now != before;
            }, "listening again on a new connection");
            awaitThat(announcements::listening, "listening");
            printed = stderr.printed();
        }
        assertThat(printed).doesNotContain("PgException").doesNotContain("\tat ");
    }

    private static void awaitThat(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + WAIT);
            }
            Thread.sleep(5);
        }
    }
}
