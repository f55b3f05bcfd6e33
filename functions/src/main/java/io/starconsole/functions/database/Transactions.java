package io.starconsole.functions.database;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Future;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.TransactionRollbackException;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A transaction whose BEGIN goes out with its first statement. The pool's own
 * {@code withTransaction} waits for BEGIN's answer before it runs the work, so every transaction
 * paid a round trip for it: under load each round trip waits for the functions' event loop and
 * then for PostgreSQL's backend to be scheduled, and sampling {@code pg_stat_activity} with 10,000
 * boxes online found backends idle after BEGIN, waiting for the next statement, more than any
 * statement kept one busy (bench/RESULTS.md, session 13). PostgreSQL reads the connection's
 * statements in order, so the first one runs inside the transaction either way.
 *
 * <p>Otherwise it is the pool's {@code withTransaction}: the work's result once COMMIT has
 * answered; a failure of the work rolls back and is passed on; a statement that failed inside the
 * work, even one the work recovered from, makes the commit a rollback that fails with
 * {@link TransactionRollbackException}; the connection goes back to the pool at the end.
 *
 * <p>A connection lost under the work (the database stopped, the network reset) fails the work's
 * statements, and their callers report that once, as the API's 503 or a job's warning. Vert.x also
 * hands the socket's error to the connection's exception handler, and a held connection without
 * one prints the stack trace to stderr: each transaction's connection gets a handler that keeps it
 * at debug level.
 */
public final class Transactions {

    private static final Logger LOG = Logger.getLogger(Transactions.class);
    private static final Consumer<Throwable> LOST_CONNECTION =
            lost -> LOG.debugf("a connection failed under a transaction: %s", lost);

    private Transactions() {
    }

    /** {@code work} on one connection, in one transaction. */
    public static <T> Uni<T> run(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(connection -> inTransaction(connection, Optional.empty(), work));
    }

    /**
     * As {@link #run(Pool, Function)}, the transaction's settings first: {@code settings} is a
     * select list of {@code set_config(name, value, true)} calls (e.g.
     * {@link GenericPlans#FOR_THIS_TRANSACTION}), sent with BEGIN, so the work's first statement does
     * not wait for them either. Their failure is the transaction's.
     */
    public static <T> Uni<T> run(Pool pool, String settings, Function<SqlConnection, Uni<T>> work) {
        return pool.withConnection(connection -> inTransaction(connection, Optional.of(settings), work));
    }

    /** The transaction on a connection the caller holds (and gives back). */
    static <T> Uni<T> inTransaction(SqlConnection connection, Optional<String> settings,
                                            Function<SqlConnection, Uni<T>> work) {
        connection.exceptionHandler(LOST_CONNECTION);
        // Written now; the work's statements queue behind them on the connection.
        Future<Transaction> begun = connection.getDelegate().begin();
        Future<?> set = settings.isEmpty() ? Future.succeededFuture()
                : connection.getDelegate().query("SELECT " + settings.get()).execute();
        Future<Transaction> started = begun.compose(transaction -> set.map(transaction));
        return Uni.createFrom().deferred(() -> work.apply(connection))
                .onItemOrFailure().transformToUni((result, failure) -> {
                    if (failure == null) {
                        return UniHelper.toUni(started.compose(Transaction::commit)).map(committed -> result)
                                .onFailure(refused -> set.failed()).call(() -> rollback(begun));
                    }
                    if (failure instanceof TransactionRollbackException) {
                        return Uni.createFrom().failure(failure);
                    }
                    // The settings' own error, not the "transaction is aborted" of the statements after them.
                    Throwable cause = set.failed() ? set.cause() : failure;
                    return rollback(begun).onItem().transformToUni(rolledBack -> Uni.createFrom().<T>failure(cause));
                });
    }

    /** Rolls back; a rollback that fails (the connection is gone) leaves the first failure to be reported. */
    private static Uni<Void> rollback(Future<Transaction> begun) {
        return UniHelper.toUni(begun.compose(Transaction::rollback)).onFailure().recoverWithNull();
    }
}
