package io.starconsole.functions.database;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.function.Function;

/**
 * Generic plans for the rest of one transaction. PostgreSQL plans a prepared statement afresh on
 * every call while it thinks a plan made for the call's values is cheaper than one made for any
 * values, and for a statement reading arrays ({@code unnest($1::int[])}) it always does: a custom
 * plan knows the array's length. For a single-box command's few-row statements that planning cost
 * more than running them: 1.4 ms of planning against 1.6 ms of execution per enqueue, lease and
 * result cycle, nearly all of it in three statements (bench/RESULTS.md, session 8). Their plans
 * are index lookups whatever the values, so the plan made once per connection serves every call.
 *
 * <p>Only for transactions whose statements touch a few rows each: a large write (a broadcast, a
 * batch of a thousand commands, an edge's lease batch of many boxes) keeps plans made for its values.
 */
public final class GenericPlans {

    /** A select-list item that sets it for the transaction it runs in ({@link Transactions#run(Pool, String, Function)}). */
    public static final String FOR_THIS_TRANSACTION = "set_config('plan_cache_mode', 'force_generic_plan', true)";

    /**
     * The most boxes of an edge's lease batch whose transaction keeps generic plans. Between
     * commands an edge's lease batches name one to three boxes, and their array statements were
     * planned afresh at every call, as long as running them: 1.5 of a command's 3.7 ms of planning
     * at 10,000 boxes online; their generic plans read fewer blocks too (bench/RESULTS.md, session 18). A
     * broadcast's batches of hundreds keep plans made for their arrays. Result batches keep theirs:
     * the generic plan of their locking read ({@code d.id = ANY($1)}) read half as many blocks again.
     */
    public static final int MAX_SMALL_BATCH = 16;

    private GenericPlans() {
    }

    /**
     * {@code work} in one transaction ({@link Transactions#run(Pool, Function)}), with generic plans
     * when it serves a batch of at most {@link #MAX_SMALL_BATCH} boxes.
     */
    public static <T> Uni<T> transactionForBatch(Pool pool, int boxes, Function<SqlConnection, Uni<T>> work) {
        return boxes <= MAX_SMALL_BATCH ? Transactions.run(pool, FOR_THIS_TRANSACTION, work)
                : Transactions.run(pool, work);
    }
}
