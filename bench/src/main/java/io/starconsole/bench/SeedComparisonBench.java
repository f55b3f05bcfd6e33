package io.starconsole.bench;

import io.starconsole.launcher.LaunchOptions;
import io.starconsole.launcher.StarConsole;
import io.starconsole.localcloud.LocalCloudSettings;
import io.starconsole.localcloud.TemporaryFiles;
import io.starconsole.protocol.crypto.Key;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The seed's design against ours, side by side in one run, on the same load and the same PostgreSQL:
 * what batching presence and waking boxes up buy over one database write per PING and one queue scan
 * per poll.
 *
 * <p>One console is started as the launcher starts it (local cloud with its embedded PostgreSQL,
 * {@code synchronous_commit = on} and {@code fsync = on}; functions; edge; free ports). N {@link BoxFleet}
 * boxes register through the edge with a real handshake. Then, one after the other:
 * <ol>
 *   <li>idle: 10 s with no load (12 s after start, when start-up has been counted), to measure the console's own database work (its timers), which runs
 *       under both designs and is taken off the database figures of both;
 *   <li>ours ({@link ConsolePhase}): the boxes PING the edge, commands are enqueued through the API and
 *       reach their boxes by wake-up; sessions are re-keyed every 120 s as agents do
 *       ({@link SessionKeeper}), each a registration through the functions;
 *   <li>the seed's ({@link SeedPhase}, {@link SeedServer}): the same boxes' rows get one UPDATE per PING,
 *       and each box asks for commands every {@code --seed-poll}, each ask one indexed queue scan (plus
 *       one UPDATE taking the commands found off the queue).
 * </ol>
 * Both get the same {@link ComparisonLoad}: PINGs every {@code --ping} (5 s, the seed's "PING every 5
 * seconds"), single-box commands at {@code --command-rate} to random boxes, open loop, measured for
 * {@code --seconds} after a warm-up. Printed for each: database transactions, rows written and fetched
 * and WAL bytes per second ({@code pg_stat_database}, {@code pg_current_wal_lsn()}), the busiest tables
 * ({@code pg_stat_user_tables}) and statements ({@code pg_stat_statements}, loaded by restarting the
 * console's PostgreSQL once before any measurement), the postgres processes' CPU ({@code /proc}), command latency from its due enqueue time to its receipt by the box (p50/p99/max,
 * HdrHistogram), PING round trip and loss.
 *
 * <p>Assumptions, printed with the figures: the seed's deck gives no poll interval for falcon (only
 * "periodically"; the one period it states is the 5 s PING), so {@code --seed-poll} defaults to 5 s;
 * the seed's server is given the console's indexes and keys rows by primary key; its datagrams are
 * plain (no AES) and its command fetch is UDP, not the seed's TCP, which favours the seed; its
 * commands are taken off the queue when answered (the seed had no results), while ours are acknowledged
 * with a result, which costs ours more database work per command. The seed phase runs after ours on the
 * same machine, which other work may share: the load average is printed with each window.
 *
 * <pre>
 * java -cp bench/target/bench.jar io.starconsole.bench.SeedComparisonBench --boxes 2000 --seconds 60
 * java -cp bench/target/bench.jar io.starconsole.bench.SeedComparisonBench --boxes 10000 --seconds 45 --seed-poll PT1S
 * </pre>
 * Options: --boxes N, --ping PT5S, --seed-poll PT5S, --command-rate 10, --warmup 10, --seconds 60,
 * --drain 10, --idle 10, --register-rate 150 (HELLOs per second), --rekey-rate (RECONNECTs per second
 * at most, default twice one per box every 120 s), --sockets 16 (box-side UDP sockets,
 * each its own source address for the edge's per-source handshake limit), --seed-workers 8 (the seed
 * server's threads, each with one connection), --statements true (restart the console's PostgreSQL
 * with pg_stat_statements loaded and print each window's busiest statements), --home . (the project,
 * for the built jars).
 */
public final class SeedComparisonBench {

    private SeedComparisonBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int boxCount = args.integer("boxes", 2000);
        Duration ping = Duration.parse(args.text("ping", "PT5S"));
        Duration seedPoll = Duration.parse(args.text("seed-poll", "PT5S"));
        double commandRate = args.decimal("command-rate", 10);
        int warmup = args.integer("warmup", 10);
        int seconds = args.integer("seconds", 60);
        int drain = args.integer("drain", 10);
        int idleSeconds = args.integer("idle", 10);
        double registerRate = args.decimal("register-rate", 150);
        int sockets = args.integer("sockets", 16);
        int seedWorkers = args.integer("seed-workers", 8);
        // twice the steady rate (one per box every 120 s), so that a backlog clears
        double rekeyRate = args.decimal("rekey-rate", 2.0 * boxCount / 120);
        boolean loadStatements = !args.text("statements", "true").equals("false");
        Path home = Path.of(args.text("home", ".")).toAbsolutePath().normalize();
        System.out.println("SeedComparisonBench: " + boxCount + " boxes; " + Proc.machine());

        Path data = Files.createTempDirectory("star-console-bench");
        Path log = data.resolve("console.log");
        StarConsole.Ports ports = new StarConsole.Ports(KeepaliveBench.freePort(), KeepaliveBench.freePort(),
                freeUdpPort(), KeepaliveBench.freePort(), KeepaliveBench.freePort());
        StarConsole console = new StarConsole(new LaunchOptions(home, data, 0), ports,
                new PrintStream(Files.newOutputStream(log), true), Map.of());
        Http http = Http.open(8);
        try {
            long t0 = System.nanoTime();
            console.start();
            System.out.printf(Locale.ROOT, "console up in %.1f s (log %s)%n", (System.nanoTime() - t0) / 1e9, log);
            if (loadStatements) {
                loadStatementStatistics(console);
            }
            try (Connection superuser = DriverManager.getConnection(console.jdbcUrl(), "postgres", "")) {
                boolean statements = StatementActivity.available(superuser);
                System.out.println("PostgreSQL: " + settings(superuser) + "; pg_stat_statements " + statements);
                MeasuredWindow window = new MeasuredWindow(superuser, DatabaseActivity.postmasterPid(superuser),
                        statements);
                // An idle backend reports its counters to pg_stat_database within 10 s: start-up's
                // migrations must not be counted as idle work.
                long idleStart = System.nanoTime() + 12_000_000_000L;
                MeasuredWindow.Measured idle = window.measure(idleStart, idleStart + idleSeconds * 1_000_000_000L, () -> { });
                System.out.println("idle console, " + idle.database().format() + "; busiest tables "
                        + idle.busiestTables() + "; load average " + idle.loadAverage());

                Key edgeKey = Key.fromBase64(Files.readString(console.edgePublicKeyFile(), StandardCharsets.US_ASCII).trim());
                try (BoxFleet fleet = new BoxFleet(boxCount, edgeKey, new InetSocketAddress("127.0.0.1", ports.udp()),
                        sockets, 2);
                     SessionKeeper keeper = new SessionKeeper(fleet, fleet.boxes(), rekeyRate)) {
                    long postmaster = DatabaseActivity.postmasterPid(superuser);
                    DatabaseActivity beforeRegistration = DatabaseActivity.read(superuser, postmaster);
                    long handshakesBefore = fleet.accepted() + fleet.refused();
                    List<BoxFleet.Box> established = register(fleet, registerRate);
                    DatabaseActivity.Interval registration = DatabaseActivity.read(superuser, postmaster)
                            .since(beforeRegistration);
                    long accepted = fleet.accepted();
                    System.out.printf(Locale.ROOT, "  registration: database %s; per accepted registration %.1f"
                                    + " transactions, %.1f KiB of WAL, %.2f ms of postgres CPU (%d HELLOs answered)%n",
                            registration.format(), registration.transactions() / (double) accepted,
                            registration.walBytes() / 1024.0 / accepted, 1e3 * registration.cpuSeconds() / accepted,
                            fleet.accepted() + fleet.refused() - handshakesBefore);
                    ComparisonLoad load = new ComparisonLoad(established.size(), ping, seedPoll, commandRate, warmup,
                            seconds, drain);
                    System.out.println("load: " + load.describe());
                    System.out.println(assumptions());

                    Api api = Api.login(http, "http://127.0.0.1:" + ports.http(), "admin",
                            console.adminPassword());
                    System.out.println("\nours: edge + functions; load average " + Proc.loadAverage());
                    long reconnectsBefore = keeper.reconnects();
                    PhaseFigures ours = new ConsolePhase(load, fleet, established, api, window).run();
                    keeper.close(); // the seed's design has no sessions to keep
                    print(ours);
                    System.out.println("  ours: " + (keeper.reconnects() - reconnectsBefore)
                            + " RECONNECT re-keyings during the phase (each session every 120 s)");

                    System.out.println("\nseed design: " + seedWorkers + " server threads; load average "
                            + Proc.loadAverage());
                    String user = LocalCloudSettings.DEFAULT_DATABASE_USER;
                    String password = LocalCloudSettings.LOCAL_DATABASE_PASSWORD;
                    PhaseFigures seed;
                    try (SeedServer server = new SeedServer(console.jdbcUrl(), user, password, seedWorkers, 20_000)) {
                        seed = new SeedPhase(load, server, rowsOf(superuser, established), console.jdbcUrl(), user,
                                password, superuser, window).run();
                    }
                    print(seed);

                    System.out.println("\nside by side (" + load.describe() + "):");
                    System.out.print(ComparisonTable.of(seed, ours, idle.database()));
                }
            }
        } finally {
            console.stop();
            TemporaryFiles.deleteAllButLogs(data); // the log stays for the reader
            http.close();
        }
    }

    /**
     * Restarts the console's PostgreSQL with pg_stat_statements loaded (it must be loaded at start),
     * and creates the extension; the functions reconnect as after any database restart.
     */
    static void loadStatementStatistics(StarConsole console) throws Exception {
        StatementActivity.load(console.jdbcUrl(), () -> {
            console.stopDatabase();
            console.startDatabase();
        });
    }

    /** A UDP port free now (a free TCP port may be a UDP port in use, on a machine shared with others). */
    private static int freeUdpPort() throws java.net.SocketException {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static String assumptions() {
        return "assumptions: the seed gives no poll interval for its falcon daemon (\"periodically\"); --seed-poll"
                + " stands for it. Seed server: plain UDP (no AES; its TCP command fetch made UDP), the console's"
                + " indexes, rows by primary key, commands taken off the queue when answered (no result); ours:"
                + " encrypted JEDI/2, API enqueue, each command acknowledged with a result, sessions re-keyed"
                + " (a registration) every 120 s. Database figures less"
                + " the idle console's (its timers run in both phases). Ours runs first, then the seed's.";
    }

    private static String settings(Connection c) throws SQLException {
        StringBuilder s = new StringBuilder();
        for (String name : List.of("server_version", "synchronous_commit", "fsync", "shared_preload_libraries")) {
            try (Statement statement = c.createStatement(); ResultSet row = statement.executeQuery("SHOW " + name)) {
                row.next();
                s.append(name).append(" = '").append(row.getString(1)).append("' ");
            }
        }
        return s.toString().trim();
    }

    /**
     * HELLO from every box, again for those refused (TRY_AGAIN) or unanswered, until all have a
     * session or five rounds have passed; returns the boxes with a session.
     */
    private static List<BoxFleet.Box> register(BoxFleet fleet, double rate) throws Exception {
        long t0 = System.nanoTime();
        for (int round = 0; round < 5; round++) {
            List<BoxFleet.Box> missing = fleet.boxes().stream().filter(b -> b.session == null).toList();
            if (missing.isEmpty()) {
                break;
            }
            long before = fleet.accepted() + fleet.refused();
            RateSchedule schedule = new RateSchedule(System.nanoTime(), rate);
            for (int i = 0; i < missing.size(); i++) {
                RateSchedule.awaitNanos(schedule.dueNanos(i));
                fleet.hello(missing.get(i), schedule.dueNanos(i));
            }
            fleet.awaitAnswers(before + missing.size(), 30_000);
        }
        List<BoxFleet.Box> established = fleet.boxes().stream().filter(b -> b.session != null).toList();
        System.out.printf(Locale.ROOT, "%d of %d boxes registered in %.1f s (%s); load average %s%n",
                established.size(), fleet.boxes().size(), (System.nanoTime() - t0) / 1e9,
                KeepaliveBench.handshakeSummary(fleet), Proc.loadAverage());
        if (established.isEmpty()) {
            throw new IllegalStateException("no box registered");
        }
        return established;
    }

    /** The boxes' registry rows, in the boxes' order. */
    private static List<SeedPhase.SeedBox> rowsOf(Connection c, List<BoxFleet.Box> boxes) throws SQLException {
        Map<String, Integer> ids = new HashMap<>();
        try (Statement statement = c.createStatement();
             ResultSet rows = statement.executeQuery("SELECT publickey, id FROM spnclients")) {
            while (rows.next()) {
                ids.put(rows.getString(1), rows.getInt(2));
            }
        }
        List<SeedPhase.SeedBox> rows = new ArrayList<>();
        for (BoxFleet.Box box : boxes) {
            String key = box.keys.publicKey().toBase64();
            Integer id = ids.get(key);
            if (id == null) {
                throw new IllegalStateException("box " + box.number + " has a session but no registry row");
            }
            rows.add(new SeedPhase.SeedBox(id, key));
        }
        return rows;
    }

    private static void print(PhaseFigures phase) {
        System.out.println("  " + phase.name() + ": database " + phase.window().database().format());
        System.out.println("  " + phase.name() + ": busiest tables " + phase.window().busiestTables());
        System.out.println("  " + phase.name() + ": busiest statements (shared blocks touched)"
                + phase.window().busiestStatements());
        System.out.println("  " + phase.pings().format().replace("\n", "\n  "));
        System.out.printf(Locale.ROOT, "  %s: %d commands, %d enqueue failures, %d undelivered at the end%n",
                phase.name(), phase.commands(), phase.enqueueFailures(), phase.undelivered());
        CommandLatencyBench.print("  " + phase.name() + ": command due enqueue -> received by the box",
                phase.commandLatency());
        System.out.println("  load average at the end of the window " + phase.window().loadAverage());
    }
}
