package io.starconsole.functions.error;

import io.vertx.pgclient.PgException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Warnings about a failure that repeats while it lasts (the database down: every request and every
 * job run fails the same way). The first of a kind is logged at once; later ones of the same kind
 * at most once per period, with the number left out since. The log shows each failure class and
 * how often it happened, not one line per request.
 */
public final class RepeatedWarnings {

    private static final Duration DEFAULT_PERIOD = Duration.ofMinutes(1);

    private final Consumer<String> sink;
    private final LongSupplier nanoTime;
    private final long periodNanos;
    private final Map<String, Seen> byKind = new ConcurrentHashMap<>();

    private record Seen(long loggedAt, int leftOut) {
    }

    public RepeatedWarnings(Logger log) {
        this(log::warn, System::nanoTime, DEFAULT_PERIOD);
    }

    /** Warnings to {@code sink}, the same one at most once per {@code period} of {@code nanoTime}. */
    public RepeatedWarnings(Consumer<String> sink, LongSupplier nanoTime, Duration period) {
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.periodNanos = period.toNanos();
    }

    /** Logs {@code warning} unless the same text was logged less than a period ago. */
    public void warn(String warning) {
        long now = nanoTime.getAsLong();
        int[] leftOut = {-1};
        byKind.compute(warning, (kind, seen) -> {
            if (seen == null || now - seen.loggedAt() >= periodNanos) {
                leftOut[0] = seen == null ? 0 : seen.leftOut();
                return new Seen(now, 0);
            }
            return new Seen(seen.loggedAt(), seen.leftOut() + 1);
        });
        if (leftOut[0] == 0) {
            sink.accept(warning);
        } else if (leftOut[0] > 0) {
            sink.accept(warning + " (" + leftOut[0] + " more since the last such warning)");
        }
    }

    /**
     * The class of a failure, seen through the CompletionException that async code wraps it in; for
     * a database error its SQLSTATE too, which tells a deadlock (40P01) from a cancelled statement
     * (57014) or a lost connection without one line per failure. A failure without a stack trace
     * (Vert.x's fixed-text ones: "Pool closed", "Timeout") adds its text, which is all it has.
     */
    public static String kind(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof PgException database && database.getSqlState() != null) {
            return cause.getClass().getSimpleName() + " SQLSTATE " + database.getSqlState();
        }
        if (cause.getStackTrace().length == 0 && cause.getMessage() != null) {
            return cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        return cause.getClass().getSimpleName();
    }
}
