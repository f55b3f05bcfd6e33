package io.starconsole.functions.database;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

class PoolTimerNoiseTest {

    private final PoolTimerNoise filter = new PoolTimerNoise();

    @Test
    void isLoggable_thePoolsLateTimerFailure_isDropped() {
        assertThat(filter.isLoggable(record(new IllegalStateException("Result is already complete"),
                PoolTimerNoise.POOL_CLASS))).isFalse();
    }

    @Test
    void isLoggable_theSameFailureElsewhere_passes() {
        assertThat(filter.isLoggable(record(new IllegalStateException("Result is already complete"),
                "io.starconsole.functions.command.CommandQueue"))).isTrue();
    }

    @Test
    void isLoggable_otherFailuresOfThePool_pass() {
        assertThat(filter.isLoggable(record(new IllegalStateException("pool closed"), PoolTimerNoise.POOL_CLASS)))
                .isTrue();
        assertThat(filter.isLoggable(new LogRecord(Level.WARNING, "no exception"))).isTrue();
    }

    private static LogRecord record(Throwable thrown, String throwingClass) {
        thrown.setStackTrace(new StackTraceElement[]{
                new StackTraceElement("io.vertx.core.Promise", "fail", "Promise.java", 90),
                new StackTraceElement(throwingClass, "lambda$execute$3", "X.java", 216)});
        LogRecord record = new LogRecord(Level.SEVERE, "Uncaught exception received by Vert.x");
        record.setThrown(thrown);
        return record;
    }
}
