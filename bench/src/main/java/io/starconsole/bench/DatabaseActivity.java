package io.starconsole.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What one PostgreSQL database had done up to one instant: the cumulative counters of
 * {@code pg_stat_database} (transactions, rows), the WAL position (bytes of WAL written by the whole
 * cluster) and the CPU ticks of the server's processes ({@link Proc#treeCpuTicks}). Two readings give an
 * {@link Interval}.
 *
 * <p>{@code pg_stat_database} is fed by each backend at the end of its transactions, at most once a
 * second while busy (and within 10 s when idle), so an interval's counts are exact to about a second
 * of work at each end; the WAL position and the CPU ticks are exact.
 */
record DatabaseActivity(long atNanos, long commits, long rollbacks, long rowsFetched, long rowsInserted,
                        long rowsUpdated, long rowsDeleted, long walBytes, long cpuTicks) {

    private static final String COUNTERS = "SELECT xact_commit, xact_rollback, tup_fetched, tup_inserted, tup_updated,"
            + " tup_deleted, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint"
            + " FROM pg_stat_database WHERE datname = current_database()";

    /** Reads the counters through {@code superuser} (a connection allowed to read the WAL position). */
    static DatabaseActivity read(Connection superuser, long postmasterPid) throws SQLException, IOException {
        try (Statement statement = superuser.createStatement();
             ResultSet row = statement.executeQuery(COUNTERS)) {
            if (!row.next()) {
                throw new SQLException("pg_stat_database has no row for the current database");
            }
            return new DatabaseActivity(System.nanoTime(), row.getLong(1), row.getLong(2), row.getLong(3),
                    row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7), Proc.treeCpuTicks(postmasterPid));
        }
    }

    /** The pid of the postmaster serving {@code connection}: the parent of its backend. */
    static long postmasterPid(Connection connection) throws SQLException, IOException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_backend_pid()")) {
            row.next();
            return Proc.parentPidFromStat(java.nio.file.Files.readString(
                    java.nio.file.Path.of("/proc", String.valueOf(row.getLong(1)), "stat")));
        }
    }

    /** What happened between {@code earlier} and this reading. */
    Interval since(DatabaseActivity earlier) {
        if (earlier.atNanos > atNanos) {
            throw new IllegalArgumentException("the earlier reading was taken after this one");
        }
        return new Interval((atNanos - earlier.atNanos) / 1e9,
                (commits - earlier.commits) + (rollbacks - earlier.rollbacks),
                rowsFetched - earlier.rowsFetched, rowsInserted - earlier.rowsInserted,
                rowsUpdated - earlier.rowsUpdated, rowsDeleted - earlier.rowsDeleted, walBytes - earlier.walBytes,
                (cpuTicks - earlier.cpuTicks) / (double) Proc.CLOCK_TICKS_PER_SECOND);
    }

    /** Counts over {@code seconds} of wall time; {@code transactions} are commits plus rollbacks. */
    record Interval(double seconds, long transactions, long rowsFetched, long rowsInserted, long rowsUpdated,
                    long rowsDeleted, long walBytes, double cpuSeconds) {

        Interval {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("an interval must last some time, got " + seconds + " s");
            }
        }

        double transactionsPerSecond() {
            return transactions / seconds;
        }

        double rowsFetchedPerSecond() {
            return rowsFetched / seconds;
        }

        double rowsWrittenPerSecond() {
            return (rowsInserted + rowsUpdated + rowsDeleted) / seconds;
        }

        double walKibPerSecond() {
            return walBytes / 1024.0 / seconds;
        }

        /** The database's CPU as a share of one core, in percent. */
        double cpuPercentOfOneCore() {
            return 100 * cpuSeconds / seconds;
        }

        /**
         * This interval's rates less those of {@code idle} (the same database with no load, e.g. the
         * console's own timers), scaled to this interval's length; never below zero.
         */
        Interval lessIdle(Interval idle) {
            double scale = seconds / idle.seconds;
            return new Interval(seconds, less(transactions, idle.transactions, scale),
                    less(rowsFetched, idle.rowsFetched, scale), less(rowsInserted, idle.rowsInserted, scale),
                    less(rowsUpdated, idle.rowsUpdated, scale), less(rowsDeleted, idle.rowsDeleted, scale),
                    less(walBytes, idle.walBytes, scale), Math.max(0, cpuSeconds - idle.cpuSeconds * scale));
        }

        private static long less(long value, long idle, double scale) {
            return Math.max(0, value - Math.round(idle * scale));
        }

        String format() {
            return String.format(Locale.ROOT, "%.1f s: %d transactions (%.0f/s), rows fetched %.0f/s, rows written"
                            + " %.0f/s (updated %d, inserted %d), WAL %.0f KiB/s, postgres CPU %.1f s (%.0f%% of one core)",
                    seconds, transactions, transactionsPerSecond(), rowsFetchedPerSecond(), rowsWrittenPerSecond(),
                    rowsUpdated, rowsInserted, walKibPerSecond(), cpuSeconds, cpuPercentOfOneCore());
        }
    }
}
