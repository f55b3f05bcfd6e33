package io.starconsole.functions.database;

import io.quarkus.logging.LoggingFilter;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops one known false alarm of the reactive SQL client (vertx-sql-client #1706): when a
 * connection cannot be opened, the pool fails the query at once (the caller gets the error and the
 * API answers 503) but leaves its acquisition timer running; when that fires, 30 s later, it fails
 * the finished promise again and Vert.x logs an ERROR with a stack trace. Nothing is lost or
 * affected; during a database outage it is one stack trace per failed request. Every other record
 * passes.
 */
@LoggingFilter(name = "pool-timer-noise")
public final class PoolTimerNoise implements Filter {

    static final String POOL_CLASS = "io.vertx.sqlclient.impl.pool.SqlConnectionPool";

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (!(thrown instanceof IllegalStateException) || !"Result is already complete".equals(thrown.getMessage())) {
            return true;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().equals(POOL_CLASS)) {
                return false;
            }
        }
        return true;
    }
}
