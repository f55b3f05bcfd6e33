package io.starconsole.functions;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
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
}
