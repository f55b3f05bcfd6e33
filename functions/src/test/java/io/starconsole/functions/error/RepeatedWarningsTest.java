package io.starconsole.functions.error;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RepeatedWarningsTest {

    private final List<String> logged = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final RepeatedWarnings warnings = new RepeatedWarnings(logged::add, clock::get, Duration.ofSeconds(60));

    @Test
    void warn_sameFailureManyTimesInAPeriod_isLoggedOnce() {
        for (int i = 0; i < 100; i++) {
            warnings.warn("database unreachable: ConnectException");
            clock.addAndGet(Duration.ofMillis(100).toNanos());
        }
        assertThat(logged).containsExactly("database unreachable: ConnectException");
    }

    @Test
    void warn_afterThePeriod_isLoggedAgainWithTheCountLeftOut() {
        warnings.warn("offline check failed: ConnectException");
        warnings.warn("offline check failed: ConnectException");
        warnings.warn("offline check failed: ConnectException");
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        warnings.warn("offline check failed: ConnectException");
        assertThat(logged).containsExactly("offline check failed: ConnectException",
                "offline check failed: ConnectException (2 more since the last such warning)");
    }

    @Test
    void warn_differentFailures_areEachLogged() {
        warnings.warn("database unreachable: ConnectException");
        warnings.warn("database unavailable: SQLSTATE 57P01");
        assertThat(logged).hasSize(2);
    }

    @Test
    void kind_completionException_namesTheCause() {
        assertThat(RepeatedWarnings.kind(new CompletionException(new ConnectException("refused"))))
                .isEqualTo("ConnectException");
        assertThat(RepeatedWarnings.kind(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    @Test
    void kind_databaseError_namesItsSqlState() {
        PgException deadlock = new PgException("deadlock detected", "ERROR", "40P01", "Process 1 waits for ShareLock");

        assertThat(RepeatedWarnings.kind(new CompletionException(deadlock))).isEqualTo("PgException SQLSTATE 40P01");
        assertThat(RepeatedWarnings.kind(deadlock)).isEqualTo("PgException SQLSTATE 40P01");
    }

    @Test
    void kind_failureWithoutAStackTrace_addsItsText() {
        assertThat(RepeatedWarnings.kind(new CompletionException(new NoStackTraceThrowable("Pool closed"))))
                .isEqualTo("NoStackTraceThrowable: Pool closed");
        assertThat(RepeatedWarnings.kind(new IllegalStateException("box 17 gone"))).isEqualTo("IllegalStateException");
    }
}
