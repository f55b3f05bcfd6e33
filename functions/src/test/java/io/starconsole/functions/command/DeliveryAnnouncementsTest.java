package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(stderr, captured), true, StandardCharsets.UTF_8));
        try {
            long before = one(pool, LISTENING_BACKEND).getLong(0);
            assertThat(one(pool, "SELECT pg_terminate_backend($1)", (int) before).getBoolean(0)).isTrue();
            awaitThat(() -> {
                long now = one(pool, LISTENING_BACKEND).getLong(0);
                return now != 0 && now != before;
            }, "listening again on a new connection");
            awaitThat(announcements::listening, "listening");
        } finally {
            System.setErr(stderr);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("PgException").doesNotContain("\tat ");
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

    /** Writes to the real stderr and keeps a copy. */
    private static final class TeeStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
