package io.starconsole.functions.database;

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
 * batch of a thousand commands) keeps plans made for its values.
 */
public final class GenericPlans {

    /** A select-list item that sets it for the transaction it runs in ({@link Transactions#run(io.vertx.mutiny.sqlclient.Pool, String, java.util.function.Function)}). */
    public static final String FOR_THIS_TRANSACTION = "set_config('plan_cache_mode', 'force_generic_plan', true)";

    private GenericPlans() {
    }
}
