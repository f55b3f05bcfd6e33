package io.starconsole.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Per-statement counters of {@code pg_stat_statements} at one instant (when the extension is loaded),
 * to name the statements that did a window's work.
 */
record StatementActivity(Map<Long, Counters> statements) {

    /** Statements that run this long or longer have their plans logged (with {@code plans}). */
    static final int PLAN_AFTER_MILLIS = 2;

    /**
     * Calls, milliseconds of execution and of planning (0 unless planning is tracked), rows and shared
     * blocks touched (hit + read) of one statement.
     */
    record Counters(String query, long calls, double milliseconds, double planMilliseconds, long rows, long blocks) {

        Counters minus(Counters earlier) {
            return new Counters(query, calls - earlier.calls, milliseconds - earlier.milliseconds,
                    planMilliseconds - earlier.planMilliseconds, rows - earlier.rows, blocks - earlier.blocks);
        }

        Counters plus(Counters other) {
            return new Counters(query, calls + other.calls, milliseconds + other.milliseconds,
                    planMilliseconds + other.planMilliseconds, rows + other.rows, blocks + other.blocks);
        }
    }

    /** Stops and starts the database under test. */
    @FunctionalInterface
    interface DatabaseRestart {
        void restart() throws Exception;
    }

    /**
     * Restarts PostgreSQL with pg_stat_statements loaded (it must be loaded at start), creates the
     * extension and has it time planning as well as execution: a statement planned afresh on every
     * call costs its backend CPU that its execution time does not show.
     */
    static void load(String superuserJdbcUrl, DatabaseRestart restart) throws Exception {
        load(superuserJdbcUrl, restart, Optional.empty());
    }

    /**
     * As {@link #load(String, DatabaseRestart)}; with {@code plans}, auto_explain too: the plan of
     * every statement that runs {@link #PLAN_AFTER_MILLIS} ms or longer, with its rows and buffers, goes
     * to PostgreSQL's log files in that directory.
     */
    static void load(String superuserJdbcUrl, DatabaseRestart restart, Optional<Path> plans) throws Exception {
        try (Connection c = DriverManager.getConnection(superuserJdbcUrl, "postgres", "");
             Statement statement = c.createStatement()) {
            if (plans.isPresent()) {
                Files.createDirectories(plans.get());
                statement.execute("ALTER SYSTEM SET shared_preload_libraries = pg_stat_statements, auto_explain");
                statement.execute("ALTER SYSTEM SET logging_collector = on");
                statement.execute("ALTER SYSTEM SET log_directory = '" + plans.get().toAbsolutePath().toString()
                        .replace("'", "''") + "'");
            } else {
                statement.execute("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
            }
        }
        restart.restart();
        try (Connection c = DriverManager.getConnection(superuserJdbcUrl, "postgres", "");
             Statement statement = c.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            statement.execute("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
            if (plans.isPresent()) {
                statement.execute("ALTER SYSTEM SET auto_explain.log_min_duration = " + PLAN_AFTER_MILLIS);
                statement.execute("ALTER SYSTEM SET auto_explain.log_analyze = on");
                statement.execute("ALTER SYSTEM SET auto_explain.log_buffers = on");
                // Rows and buffers without a clock read per plan node, which would slow every statement.
                statement.execute("ALTER SYSTEM SET auto_explain.log_timing = off");
            }
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    static boolean available(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")) {
            row.next();
            return row.getLong(1) > 0;
        }
    }

    static StatementActivity read(Connection connection) throws SQLException {
        Map<Long, Counters> statements = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT queryid, query, calls, total_exec_time, total_plan_time,"
                     + " rows, shared_blks_hit + shared_blks_read FROM pg_stat_statements WHERE queryid IS NOT NULL")) {
            while (rows.next()) {
                statements.merge(rows.getLong(1), new Counters(rows.getString(2), rows.getLong(3), rows.getDouble(4),
                        rows.getDouble(5), rows.getLong(6), rows.getLong(7)), Counters::plus);
            }
        }
        return new StatementActivity(statements);
    }

    /** Statements executed since {@code earlier}, all kinds, the reading's own query included. */
    long callsSince(StatementActivity earlier) {
        long calls = 0;
        for (Map.Entry<Long, Counters> e : statements.entrySet()) {
            Counters before = earlier.statements.get(e.getKey());
            calls += e.getValue().calls - (before == null ? 0 : before.calls);
        }
        return calls;
    }

    /** The {@code limit} statements that touched the most shared blocks since {@code earlier}, one a line. */
    String busiestSince(StatementActivity earlier, double seconds, int limit) {
        List<Counters> deltas = since(earlier);
        deltas.sort((a, b) -> Long.compare(b.blocks, a.blocks));
        StringBuilder out = new StringBuilder();
        for (Counters c : deltas.subList(0, Math.min(limit, deltas.size()))) {
            if (c.calls == 0) {
                break;
            }
            String query = c.query.replaceAll("\\s+", " ");
            out.append(String.format(Locale.ROOT, "%n    %.1f calls/s, %.0f blocks/s, %.2f ms/call (planning %.2f), %.1f rows/call: %s",
                    c.calls / seconds, c.blocks / seconds, c.milliseconds / c.calls, c.planMilliseconds / c.calls,
                    c.rows / (double) c.calls,
                    query.length() > 160 ? query.substring(0, 160) + "..." : query));
        }
        return out.toString();
    }

    /**
     * The {@code limit} statements called most since {@code earlier}, per unit of work ({@code units},
     * e.g. queue cycles), one a line, and the sum of calls per unit over all statements.
     */
    String mostCalledSince(StatementActivity earlier, long units, int limit) {
        List<Counters> deltas = since(earlier);
        deltas.sort((a, b) -> Long.compare(b.calls, a.calls));
        long calls = deltas.stream().mapToLong(Counters::calls).sum();
        double milliseconds = deltas.stream().mapToDouble(Counters::milliseconds).sum();
        double planMilliseconds = deltas.stream().mapToDouble(Counters::planMilliseconds).sum();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%n    all statements: %.2f calls, %.3f ms of execution and %.3f ms of planning per unit",
                calls / (double) units, milliseconds / units, planMilliseconds / units));
        for (Counters c : deltas.subList(0, Math.min(limit, deltas.size()))) {
            if (c.calls == 0) {
                break;
            }
            String query = c.query.replaceAll("\\s+", " ");
            out.append(String.format(Locale.ROOT, "%n    %.2f calls, %.3f ms/call (planning %.3f), %.1f rows/call, %.0f blocks/call: %s",
                    c.calls / (double) units, c.milliseconds / c.calls, c.planMilliseconds / c.calls, c.rows / (double) c.calls,
                    c.blocks / (double) c.calls,
                    query.length() > 180 ? query.substring(0, 180) + "..." : query));
        }
        return out.toString();
    }

    /** Each statement's counters less those of {@code earlier}. */
    private List<Counters> since(StatementActivity earlier) {
        List<Counters> deltas = new ArrayList<>();
        statements.forEach((id, now) -> {
            Counters before = earlier.statements.get(id);
            deltas.add(before == null ? now : now.minus(before));
        });
        return deltas;
    }
}
