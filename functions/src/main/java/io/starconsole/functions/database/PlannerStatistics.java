package io.starconsole.functions.database;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import java.util.Set;

/**
 * Fresh planner statistics after a statement that wrote many rows. The planner knows a table from
 * its last ANALYZE, and autovacuum runs one only at its next look ({@code autovacuum_naptime}: a
 * second in the console's configuration, a minute by PostgreSQL's default) once enough rows have
 * changed (10,000 for the queue's tables since schema V11, a tenth of the table by default), and the
 * statement's own transaction has committed and told the edges by then. Until then a broadcast's
 * thousands of new open deliveries are planned as what the table held before: each box's lease in
 * a batch of 500 walked the partial index of open deliveries (believed nearly empty) and filtered
 * out every other box's row, 589 ms for a batch against 2.3 ms once analysed (10,300 deliveries, of
 * which 10,000 of the broadcast); a 10,000-box broadcast took 60 s instead of 5, its batch calls
 * 1–2.5 s each, past the edge's call timeout. The same holds in a table of millions whose
 * statistics say that almost no delivery is open, so the rule is not autovacuum's tenth.
 *
 * <p>ANALYZE runs in the writer's own transaction, before it commits (and so before the edges are
 * told of the work): it samples that transaction's new rows too, and its row count and statistics
 * are in place at the commit. It samples at most 30,000 rows whatever the table's size (tenths of a
 * second on a large table, once per large command). It takes a lock that the queue's own reads
 * and writes do not wait for (only another ANALYZE or a VACUUM of the table does); a database user
 * that does not own the table gets a warning from PostgreSQL, not an error.
 */
public final class PlannerStatistics {

    /** Rows written in one statement from which the statistics may be stale enough to matter. */
    public static final long BULK_ROWS = 1000;

    /** The tables this may analyse: names go into the statement's text. */
    private static final Set<String> TABLES = Set.of("command_deliveries");

    private PlannerStatistics() {
    }

    /** After {@code rowsWritten} new rows in {@code table}, in the transaction {@code db}: analyses it if that is many. */
    public static Uni<Void> refreshAfterBulkWrite(SqlClient db, String table, long rowsWritten) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not a table whose statistics are refreshed: " + table);
        }
        if (rowsWritten < BULK_ROWS) {
            return Uni.createFrom().voidItem();
        }
        return db.query("ANALYZE " + table).execute().replaceWithVoid();
    }
}
