package io.starconsole.bench;

import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads a database's {@link DatabaseActivity} at the start and at the end of a measured window, on a
 * thread of its own, while the caller drives the load; the load average is taken at the end too.
 */
final class MeasuredWindow {

    /** What the caller does during the window. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * The database's work in the window, its busiest tables, and the machine's load average at its
     * end.
     */
    record Measured(DatabaseActivity.Interval database, String busiestTables, String busiestStatements,
                    String loadAverage) {
    }

    private final Connection superuser;
    private final long postmasterPid;
    private final boolean statements;

    /** {@code statements}: whether pg_stat_statements is there to be read. */
    MeasuredWindow(Connection superuser, long postmasterPid, boolean statements) {
        this.superuser = superuser;
        this.postmasterPid = postmasterPid;
        this.statements = statements;
    }

    Measured measure(long startNanos, long endNanos, Body body) throws Exception {
        CompletableFuture<Measured> readings = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                RateSchedule.parkUntil(startNanos);
                DatabaseActivity first = DatabaseActivity.read(superuser, postmasterPid);
                TableActivity firstTables = TableActivity.read(superuser);
                StatementActivity firstStatements = statements ? StatementActivity.read(superuser) : null;
                RateSchedule.parkUntil(endNanos);
                DatabaseActivity last = DatabaseActivity.read(superuser, postmasterPid);
                TableActivity lastTables = TableActivity.read(superuser);
                StatementActivity lastStatements = statements ? StatementActivity.read(superuser) : null;
                DatabaseActivity.Interval interval = last.since(first);
                readings.complete(new Measured(interval, lastTables.busiestSince(firstTables, interval.seconds(), 4),
                        statements ? lastStatements.busiestSince(firstStatements, interval.seconds(), 6)
                                : " (pg_stat_statements not loaded)",
                        Proc.loadAverage()));
            } catch (Exception e) {
                readings.completeExceptionally(e);
            }
        }, "database-readings");
        reader.start();
        body.run();
        try {
            return readings.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the database's activity failed: " + e.getCause(), e.getCause());
        }
    }
}
