package io.starconsole.functions.database;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.Set;

/**
 * Fresh planner statistics after a statement that wrote many rows into a table that held few. The
 * planner sizes a table from its last ANALYZE, and autovacuum runs one only at its next round (up
 * to {@code autovacuum_naptime}, a minute, later): until then a broadcast's thousands of new
 * deliveries are planned as the few rows the table held, and the per-box lookups of the lease and
 * result batches become a scan of the whole table for every box (measured: a 10,000-box broadcast
 * took 60 s instead of 5, its batch calls 1–2.5 s each, past the edge's call timeout).
 *
 * <p>ANALYZE runs in the writer's own transaction, before it commits (and so before the edges are
 * told of the work): it samples that transaction's new rows too, and its row count and statistics
 * are in place at the commit. It is skipped when the rows written are under a tenth of what the
 * planner knows the table holds (autovacuum's own rule), and for writes under {@link #BULK_ROWS}.
 * It takes a lock that other writers do not wait for (only another ANALYZE or VACUUM of the table
 * does); a database user that does not own the table gets a warning from PostgreSQL, not an error.
 */
public final class PlannerStatistics {

    /** Rows written in one statement from which the statistics may be stale enough to matter. */
    public static final long BULK_ROWS = 1000;

    /** The tables this may analyse: names go into the statement's text. */
    private static final Set<String> TABLES = Set.of("command_deliveries");

    private PlannerStatistics() {
    }

    /** After {@code rowsWritten} new rows in {@code table}, in the transaction {@code db}: analyses it if needed. */
    public static Uni<Void> refreshAfterBulkWrite(SqlClient db, String table, long rowsWritten) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not a table whose statistics are refreshed: " + table);
        }
        if (rowsWritten < BULK_ROWS) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("SELECT reltuples FROM pg_class WHERE oid = $1::regclass")
                .execute(Tuple.of(table))
                .flatMap(rows -> {
                    // -1: never analysed; otherwise the row count as of the last ANALYZE or VACUUM
                    double known = rows.iterator().next().getDouble(0);
                    if (known >= 0 && rowsWritten * 10 < known) {
                        return Uni.createFrom().voidItem();
                    }
                    return db.query("ANALYZE " + table).execute().replaceWithVoid();
                });
    }
}
