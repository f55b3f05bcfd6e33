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
 * one-row {@code INSERT}, {@code COMMIT}: three round trips, the commit waiting for its WAL flush).
 *
 * <p>With a run's calls, statements and transactions per cycle, {@link Costs#cycleSeconds} gives the CPU
 * those alone take and {@link Costs#cyclesPerSecond} the most cycles a second that leaves room for.
 */
final class QueueFloor {

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
    static Costs measureAndPrint(Api edge, int threads, double seconds, long functionsPid, Connection superuser,
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
            double statement = select.postgres + select.client;
            double commit = Math.max(0, write.postgres + write.client - 3 * statement);
            Costs costs = new Costs(refused.functions + refused.client + refused.postgres, statement, commit);
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
                            + " write per step): %.0f µs, at most %.0f cycles/s%n",
                    seconds, threads, live.format(), refused.format(), select.format(), write.format(),
                    callsPerCycle, 1e6 * costs.callSeconds(), statementsPerCycle, 1e6 * costs.statementSeconds(),
                    transactionsPerCycle, 1e6 * costs.commitSeconds(), floorMicros,
                    costs.cyclesPerSecond(cores, callsPerCycle, statementsPerCycle, transactionsPerCycle), cores,
                    spentMicros, reached, 1e6 * costs.cycleSeconds(callsPerCycle, callsPerCycle, callsPerCycle),
                    costs.cyclesPerSecond(cores, callsPerCycle, callsPerCycle, callsPerCycle));
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
