package io.starconsole.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The least CPU a queue cycle can cost on this machine, whatever the console's code: each piece a cycle
 * is made of, measured bare for a fixed time on the bench's threads. An HTTP call the functions refuse
 * before any database work (authentication, routing, JSON in and out, an error answer); a round trip of
 * {@code SELECT 1} to PostgreSQL; and a write transaction sent as the functions send theirs ({@code BEGIN},
 * one-row {@code INSERT}, {@code COMMIT}: three round trips, the commit waiting for its WAL flush). Last,
 * the rows a cycle writes on the console's own tables (a command, its delivery and its audit row; the
 * lease; the results), a round of the run's batch in three one-statement transactions.
 *
 * <p>With a run's calls, statements and transactions per cycle, {@link Costs#cycleSeconds} gives the CPU
 * those alone take and {@link Costs#cyclesPerSecond} the most cycles a second that leaves room for.
 */
final class QueueFloor {

    /** The largest round whose statements keep generic plans, as the functions' small lease batches do. */
    private static final int SMALL_ROUND = 16;

    private QueueFloor() {
    }

    /**
     * CPU seconds, all processes on the machine that take part (the functions, PostgreSQL, the bench as
     * client): of an HTTP call refused before the database, of one statement round trip (PostgreSQL's
     * backend and the client's driver), and of a write transaction's commit beyond its three round trips.
     */
    record Costs(double callSeconds, double statementSeconds, double commitSeconds) {

        Costs {
            if (!(callSeconds >= 0 && statementSeconds >= 0 && commitSeconds >= 0)) {
                throw new IllegalArgumentException("costs are CPU seconds, not below zero: " + callSeconds + ", "
                        + statementSeconds + ", " + commitSeconds);
            }
        }

        /** The CPU of a cycle of {@code calls} HTTP calls, {@code statements} round trips and {@code transactions} commits. */
        double cycleSeconds(double calls, double statements, double transactions) {
            return calls * callSeconds + statements * statementSeconds + transactions * commitSeconds;
        }

        /** The most such cycles a second {@code cores} busy cores could do were that all they did. */
        double cyclesPerSecond(int cores, double calls, double statements, double transactions) {
            return cores / cycleSeconds(calls, statements, transactions);
        }
    }

    /** A piece of the cycle done over and over by one worker; each call does it once. */
    private interface Piece {
        void once() throws Exception;
    }

    /** What one piece cost: how many were done, and the CPU seconds per piece of each process. */
    private record Measured(long done, double seconds, double functions, double postgres, double client) {

        double perSecond() {
            return done / seconds;
        }

        /** The same with each piece counted as {@code cycles} cycles. */
        Measured perCycle(int cycles) {
            return new Measured(done * cycles, seconds, functions / cycles, postgres / cycles, client / cycles);
        }

        String format() {
            return String.format(Locale.ROOT, "%.0f/s; CPU each: functions %.1f µs, postgres %.1f µs, client %.1f µs",
                    perSecond(), 1e6 * functions, 1e6 * postgres, 1e6 * client);
        }
    }

    /**
     * Measures each piece for {@code seconds} on {@code threads} workers and prints what each cost and the
     * floor of a cycle of {@code callsPerCycle}, {@code statementsPerCycle} and {@code transactionsPerCycle}
     * next to what the run spent ({@code spentMicros} of CPU a cycle, {@code reached} cycles a second).
     */
    static Costs measureAndPrint(Api edge, int threads, int batch, double seconds, long functionsPid, Connection superuser,
                                 String jdbcUrl, double callsPerCycle, double statementsPerCycle,
                                 double transactionsPerCycle, double spentMicros, double reached) throws Exception {
        long postmaster = DatabaseActivity.postmasterPid(superuser);
        Measured live = measure(threads, seconds, functionsPid, superuser, postmaster, worker -> () -> {
            edge.get("/q/health/live");
        });
        Measured refused = measure(threads, seconds, functionsPid, superuser, postmaster, worker -> () -> {
            Api.Result r = edge.post("/internal/v1/commands/lease", Map.of("publicKey", "not-a-key", "edgeId", "bench-edge"));
            if (r.status() != 400) {
                throw new IllegalStateException("a lease with a malformed key was answered " + r.status() + " " + r.body());
            }
        });
        List<Connection> connections = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                connections.add(DriverManager.getConnection(jdbcUrl, "postgres", ""));
            }
            try (Statement ddl = superuser.createStatement()) {
                ddl.execute("CREATE TABLE bench_floor_probe (worker int NOT NULL, n bigint NOT NULL)");
            }
            Measured select = measure(threads, seconds, functionsPid, superuser, postmaster, worker -> {
                PreparedStatement one = connections.get(worker).prepareStatement("SELECT 1");
                return () -> {
                    try (ResultSet row = one.executeQuery()) {
                        row.next();
                    }
                };
            });
            Measured write = measure(threads, seconds, functionsPid, superuser, postmaster, worker -> {
                Connection c = connections.get(worker);
                PreparedStatement begin = c.prepareStatement("BEGIN");
                PreparedStatement insert = c.prepareStatement("INSERT INTO bench_floor_probe VALUES (?, ?)");
                PreparedStatement commit = c.prepareStatement("COMMIT");
                AtomicLong n = new AtomicLong();
                return () -> {
                    begin.execute();
                    insert.setInt(1, worker);
                    insert.setLong(2, n.incrementAndGet());
                    insert.executeUpdate();
                    commit.execute();
                };
            });
            int round = Math.max(1, batch);
            List<Integer> boxIds = boxIds(superuser);
            if (boxIds.size() < threads * round) {
                throw new IllegalStateException(boxIds.size() + " boxes, the row floor needs " + threads * round);
            }
            Measured rows = measure(threads, seconds, functionsPid, superuser, postmaster,
                    worker -> rowsOfARound(connections.get(worker), boxIds.subList(worker * round, (worker + 1) * round)));
            double statement = select.postgres + select.client;
            double commit = Math.max(0, write.postgres + write.client - 3 * statement);
            Costs costs = new Costs(refused.functions + refused.client + refused.postgres, statement, commit);
            Measured rowsPerCycle = rows.perCycle(round);
            double rowsMicros = 1e6 * (rowsPerCycle.postgres + rowsPerCycle.client + callsPerCycle * costs.callSeconds());
            double floorMicros = 1e6 * costs.cycleSeconds(callsPerCycle, statementsPerCycle, transactionsPerCycle);
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf(Locale.ROOT, "floor (each piece for %.0f s on %d threads):%n"
                            + "  GET /q/health/live: %s%n"
                            + "  edge call refused before the database (400): %s%n"
                            + "  SELECT 1 round trip: %s%n"
                            + "  BEGIN; one-row INSERT; COMMIT (3 round trips and a WAL flush): %s%n"
                            + "  a cycle of this run: %.2f calls × %.0f µs + %.2f statements × %.0f µs + %.2f commits × %.0f µs"
                            + " = %.0f µs of CPU at least, so at most %.0f cycles/s on %d cores;"
                            + " the run spent %.0f µs a cycle and reached %.0f cycles/s%n"
                            + "  with one statement, committed on its own, per call (no design does less with a durable"
                            + " write per step): %.0f µs, at most %.0f cycles/s%n"
                            + "  the rows a cycle writes, with the fewest statements (3 transactions a round of %d, the"
                            + " first after a setting: %d"
                            + " commands, deliveries and audit rows in one statement, their lease in one, their results"
                            + " in one): %s; with the run's %.2f calls, %.0f µs a cycle, at most %.0f cycles/s%n",
                    seconds, threads, live.format(), refused.format(), select.format(), write.format(),
                    callsPerCycle, 1e6 * costs.callSeconds(), statementsPerCycle, 1e6 * costs.statementSeconds(),
                    transactionsPerCycle, 1e6 * costs.commitSeconds(), floorMicros,
                    costs.cyclesPerSecond(cores, callsPerCycle, statementsPerCycle, transactionsPerCycle), cores,
                    spentMicros, reached, 1e6 * costs.cycleSeconds(callsPerCycle, callsPerCycle, callsPerCycle),
                    costs.cyclesPerSecond(cores, callsPerCycle, callsPerCycle, callsPerCycle), round, round,
                    rows.perCycle(round).format(), callsPerCycle, rowsMicros, cores * 1e6 / rowsMicros);
            return costs;
        } finally {
            for (Connection c : connections) {
                c.close();
            }
            try (Statement ddl = superuser.createStatement()) {
                ddl.execute("DROP TABLE IF EXISTS bench_floor_probe");
            }
        }
    }

    /** The registered boxes' ids, in order. */
    private static List<Integer> boxIds(Connection superuser) throws Exception {
        List<Integer> ids = new ArrayList<>();
        try (Statement query = superuser.createStatement();
             ResultSet rows = query.executeQuery("SELECT id FROM spnclients ORDER BY id")) {
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
        }
        return ids;
    }

    /**
     * One round of cycles, one a box, writing the rows the console's cycle writes (a command, its
     * delivery and its audit row; the delivery leased; the delivery and the command succeeded) in three
     * transactions of one statement each (the driver sends BEGIN with it), the enqueue's after the
     * setting that silences the deliveries' trigger, as the functions' enqueues announce after commit.
     * Leaves the connection in autocommit (and, for a small round, with generic plans).
     */
    private static Piece rowsOfARound(Connection c, List<Integer> boxes) throws Exception {
        if (boxes.size() <= SMALL_ROUND) {
            // As the functions' few-row transactions: planned once, not at every call (GenericPlans).
            try (Statement generic = c.createStatement()) {
                generic.execute("SET plan_cache_mode = force_generic_plan");
            }
        }
        PreparedStatement announceAfterCommit = c.prepareStatement(
                "SELECT set_config('star_console.announce_after_commit', 'on', true)");
        PreparedStatement enqueue = c.prepareStatement("WITH c AS (INSERT INTO commands (type, target_kind,"
                + " target_value, contents, created_by, created_from) SELECT 100, 'box', b::text, 'floor', 'bench',"
                + " '127.0.0.1' FROM unnest(?::int[]) AS b RETURNING id, target_value),"
                + " d AS (INSERT INTO command_deliveries (command_id, box_id, enqueued_xid)"
                + "   SELECT id, target_value::int, pg_current_xact_id() FROM c RETURNING id),"
                + " a AS (INSERT INTO audit_log (actor, action, target, detail, source) SELECT 'bench',"
                + "   'command.enqueued', 'box:' || target_value, jsonb_build_object('command', id, 'type',"
                + "   'CHANGE_SPNBOX_NAME'), '127.0.0.1' FROM c)"
                + " SELECT array_agg(id) FROM d");
        PreparedStatement lease = c.prepareStatement("UPDATE command_deliveries SET state = 'delivered',"
                + " attempts = attempts + 1, leased_until = now() + interval '30 seconds', leased_by = 'bench-edge',"
                + " lease_request = 'floor', updated_at = now() WHERE id = ANY(?)");
        PreparedStatement result = c.prepareStatement("WITH e AS (UPDATE command_deliveries SET state = 'succeeded',"
                + " result = 'ok', leased_until = NULL, updated_at = now() WHERE id = ANY(?) RETURNING command_id)"
                + " UPDATE commands SET state = 'succeeded', updated_at = now() WHERE id IN (SELECT command_id FROM e)");
        java.sql.Array boxArray = c.createArrayOf("int4", boxes.toArray());
        return () -> {
            c.setAutoCommit(false);
            try {
                announceAfterCommit.executeQuery().close();
                enqueue.setArray(1, boxArray);
                java.sql.Array deliveries;
                try (ResultSet row = enqueue.executeQuery()) {
                    row.next();
                    deliveries = row.getArray(1);
                }
                c.commit();
                lease.setArray(1, deliveries);
                int leased = lease.executeUpdate();
                c.commit();
                result.setArray(1, deliveries);
                int ended = result.executeUpdate();
                c.commit();
                if (leased != boxes.size() || ended != boxes.size()) {
                    throw new IllegalStateException("a round of " + boxes.size() + " leased " + leased
                            + " and ended " + ended);
                }
            } finally {
                c.setAutoCommit(true);
            }
        };
    }

    /** Makes a worker's piece; the piece is made before the clock starts. */
    private interface PieceMaker {
        Piece forWorker(int worker) throws Exception;
    }

    private static Measured measure(int threads, double seconds, long functionsPid, Connection superuser,
                                    long postmaster, PieceMaker maker) throws Exception {
        List<Piece> pieces = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            pieces.add(maker.forWorker(t));
        }
        // A second of the same first, not measured: the JIT and the connections settle.
        run(pieces, 1.0);
        long generator = ProcessHandle.current().pid();
        DatabaseActivity database0 = DatabaseActivity.read(superuser, postmaster);
        long functions0 = Proc.cpuTicks(functionsPid);
        long client0 = Proc.cpuTicks(generator);
        long start = System.nanoTime();
        long done = run(pieces, seconds);
        double wall = (System.nanoTime() - start) / 1e9;
        double functions = (Proc.cpuTicks(functionsPid) - functions0) / (double) Proc.CLOCK_TICKS_PER_SECOND;
        double client = (Proc.cpuTicks(generator) - client0) / (double) Proc.CLOCK_TICKS_PER_SECOND;
        double postgres = DatabaseActivity.read(superuser, postmaster).since(database0).cpuSeconds();
        long pieceCount = Math.max(1, done);
        return new Measured(done, wall, functions / pieceCount, postgres / pieceCount, client / pieceCount);
    }

    /** Each worker does its piece until {@code seconds} have passed; returns how many were done in all. */
    private static long run(List<Piece> pieces, double seconds) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (Piece piece : pieces) {
            Thread worker = new Thread(() -> {
                long mine = 0;
                try {
                    while (System.nanoTime() < end) {
                        piece.once();
                        mine++;
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
                done.addAndGet(mine);
            }, "floor");
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a floor piece failed", failures.get(0));
        }
        return done.get();
    }
}
