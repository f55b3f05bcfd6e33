package io.starconsole.bench;

import io.starconsole.launcher.JvmOptions;
import io.starconsole.launcher.LaunchOptions;
import io.starconsole.launcher.StarConsole;
import io.starconsole.localcloud.TemporaryFiles;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Registration through the whole console (local cloud, functions, edge as the launcher starts them,
 * on free ports and a fresh data directory): N new boxes send HELLO at a fixed rate (open loop);
 * the figures are the rate answered, handshake-to-answer percentiles from each HELLO's due time,
 * answers by kind, and duplicate SPN addresses, both as the boxes were told (OK_NEWIP) and in
 * {@code spnclients.vpnip}.
 *
 * <p>The edge allows 50 handshakes per second per source address by default. The boxes share
 * {@code --sockets} UDP sockets, each bound to its own loopback address 127.0.x.y, so each source
 * stays under the limit (64 sockets: 1,000/s is about 16/s per source). The edge inherits this
 * process's environment, so {@code STAR_CONSOLE_EDGE_HANDSHAKES_PER_SOURCE_PER_SECOND} can raise it too
 * (and {@code STAR_CONSOLE_EDGE_REGISTRATIONS_BATCH_SIZE=1} relays each HELLO on its own).
 * {@code --pool} is the functions' default address pool, a /14 above 60,000 boxes.
 *
 * <p>Where the time goes: the CPU of each process (this generator, edge, functions, PostgreSQL's
 * server processes) over the run, per answered HELLO; PostgreSQL's client backends sampled every
 * 20 ms by wait event (lock waits against WAL flushes against work); {@code --statements true}
 * restarts PostgreSQL with {@code pg_stat_statements} and prints the statements per registration
 * and the busiest ones; {@code --jfr DIR} starts the functions with a flight recording
 * ({@code settings=profile}) written to DIR when they stop. {@code --warmup N} first registers N other
 * boxes at the same rate, not counted, so the figures are those of warm JVMs (the edge's X25519
 * and the functions' statements compiled) rather than of the first seconds after start.
 * {@code --boxes-off-the-clock true} takes the boxes' own X25519 out of the window (each box's
 * HELLO made before it, each response read after it, its latency that of its arrival): a real box
 * does that work on its own processor, and here it is about a quarter of the CPU of a registration,
 * taken from the cores the console is measured on. A box answered by a cookie still makes its next
 * HELLO in the window. {@code --reconnects N} adds N windows in which the same boxes, now registered
 * and in session, each send RECONNECT (asking for the address they hold, as agents do) at the rate:
 * what a fleet's re-keying costs (a box starts a new handshake every 120 s, so N boxes re-key N / 120
 * times a second). The first goes to the functions (the HELLO's answer was a new address); the edge
 * answers the later ones itself (star-console.edge.registrations.rekeys-at-edge-for).
 *
 * <pre>
 * java -cp bench/target/bench.jar io.starconsole.bench.RegistrationBench --boxes 10000 --rate 1000
 *     [--sockets 64] [--pool 10.96.0.0/14] [--statements true] [--jfr /tmp/reg-jfr] [--warmup 5000]
 *     [--boxes-off-the-clock true] [--reconnects 2]
 * </pre>
 */
public final class RegistrationBench {

    private RegistrationBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int boxes = args.integer("boxes", 10_000);
        double rate = args.decimal("rate", 1000);
        int sockets = args.integer("sockets", 64);
        // The default pool (a /16) has 65,533 assignable hosts: 100,000 boxes need a larger one.
        String addressPool = args.text("pool", boxes > 60_000 ? "10.96.0.0/14" : "10.99.0.0/16");
        Path home = Path.of(args.text("home", ".")).toAbsolutePath().normalize();
        boolean statements = args.flag("statements");
        String jfr = args.text("jfr", null);
        int warmup = args.integer("warmup", 0);
        boolean boxesOffTheClock = args.flag("boxes-off-the-clock");
        int reconnects = args.integer("reconnects", 0);
        System.out.println("RegistrationBench: " + boxes + " new boxes at " + rate + "/s through edge, functions and "
                + "Postgres; " + Proc.machine());
        Path data = Files.createTempDirectory("star-console-bench");
        Path log = data.resolve("console.log");
        StarConsole.Ports ports = new StarConsole.Ports(KeepaliveBench.freePort(), KeepaliveBench.freePort(),
                KeepaliveBench.freePort(), KeepaliveBench.freePort(), KeepaliveBench.freePort());
        Map<String, String> functionsSettings = new java.util.HashMap<>();
        functionsSettings.put("STAR_CONSOLE_ADDRESSES_DEFAULT_POOL", addressPool);
        if (jfr != null) {
            Files.createDirectories(Path.of(jfr));
            functionsSettings.put(JvmOptions.FUNCTIONS_JAVA_OPTIONS, "-XX:StartFlightRecording=filename="
                    + Path.of(jfr).toAbsolutePath() + "/,settings=profile");
        }
        StarConsole console = new StarConsole(new LaunchOptions(home, data, 0), ports,
                new PrintStream(Files.newOutputStream(log), true), functionsSettings);
        try {
            long t0 = System.nanoTime();
            console.start();
            System.out.printf(Locale.ROOT, "console up in %.1f s (log %s)%n", (System.nanoTime() - t0) / 1e9, log);
            if (statements) {
                SeedComparisonBench.loadStatementStatistics(console);
            }
            Key edgeKey = Key.fromBase64(Files.readString(console.edgePublicKeyFile(), StandardCharsets.US_ASCII).trim());
            if (warmup > 0) {
                try (BoxFleet warm = new BoxFleet(warmup, edgeKey, new InetSocketAddress("127.0.0.1", ports.udp()),
                        sockets, 2)) {
                    if (boxesOffTheClock) {
                        warm.prepareInitiations(false);
                        warm.deferResponses();
                    }
                    warm.helloAll(rate, 120_000);
                    warm.readDeferredResponses();
                    Histogram h = warm.handshakeLatency();
                    System.out.printf(Locale.ROOT, "warm-up (not counted): %d boxes at %.0f/s, accepted %d, refused %d,"
                                    + " cookies %d, p50 %.1f ms, p99 %.1f ms%n", warmup, rate, warm.accepted(),
                            warm.refused(), warm.cookies(), h.getValueAtPercentile(50) / 1e6,
                            h.getValueAtPercentile(99) / 1e6);
                    if (warm.refused() > 0) {
                        System.out.println("  warm-up refused by reason: " + refusalsByReason(warm));
                    }
                }
            }
            try (BoxFleet fleet = new BoxFleet(boxes, edgeKey, new InetSocketAddress("127.0.0.1", ports.udp()), sockets,
                    2);
                 Connection superuser = DriverManager.getConnection(console.jdbcUrl(), "postgres", "");
                 Connection sampling = DriverManager.getConnection(console.jdbcUrl(), "postgres", "")) {
                Window window = new Window(console, ports, fleet, superuser, sampling, rate, statements, boxesOffTheClock);
                window.run(false);
                for (int round = 0; round < reconnects; round++) {
                    window.run(true);
                }
            }
        } finally {
            console.stop();
            TemporaryFiles.deleteAllButLogs(data); // the log stays for the reader
        }
    }

    /** One measured window: every box of the fleet starts a handshake at the rate, and the figures. */
    private record Window(StarConsole console, StarConsole.Ports ports, BoxFleet fleet, Connection superuser,
                          Connection sampling, double rate, boolean statements, boolean boxesOffTheClock) {

        /** HELLO from each box, or RECONNECT (each box keeps its session until it is answered). */
        void run(boolean reconnect) throws Exception {
            String kind = reconnect ? "RECONNECT" : "HELLO";
            int boxes = fleet.boxes().size();
            ProcessCpu cpu = ProcessCpu.of(DatabaseActivity.postmasterPid(superuser));
            if (boxesOffTheClock) {
                fleet.prepareInitiations(reconnect);
                fleet.deferResponses();
            }
            fleet.resetHandshakeLatency();
            long acceptedBefore = fleet.accepted();
            long refusedBefore = fleet.refused();
            long cookiesBefore = fleet.cookies();
            TimerReading callsBefore = TimerReading.functionsCalls(ports.http(), "register-batch");
            MetricsPage edgeBefore = MetricsPage.read(ports.edgeHttp());
            StatementActivity statementsBefore = statements ? StatementActivity.read(superuser) : null;
            DatabaseActivity databaseBefore = DatabaseActivity.read(superuser, cpu.postmaster());
            ProcessCpu.Reading cpuBefore = cpu.read();
            long start = System.nanoTime();
            WaitSampler waits = new WaitSampler(sampling, 20);
            fleet.initiateAll(rate, 120_000, reconnect);
            waits.close();
            double seconds = (System.nanoTime() - start) / 1e9;
            ProcessCpu.Reading cpuSpent = cpu.read().minus(cpuBefore);
            DatabaseActivity.Interval database = DatabaseActivity.read(superuser, cpu.postmaster())
                    .since(databaseBefore);
            fleet.readDeferredResponses();
            Histogram h = fleet.handshakeLatency();
            long accepted = fleet.accepted() - acceptedBefore;
            long refused = fleet.refused() - refusedBefore;
            long answered = accepted + refused;
            System.out.printf(Locale.ROOT,
                    "sent %d %s at %.0f/s; answered %d (accepted %d, refused %d, cookies %d) in %.1f s = %.0f/s; "
                            + "unanswered %d%n", boxes, kind, rate, answered, accepted, refused,
                    fleet.cookies() - cookiesBefore, seconds, answered / seconds, boxes - answered);
            System.out.println("  refused by reason (all windows): " + refusalsByReason(fleet));
            System.out.printf(Locale.ROOT,
                    "  handshake-to-answer ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                    h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
                    h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
            long perAnswer = Math.max(1, answered);
            System.out.println("  CPU " + cpuSpent.format(seconds, perAnswer) + " (per answered " + kind + ")");
            System.out.printf(Locale.ROOT, "  database: %.2f transactions, %.1f rows written, %.1f KiB of WAL per"
                            + " answered %s%n", database.transactions() / (double) perAnswer,
                    (database.rowsInserted() + database.rowsUpdated() + database.rowsDeleted()) / (double) perAnswer,
                    database.walBytes() / 1024.0 / perAnswer, kind);
            System.out.println("  PostgreSQL backends (pg_stat_activity): " + waits.summary());
            if (statementsBefore != null) {
                StatementActivity after = StatementActivity.read(superuser);
                System.out.printf(Locale.ROOT, "  statements: %.2f per answered %s; busiest (per second of the run):%s%n",
                        after.callsSince(statementsBefore) / (double) perAnswer, kind,
                        after.busiestSince(statementsBefore, seconds, 12));
            }
            System.out.println("  edge, from an initiation read to its answer sent: "
                    + edgeAnswers(edgeBefore, MetricsPage.read(ports.edgeHttp())));
            System.out.println("  functions, register-batch calls: "
                    + registerBatchCalls(callsBefore, TimerReading.functionsCalls(ports.http(), "register-batch"), answered));
            System.out.println("  duplicate SPN addresses told to boxes: " + fleet.duplicateAddresses()
                    + "; in spnclients.vpnip: " + duplicatesInRegistry(console.jdbcUrl())
                    + "; load average " + Proc.loadAverage());
        }
    }

    private static Map<NokReason, Long> refusalsByReason(BoxFleet fleet) {
        return fleet.boxes().stream().filter(box -> box.answer instanceof Nok)
                .collect(Collectors.groupingBy(box -> ((Nok) box.answer).reason(), TreeMap::new, Collectors.counting()));
    }

    /**
     * Calls, mean handshakes per call and mean and max time per call of {@code POST
     * /internal/v1/register-batch} in a window, from the functions' HTTP server timer ({@code /q/metrics}).
     */
    private static String registerBatchCalls(TimerReading before, TimerReading after, long handshakes) {
        TimerReading calls = after.since(before);
        if (calls.count() == 0) {
            return after.count() == 0 ? "none (no timer in /q/metrics yet)" : "none";
        }
        return String.format(Locale.ROOT,
                "%.0f calls, %.1f handshakes per call, %.1f ms per call on average (max %.0f ms in the last minute)",
                calls.count(), handshakes / calls.count(), calls.meanMillis(), 1e3 * calls.maxSeconds());
    }

    /** The edge's handshakes answered in a window, by who decided the answer: how many, mean and max time. */
    private static String edgeAnswers(MetricsPage before, MetricsPage after) {
        StringBuilder text = new StringBuilder();
        for (String by : List.of("edge", "functions")) {
            String label = "answered_by=\"" + by + "\"";
            TimerReading answered = TimerReading.of(after, "edge_handshakes_answered_seconds", label)
                    .since(TimerReading.of(before, "edge_handshakes_answered_seconds", label));
            text.append(text.length() == 0 ? "" : "; ").append(answered.count() == 0 ? "none decided by the " + by
                    : String.format(Locale.ROOT, "decided by the %s %.0f, %.2f ms on average (max %.1f ms in the last"
                            + " minute)", by, answered.count(), answered.meanMillis(), 1e3 * answered.maxSeconds()));
        }
        return text.toString();
    }

    private static String duplicatesInRegistry(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "spnbox", "spnbox");
             ResultSet rows = c.createStatement().executeQuery(
                     "select (select count(*) from spnclients), (select count(*) from (select vpnip from spnclients "
                             + "group by vpnip having count(*) > 1) d)")) {
            rows.next();
            return rows.getLong(2) + " (rows " + rows.getLong(1) + ")";
        }
    }
}
