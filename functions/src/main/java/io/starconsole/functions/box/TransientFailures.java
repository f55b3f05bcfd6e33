package io.starconsole.functions.box;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

import java.util.function.Supplier;

/**
 * Failures that a fresh attempt of the same transaction may not meet again: serialization
 * failures and deadlocks (SQLSTATE class 40), and a unique violation from a concurrent first
 * insert of the same key.
 */
public final class TransientFailures {

    private TransientFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        if (!(failure instanceof PgException pg) || pg.getSqlState() == null) {
            return false;
        }
        return pg.getSqlState().startsWith("40") || pg.getSqlState().equals("23505");
    }

    /** Runs the work, again on a transient failure, at most {@code attempts} times in all. */
    public static <T> Uni<T> retry(Supplier<Uni<T>> work, int attempts) {
        return work.get().onFailure(TransientFailures::isTransient).recoverWithUni(failure ->
                attempts <= 1 ? Uni.createFrom().failure(failure) : retry(work, attempts - 1));
    }
}
