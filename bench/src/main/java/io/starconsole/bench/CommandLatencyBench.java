package io.starconsole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.starconsole.agent.Box;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.lifecycle.LifecycleTimers;
import io.starconsole.agent.simulation.SimulatedFleet;
import io.starconsole.launcher.LaunchOptions;
import io.starconsole.launcher.StarConsole;
import io.starconsole.localcloud.TemporaryFiles;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Command latency through the whole console (local cloud, functions, edge as the launcher starts
 * them, free ports, fresh data directory) and N simulated agents ({@link SimulatedFleet}, one group,
 * 5 s PINGs as in production).
 *
 * <p>Phase 1: {@code --commands} single-box CHANGE_SPNBOX_NAME to random boxes, enqueued open loop at
 * {@code --rate} per second ({@link RateSchedule}: each has a scheduled time; sends are asynchronous so
 * a slow answer does not delay the next). Latency per command is from its <em>scheduled</em> enqueue
 * time to its delivery's final {@code updatedAt} (server timestamp, read after the run from
 * {@code GET /api/v1/commands/{id}/deliveries}: no polling bias). Also printed: scheduled-to-createdAt
 * (how late the console created the command: coordinated omission made visible), createdAt-to-final
 * (the server-side part), and the client's scheduled-to-201.
 *
 * <p>Phase 2: one CHANGE_SPNBOX_NAME to the whole group; time from its {@code createdAt} to the last
 * delivery's {@code updatedAt}, and deliveries succeeded.
 *
 * <p>After each phase: the edge's lease-batch and result-batch calls as the functions' timers count
 * them, how many the edge repeated (its {@code edge_functions_retries_total}), and what PostgreSQL's
 * backends were doing meanwhile (sampled every 20 ms, by wait event and statement).
 * {@code --explain-slower-than MS} has PostgreSQL log the plan of each statement slower than that;
 * {@code --commit-order true} has it record commit times and prints how many single-box commands were
 * enqueued out of commit order, and how many of the late ones. {@code --jedi 2} has the boxes speak
 * JEDI/2 (AES-256-GCM) instead of JEDI/3. {@code --statements N} restarts PostgreSQL with
 * pg_stat_statements loaded (before the boxes register) and prints the N statements called most a
 * second with the boxes online and idle, and a command in the single-box phase.
 *
 * <p>Before the single-box phase the boxes are left alone for a while: each process's CPU then and
 * during the phase give the CPU a command costs beyond the boxes' own keepalive and presence.
 *
 * <pre>
 * java -cp bench/target/bench.jar io.starconsole.bench.CommandLatencyBench --boxes 1000 --commands 2000 --rate 50
 * java -cp bench/target/bench.jar io.starconsole.bench.CommandLatencyBench --boxes 3000 --commands 0   # broadcast only
 * </pre>
 * The edge allows 50 handshakes/s per source address and all simulated boxes are on 127.0.0.1, so
 * boxes are started at {@code --start-rate} (default 40/s) unless
 * {@code STAR_CONSOLE_EDGE_HANDSHAKES_PER_SOURCE_PER_SECOND} is raised (the edge inherits this
 * process's environment).
 */
public final class CommandLatencyBench {

    private static final String GROUP = "bench";

    private CommandLatencyBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int boxes = args.integer("boxes", 1000);
        int commands = args.integer("commands", 2000);
        int warmupCommands = args.integer("warmup-commands", 1000);
        double rate = args.decimal("rate", 50);
        double startRate = args.decimal("start-rate", 40);
        String ping = args.text("ping", "PT5S");
        String jedi = args.text("jedi", "3");
        boolean broadcast = !args.text("broadcast", "true").equals("false");
        Path home = Path.of(args.text("home", ".")).toAbsolutePath().normalize();
        int explainSlowerThanMillis = args.integer("explain-slower-than", 0);
        boolean commitOrder = args.flag("commit-order");
        int statementLimit = args.integer("statements", 0);
        System.out.println("CommandLatencyBench: " + boxes + " boxes (PING " + ping + "), " + commands
                + " commands at " + rate + "/s, broadcast " + broadcast + "; " + Proc.machine());

        Path data = Files.createTempDirectory("star-console-bench");
        Path log = data.resolve("console.log");
        StarConsole.Ports ports = new StarConsole.Ports(KeepaliveBench.freePort(), KeepaliveBench.freePort(),
                KeepaliveBench.freePort(), KeepaliveBench.freePort(), KeepaliveBench.freePort());
        StarConsole console = new StarConsole(new LaunchOptions(home, data, 0), ports,
                new PrintStream(Files.newOutputStream(log), true),
                Map.of("STAR_CONSOLE_COMMANDS_SWEEP_EVERY", "1s"));
        Http http = Http.open(8);
        try {
            long t0 = System.nanoTime();
            console.start();
            System.out.printf(Locale.ROOT, "console up in %.1f s (log %s)%n", (System.nanoTime() - t0) / 1e9, log);
            if (explainSlowerThanMillis > 0) {
                explainSlowStatements(console, data.resolve("postgres-log"), explainSlowerThanMillis);
            }
            if (commitOrder) {
                restartDatabaseWith(console, List.of("track_commit_timestamp = on"));
                System.out.println("PostgreSQL records commit times (the single-box phase reports enqueues committed out of id order)");
            }
            if (statementLimit > 0) {
                SeedComparisonBench.loadStatementStatistics(console);
                System.out.println("PostgreSQL counts statements (pg_stat_statements)");
            }
            Api api = Api.login(http, "http://127.0.0.1:" + ports.http(), "admin", console.adminPassword());

            AgentConfig base = AgentConfig.defaults()
                    .with(Option.EDGE, "127.0.0.1:" + ports.udp())
                    .with(Option.EDGE_PUBLIC_KEY_FILE, console.edgePublicKeyFile().toString())
                    .with(Option.STATE_DIRECTORY, data.resolve("boxes").toString())
                    .with(Option.GROUP, GROUP)
                    .with(Option.ID, "bench")
                    .with(Option.PING_INTERVAL, ping)
                    .with(Option.JEDI_VERSION, jedi);
            base.jediVersion(); // refuses anything but 2 or 3 before a box starts
            t0 = System.nanoTime();
            try (SimulatedFleet fleet = SimulatedFleet.start(base, boxes, startRate,
                    LifecycleTimers.standard(base.pingInterval()));
                 Connection sampling = DriverManager.getConnection(console.jdbcUrl(), "postgres", "");
                 Connection catalog = DriverManager.getConnection(console.jdbcUrl(), "postgres", "")) {
                if (!fleet.awaitAll(BoxState.ESTABLISHED, Duration.ofSeconds(60 + (long) (2 * boxes / startRate)))) {
                    throw new IllegalStateException("only " + fleet.count(BoxState.ESTABLISHED) + " of " + boxes
                            + " boxes ESTABLISHED");
                }
                long online;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while ((online = api.get("/api/v1/boxes?group=" + GROUP + "&online=true&size=1").get("total").asLong())
                        < boxes) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + online + " of " + boxes + " online");
                    }
                    Thread.sleep(200);
                }
                System.out.printf(Locale.ROOT, "%d boxes ESTABLISHED and online in %.1f s; load average %s%n", boxes,
                        (System.nanoTime() - t0) / 1e9, Proc.loadAverage());
                List<String> keys = new ArrayList<>();
                for (Box box : fleet.boxes()) {
                    keys.add(box.publicKey().toBase64());
                }
                if (commands > 0) {
                    if (warmupCommands > 0) {
                        singleBox(api, keys, warmupCommands, rate, "warm-up", null);
                    }
                    ProcessCpu cpu = ProcessCpu.of(DatabaseActivity.postmasterPid(sampling));
                    StatementActivity statementsIdle = statementLimit > 0 ? StatementActivity.read(catalog) : null;
                    ProcessCpu.Reading idleBefore = cpu.read();
                    long idleStart = System.nanoTime();
                    Thread.sleep(IDLE_WINDOW.toMillis());
                    ProcessCpu.Reading idle = cpu.read().minus(idleBefore);
                    double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
                    StatementActivity statementsBeforePhase = statementLimit > 0 ? StatementActivity.read(catalog) : null;
                    RelayReading before = RelayReading.read(ports);
                    WaitSampler statements = WaitSampler.byStatement(sampling, 20);
                    CpuWindow busy = singleBox(api, keys, commands, rate, "single-box commands", cpu);
                    printRelayCalls(ports, before, statements);
                    printCommandCpu(idle, idleSeconds, busy.spent(), busy.seconds(), commands);
                    if (statementLimit > 0) {
                        System.out.println("  statements a second, boxes online without commands:"
                                + statementsBeforePhase.mostCalledSince(statementsIdle, Math.round(idleSeconds), statementLimit));
                        System.out.println("  statements a command, single-box phase (deliveries read after it included):"
                                + StatementActivity.read(catalog).mostCalledSince(statementsBeforePhase, commands, statementLimit));
                    }
                    if (commitOrder) {
                        printCommitOrder(catalog, 300);
                    }
                }
                if (broadcast) {
                    RelayReading before = RelayReading.read(ports);
                    WaitSampler statements = WaitSampler.byStatement(sampling, 20);
                    broadcast(api, boxes, catalog);
                    printRelayCalls(ports, before, statements);
                }
            }
        } finally {
            console.stop();
            TemporaryFiles.deleteAllButLogs(data); // the log stays for the reader
            http.close();
        }
    }

    /**
     * {@code commands} CHANGE_SPNBOX_NAME to random boxes at {@code rate}, then their latencies under
     * {@code label}; a second call (after a warm-up) draws other boxes and other names.
     */
    private static CpuWindow singleBox(Api api, List<String> keys, int commands, double rate, String label,
                                       ProcessCpu cpu) throws Exception {
        Random random = new Random(label.hashCode());
        long[] scheduledEpochNanos = new long[commands];
        long[] createdEpochNanos = new long[commands];
        long[] ids = new long[commands];
        Histogram clientAnswer = LatencyReport.newHistogram();
        AtomicInteger enqueueFailures = new AtomicInteger();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Instant anchorWall = Instant.now();
        long anchorNanos = System.nanoTime();
        long anchorEpoch = anchorWall.getEpochSecond() * 1_000_000_000L + anchorWall.getNano();
        RateSchedule schedule = new RateSchedule(anchorNanos + 100_000_000L, rate);
        System.out.println(label + ": enqueueing " + commands + " commands at " + rate + "/s; load average " + Proc.loadAverage());
        ProcessCpu.Reading cpuBefore = cpu == null ? null : cpu.read();
        for (int i = 0; i < commands; i++) {
            long due = schedule.dueNanos(i);
            RateSchedule.awaitNanos(due);
            scheduledEpochNanos[i] = anchorEpoch + (due - anchorNanos);
            Map<String, Object> body = new HashMap<>();
            body.put("type", "CHANGE_SPNBOX_NAME");
            body.put("target", Map.of("box", keys.get(random.nextInt(keys.size()))));
            body.put("arguments", "bench-" + label.charAt(0) + i);
            body.put("priority", "normal");
            int index = i;
            pending.add(api.postAsync("/api/v1/commands", body).handle((r, e) -> {
                long answered = System.nanoTime();
                synchronized (clientAnswer) {
                    clientAnswer.recordValue(Math.max(0, answered - due));
                }
                try {
                    if (e != null || r.status() != 201) {
                        enqueueFailures.incrementAndGet();
                        ids[index] = -1;
                        System.err.println("enqueue " + index + ": " + (e != null ? e : r.status() + " " + r.body()));
                    } else {
                        JsonNode view = r.json();
                        ids[index] = view.get("id").asLong();
                        createdEpochNanos[index] = Api.epochNanos(view.get("createdAt").asText());
                    }
                } catch (Exception parse) {
                    enqueueFailures.incrementAndGet();
                    ids[index] = -1;
                }
                return null;
            }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        double sendSeconds = (System.nanoTime() - schedule.dueNanos(0)) / 1e9;
        System.out.printf(Locale.ROOT, "enqueued in %.1f s (%.1f/s offered); load average %s%n", sendSeconds,
                commands / sendSeconds, Proc.loadAverage());

        awaitQueueEmpty(api, Duration.ofSeconds(180));
        CpuWindow window = cpu == null ? null
                : new CpuWindow(cpu.read().minus(cpuBefore), (System.nanoTime() - anchorNanos) / 1e9);

        Histogram endToEnd = LatencyReport.newHistogram();
        Histogram scheduledToCreated = LatencyReport.newHistogram();
        Histogram createdToFinal = LatencyReport.newHistogram();
        int succeeded = 0;
        int notSucceeded = 0;
        long lastFinal = Long.MIN_VALUE;
        Map<String, Integer> states = new HashMap<>();
        for (int i = 0; i < commands; i++) {
            if (ids[i] < 0) {
                continue;
            }
            JsonNode d = api.get("/api/v1/commands/" + ids[i] + "/deliveries").get("items").get(0);
            String state = d.get("state").asText();
            states.merge(state, 1, Integer::sum);
            scheduledToCreated.recordValue(Math.max(0, createdEpochNanos[i] - scheduledEpochNanos[i]));
            if (!state.equals("succeeded")) {
                notSucceeded++;
                continue;
            }
            succeeded++;
            long done = Api.epochNanos(d.get("updatedAt").asText());
            lastFinal = Math.max(lastFinal, done);
            endToEnd.recordValue(Math.max(0, done - scheduledEpochNanos[i]));
            createdToFinal.recordValue(Math.max(0, done - createdEpochNanos[i]));
        }
        double seconds = (lastFinal - scheduledEpochNanos[0]) / 1e9;
        System.out.printf(Locale.ROOT, "%s: %d scheduled, %d enqueue failures, %d succeeded, %d not "
                        + "succeeded (delivery states %s); %.1f acknowledged/s (first scheduled to last final, %.1f s)%n",
                label, commands, enqueueFailures.get(), succeeded, notSucceeded, states, succeeded / seconds, seconds);
        print("  scheduled enqueue -> delivery final (server updatedAt)", endToEnd);
        print("  scheduled enqueue -> createdAt (coordinated-omission check)", scheduledToCreated);
        print("  createdAt -> delivery final (server only)", createdToFinal);
        print("  scheduled enqueue -> 201 at the client", clientAnswer);
        System.out.println("  load average " + Proc.loadAverage());
        return window;
    }

    /** The processes' CPU from a phase's first enqueue until its queue was empty, and how long that was. */
    private record CpuWindow(ProcessCpu.Reading spent, double seconds) {
    }

    /** How long the boxes are left alone, online, to read what they cost without commands. */
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(15);

    /**
     * Each process's CPU with the boxes online and no command (their PINGs, the presence relay), and
     * during the single-box phase (from its first enqueue until its queue is empty); what the phase
     * took beyond the idle rate, per command.
     */
    private static void printCommandCpu(ProcessCpu.Reading idle, double idleSeconds, ProcessCpu.Reading busy,
                                        double busySeconds, int commands) {
        System.out.println("  CPU, boxes online without commands (" + Math.round(idleSeconds) + " s): "
                + idle.shares(idleSeconds));
        System.out.println("  CPU during the single-box phase (" + Math.round(busySeconds) + " s): "
                + busy.shares(busySeconds));
        ProcessCpu.Reading beyondIdle = busy.minus(idle.scaled(busySeconds / idleSeconds));
        System.out.println("  CPU a command beyond the idle rate: " + beyondIdle.perEach(commands));
    }

    /** The edge's calls that carry commands to and from the boxes, as the functions' HTTP timers count them. */
    private static final List<String> RELAY_CALLS = List.of("commands/lease-batch", "commands/result-batch");

    /**
     * The relay calls as the functions count them, the edge's repeats of each, and the boxes' repeated
     * ASK_USER_CMDs and results that the edge did not relay (their first was on its way).
     */
    private record RelayReading(TimerReading[] calls, double[] repeats, double boxAsksRepeated,
                                double boxResultsRepeated) {
        static RelayReading read(StarConsole.Ports ports) throws Exception {
            MetricsPage functions = MetricsPage.read(ports.http());
            MetricsPage edge = MetricsPage.read(ports.edgeHttp());
            TimerReading[] calls = new TimerReading[RELAY_CALLS.size()];
            double[] repeats = new double[RELAY_CALLS.size()];
            for (int i = 0; i < calls.length; i++) {
                calls[i] = TimerReading.functionsCalls(functions, RELAY_CALLS.get(i));
                repeats[i] = edge.sum("edge_functions_retries_total", "path=\"" + RELAY_CALLS.get(i) + "\"");
            }
            return new RelayReading(calls, repeats, edge.sum("edge_box_requests_repeated_total", "type=\"ask_user_cmd\""),
                    edge.sum("edge_box_requests_repeated_total", "type=\"command_result\""));
        }
    }

    /**
     * How many relay calls the phase took and how long they were (a repeated call is counted again),
     * how many the edge repeated, and what PostgreSQL's backends were busy with meanwhile.
     */
    private static void printRelayCalls(StarConsole.Ports ports, RelayReading before, WaitSampler statements)
            throws Exception {
        statements.close();
        RelayReading after = RelayReading.read(ports);
        StringBuilder line = new StringBuilder("  functions:");
        for (int i = 0; i < after.calls().length; i++) {
            TimerReading window = after.calls()[i].since(before.calls()[i]);
            line.append(String.format(Locale.ROOT, " %s %.0f calls, %.1f ms on average (max %.0f ms in the last minute),"
                            + " %.0f repeated by the edge;", RELAY_CALLS.get(i), window.count(), window.meanMillis(),
                    1e3 * after.calls()[i].maxSeconds(), after.repeats()[i] - before.repeats()[i]));
        }
        line.append(String.format(Locale.ROOT, " boxes' repeats not relayed (the first on its way): %.0f ASK_USER_CMD,"
                        + " %.0f COMMAND_RESULT", after.boxAsksRepeated() - before.boxAsksRepeated(),
                after.boxResultsRepeated() - before.boxResultsRepeated()));
        System.out.println(line);
        System.out.println("  postgres: " + statements.summary());
    }

    /**
     * What the planner believes of the deliveries table against what it holds: a broadcast adds
     * thousands of rows in one statement, and a plan made for the table as it was before (autovacuum
     * analyses it only at its next round, up to a minute later) can scan it whole for every box.
     */
    private static String plannerView(Connection db) throws Exception {
        try (java.sql.Statement statement = db.createStatement();
             java.sql.ResultSet row = statement.executeQuery("SELECT c.reltuples::bigint, s.n_live_tup,"
                     + " extract(epoch FROM now() - greatest(s.last_analyze, s.last_autoanalyze))"
                     + " FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid"
                     + " WHERE c.relname = 'command_deliveries'")) {
            row.next();
            double analysed = row.getDouble(3);
            return String.format(Locale.ROOT, "command_deliveries: planner's rows %d, live rows %d, analysed %s",
                    row.getLong(1), row.getLong(2), row.wasNull() ? "never" : String.format(Locale.ROOT, "%.0f s ago", analysed));
        }
    }

    /**
     * PostgreSQL logs the plan of every statement slower than this, with the rows each step produced
     * (auto_explain, loaded by the server at start: the database is restarted once, before any box
     * registers; the functions reconnect), into log files under the data directory, which stays.
     */
    private static void explainSlowStatements(StarConsole console, Path logs, int millis) throws Exception {
        Files.createDirectories(logs);
        restartDatabaseWith(console, List.of("logging_collector = on", "log_directory = '" + logs.toAbsolutePath() + "'",
                "shared_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = " + millis,
                "auto_explain.log_analyze = on", "auto_explain.log_timing = off"));
        System.out.println("PostgreSQL logs the plans of statements slower than " + millis + " ms in " + logs);
    }

    /** Server settings that take a restart: set, then the database restarted (the functions reconnect). */
    private static void restartDatabaseWith(StarConsole console, List<String> settings) throws Exception {
        try (Connection db = DriverManager.getConnection(console.jdbcUrl(), "postgres", "");
             java.sql.Statement sql = db.createStatement()) {
            for (String setting : settings) {
                sql.execute("ALTER SYSTEM SET " + setting);
            }
        }
        console.stopDatabase();
        console.startDatabase();
    }

    /**
     * Of the single-box commands that succeeded: how many took longer than {@code lateMillis} from
     * enqueue to result, and how many of all and of those were enqueued by a transaction that
     * committed after one that enqueued a later delivery (commit time of the command's audit row,
     * written in the enqueue's transaction). Until schema version 8 the wake-up feed's cursor was the
     * highest delivery id it had returned, so such a delivery could be behind it once visible; the
     * feed now follows commit order, and this shows whether being out of id order still costs time.
     * For the late ones, how long their enqueue took to commit and how long the rest took after.
     */
    private static void printCommitOrder(Connection db, long lateMillis) throws Exception {
        String sql = "WITH e AS (SELECT d.id, extract(epoch FROM d.updated_at - d.created_at) * 1000 AS ms,"
                + "   extract(epoch FROM pg_xact_commit_timestamp(a.xmin) - d.created_at) * 1000 AS enqueue_ms,"
                + "   pg_xact_commit_timestamp(a.xmin) AS committed FROM command_deliveries d"
                + "   JOIN commands c ON c.id = d.command_id AND c.target_kind = 'box'"
                + "   JOIN audit_log a ON a.target = 'command:' || d.command_id AND a.action = 'command.enqueued'"
                + "   WHERE d.state = 'succeeded'),"
                + " o AS (SELECT ms, enqueue_ms, committed > min(committed) OVER (ORDER BY id"
                + "   ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS reordered FROM e)"
                + " SELECT count(*), count(*) FILTER (WHERE reordered), count(*) FILTER (WHERE ms > " + lateMillis + "),"
                + "   count(*) FILTER (WHERE ms > " + lateMillis + " AND reordered),"
                + "   coalesce(avg(enqueue_ms) FILTER (WHERE ms > " + lateMillis + "), 0),"
                + "   coalesce(avg(ms - enqueue_ms) FILTER (WHERE ms > " + lateMillis + "), 0) FROM o";
        try (java.sql.Statement statement = db.createStatement(); java.sql.ResultSet row = statement.executeQuery(sql)) {
            row.next();
            System.out.printf(Locale.ROOT, "  commit order: %d commands; %d enqueued by a transaction that committed after a"
                            + " later delivery's; %d took over %d ms, of which %d were such; those over %d ms spent on"
                            + " average %.1f ms before their enqueue committed and %.1f ms after%n", row.getLong(1),
                    row.getLong(2), row.getLong(3), lateMillis, row.getLong(4), lateMillis, row.getDouble(5), row.getDouble(6));
        }
    }

    private static void broadcast(Api api, int boxes, Connection db) throws Exception {
        System.out.println("broadcast to group " + GROUP + " (" + boxes + " boxes); load average " + Proc.loadAverage());
        Map<String, Object> body = new HashMap<>();
        body.put("type", "CHANGE_SPNBOX_NAME");
        body.put("target", Map.of("group", GROUP));
        body.put("arguments", "bench-broadcast");
        body.put("priority", "normal");
        Api.Result r = api.post("/api/v1/commands", body);
        if (r.status() != 201) {
            throw new IllegalStateException("broadcast: " + r.status() + " " + r.body());
        }
        JsonNode view = r.json();
        long id = view.get("id").asLong();
        Thread.sleep(1000);
        System.out.println("  one second after it was queued: " + plannerView(db));
        long created = Api.epochNanos(view.get("createdAt").asText());
        long deadline = System.nanoTime() + 600_000_000_000L;
        JsonNode now;
        while (true) {
            now = api.get("/api/v1/commands/" + id);
            String state = now.get("state").asText();
            if (!state.equals("queued") && !state.equals("in_progress")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("  broadcast not done after 600 s: " + now.get("counts"));
                break;
            }
            Thread.sleep(500);
        }
        long last = Long.MIN_VALUE;
        int succeeded = 0;
        int total = 0;
        int leasedAgain = 0;
        Histogram each = new Histogram(3_600_000_000_000L, 3); // a broadcast may take minutes
        for (int page = 0; ; page++) {
            JsonNode items = api.get("/api/v1/commands/" + id + "/deliveries?size=500&page=" + page).get("items");
            if (items.isEmpty()) {
                break;
            }
            for (JsonNode d : items) {
                total++;
                if (d.get("attempts").asInt() > 1) {
                    leasedAgain++; // its first lease ran out: a lost answer or result, or a box too slow
                }
                if (d.get("state").asText().equals("succeeded")) {
                    succeeded++;
                    long t = Api.epochNanos(d.get("updatedAt").asText());
                    last = Math.max(last, t);
                    each.recordValue(Math.max(0, t - created));
                }
            }
            if (items.size() < 500) {
                break;
            }
        }
        System.out.printf(Locale.ROOT, "broadcast: state %s; %d deliveries, %d succeeded, %d leased more than once;"
                        + " createdAt -> last delivery final %.2f s; load average %s%n", now.get("state").asText(), total,
                succeeded, leasedAgain, (last - created) / 1e9, Proc.loadAverage());
        print("  createdAt -> each delivery final", each);
        System.out.println("  after it: " + plannerView(db));
    }

    private static void awaitQueueEmpty(Api api, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long queued = api.get("/api/v1/commands?state=queued&size=1").get("total").asLong();
            long inProgress = api.get("/api/v1/commands?state=in_progress&size=1").get("total").asLong();
            if (queued + inProgress == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.out.println("not all done after " + timeout.toSeconds() + " s: queued " + queued + ", in progress "
                        + inProgress);
                return;
            }
            Thread.sleep(500);
        }
    }

    static void print(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "%s ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (n=%d)%n", what,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6, h.getTotalCount());
    }
}
