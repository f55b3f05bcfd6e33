package io.starconsole.functions;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;

/** Reads the database straight from a test, to check what the API stored. */
public final class DbAssertions {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private DbAssertions() {
    }

    public static RowSet<Row> query(Pool pool, String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(parameters))).await().atMost(WAIT);
    }

    /** The first row; fails when there is none. */
    public static Row one(Pool pool, String sql, Object... parameters) {
        RowSet<Row> rows = query(pool, sql, parameters);
        if (rows.size() == 0) {
            throw new AssertionError("no row for: " + sql);
        }
        return rows.iterator().next();
    }

    /** When {@code table} was last analysed by an ANALYZE statement (autovacuum's are apart); -infinity if never. */
    public static OffsetDateTime lastAnalyze(Pool pool, String table) {
        return one(pool, "SELECT coalesce(last_analyze, '-infinity'::timestamptz) FROM pg_stat_user_tables"
                + " WHERE relname = $1", table).getOffsetDateTime(0);
    }
}
