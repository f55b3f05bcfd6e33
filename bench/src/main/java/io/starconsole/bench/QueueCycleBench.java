package io.starconsole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.starconsole.launcher.JvmOptions;
import io.starconsole.localcloud.LocalCloud;
import io.starconsole.localcloud.LocalCloudSettings;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The command queue alone: enqueue + lease + acknowledge cycles per second against the functions
 * ({@code functions/target/quarkus-app/quarkus-run.jar} run as the launcher runs it, against a local
 * cloud). The local cloud's embedded Postgres runs with {@code synchronous_commit = on} and
 * {@code fsync = on}, as the console runs it (both printed at start), so every commit is durable.
 * K boxes are registered through
 * {@code POST /internal/v1/register} with the edge secret and shared out among the threads (each box
 * belongs to one thread, so a lease always finds the thread's own command). Unbatched, each thread runs
 * its cycles one after another: {@code POST /api/v1/commands} (CHANGE_SPNBOX_NAME to one box),
 * {@code POST /internal/v1/commands/lease} for that box, {@code POST /internal/v1/commands/result}.
 * With {@code --batch N} each thread's round is N cycles in three calls: {@code POST /api/v1/commands/batch}
 * (one command to each of N of its boxes), {@code POST /internal/v1/commands/lease-batch} for those boxes
 * (each must get its command), {@code POST /internal/v1/commands/result-batch}; there are then at least
 * threads x N boxes.
 *
 * <pre>
 * java -cp bench/target/bench.jar io.starconsole.bench.QueueCycleBench --cycles 20000 --threads 8
 * java -cp bench/target/bench.jar io.starconsole.bench.QueueCycleBench --cycles 100000 --threads 8 --batch 100
 * </pre>
 * Besides cycles per second it prints the CPU of the functions and of PostgreSQL per cycle and the
 * transactions per cycle. {@code --statements N} restarts PostgreSQL with pg_stat_statements loaded
 * (before the functions start) and prints the N statements called most per cycle; {@code --jfr FILE}
 * records the functions with Java Flight Recorder (profile settings) into FILE, written at exit (the
 * functions then start without the launcher's class data, which JDK 17 cannot run beside a recording);
 * {@code --autovacuum-naptime 60s} sets PostgreSQL's pause between autovacuum's looks (the local cloud's 1 s, PostgreSQL's
 * default a minute), to measure what vacuuming the queue often buys; {@code --plans DIR} also loads auto_explain: PostgreSQL logs the plan of every statement of 2 ms or more, with
 * its rows and buffers, to log files in DIR (how the partial indexes' dead entries showed, bench/RESULTS.md session 21);
 * {@code --floor SECONDS} then measures the {@link QueueFloor} (each piece a cycle is made of, bare, for
 * SECONDS) and prints the least CPU this run's cycles could have cost and the most cycles a second that allows;
 * {@code --jvm-option "OPTION ..."} adds JVM options (separated by spaces) to the functions' (after the launcher's, so it wins,
 * e.g. {@code -XX:TieredStopAtLevel=4} to measure the launcher's quick-compiler choice);
 * {@code --sql FILE} runs FILE's statements (each ending with a semicolon at a line's end) as the
 * superuser after the warm-up, before the window: a schema or server change tried on the running
 * console without a migration (how the foreign keys' cost was measured, bench/RESULTS.md session 22).
 */
public final class QueueCycleBench {

    private static final String SECRET = "bench";

    private QueueCycleBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int cycles = args.integer("cycles", 20_000);
        int threads = args.integer("threads", 8);
        int batch = args.integer("batch", 0);
        int boxes = Math.max(args.integer("boxes", 64), threads * batch);
        int warmup = args.integer("warmup", 1000);
        Path jar = Path.of(args.text("jar", "functions/target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        int statements = args.integer("statements", 0);
        double floor = args.integer("floor", 0);
        String jfr = args.text("jfr", "");
        Optional<Path> plans = args.text("plans", "").isEmpty() ? Optional.empty() : Optional.of(Path.of(args.text("plans", "")));
        List<String> jvmOptions = args.words("jvm-option");
        String naptime = args.text("autovacuum-naptime", "");
        String experiment = args.text("sql", "");
        System.out.println("QueueCycleBench: " + cycles + " cycles on " + threads + " threads, " + boxes + " boxes, "
                + warmup + " warm-up cycles, " + (batch > 0 ? "batches of " + batch : "unbatched") + "; " + jar + "; " + Proc.machine());
        try (LocalCloud cloud = LocalCloud.startDisposable("bench-cloud")) {
            if (statements > 0 || floor > 0 || plans.isPresent()) {
                loadStatementStatistics(cloud, plans);
            }
            if (!naptime.isEmpty()) {
                setAutovacuumNaptime(cloud, naptime);
            }
            int port = KeepaliveBench.freePort();
            String java = ProcessHandle.current().info().command().orElse("java");
            Path functionsLog = Files.createTempFile("bench-functions", ".log");
            List<String> extra = new ArrayList<>();
            if (!jfr.isEmpty()) {
                extra.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr).toAbsolutePath());
            }
            extra.addAll(jvmOptions);
            // After the launcher's options, so that one given here wins over the launcher's.
            JvmOptions.JavaCommand command = JvmOptions.functions(java, jar, extra);
            ProcessBuilder builder = command.processBuilder().redirectErrorStream(true)
                    .redirectOutput(functionsLog.toFile());
            Map<String, String> env = builder.environment();
            cloud.functionsConfig().forEach((property, value) ->
                    env.put(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), value));
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("STAR_CONSOLE_ADMIN_USER", "admin");
            env.put("STAR_CONSOLE_ADMIN_PASSWORD", "bench-admin-password");
            env.put("STAR_CONSOLE_EDGE_SECRET", SECRET);
            Process process = builder.start();
            try {
                String base = "http://127.0.0.1:" + port;
                awaitLive(base, process);
                System.out.println("functions up (log " + functionsLog + "); synchronous_commit = "
                        + synchronousCommit(cloud));
                try (Connection superuser = DriverManager.getConnection(cloud.jdbcUrl(), "postgres", "")) {
                    run(base, cycles, threads, boxes, warmup, batch, process.pid(), superuser, statements, floor,
                            cloud.jdbcUrl(), experiment);
                }
            } finally {
                process.destroy();
                command.settle(process.waitFor()); // as the launcher: class data written at exit is kept
            }
        }
    }

    private static void run(String base, int cycles, int threads, int boxCount, int warmup, int batch, long pid,
                            Connection superuser, int statements, double floor, String jdbcUrl, String experiment)
            throws Exception {
        try (Http http = Http.open(threads)) {
            run(http, base, cycles, threads, boxCount, warmup, batch, pid, superuser, statements, floor, jdbcUrl,
                    experiment);
        }
    }

    private static void run(Http http, String base, int cycles, int threads, int boxCount, int warmup, int batch,
                            long pid, Connection superuser, int statements, double floor, String jdbcUrl,
                            String experiment) throws Exception {
        Api edge = Api.edge(http, base, SECRET);
        Api admin = Api.login(http, base, "admin", "bench-admin-password");
        SecureRandom random = new SecureRandom();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < boxCount; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            String publicKey = Base64.getEncoder().encodeToString(key);
            Map<String, Object> hello = new HashMap<>();
            hello.put("groupName", "queue-bench");
            hello.put("idString", "qb-" + i);
            hello.put("macAddress", String.format(Locale.ROOT, "02:51:00:00:%02x:%02x", (i >> 8) & 255, i & 255));
            hello.put("requestedSpnIp", null);
            hello.put("requestedMask", 16);
            hello.put("listenPort", 51820);
            hello.put("endpointPort", 51820);
            hello.put("allowedIps", "10.1.2.1/32");
            hello.put("firmwareVersion", "3.0.1");
            hello.put("enrolmentToken", null);
            Map<String, Object> body = new HashMap<>();
            body.put("publicKey", publicKey);
            body.put("edgeId", "bench-edge");
            body.put("realIp", "203.0.113.7");
            body.put("realPort", 40000 + i);
            body.put("reconnect", false);
            body.put("hello", hello);
            Api.Result r = edge.post("/internal/v1/register", body);
            if (r.status() != 200) {
                throw new IllegalStateException("register: " + r.status() + " " + r.body());
            }
            if (i == 0) {
                System.out.println("first registration answer: " + r.body());
            }
            keys.add(publicKey);
        }
        System.out.println(boxCount + " boxes registered; load average " + Proc.loadAverage());

        // Warm-up as the measured run (the same threads and code), not measured: the bench's own code
        // is compiled before the window, where the compiler's CPU would count as the generator's.
        AtomicInteger warmupFailures = new AtomicInteger();
        drive(admin, edge, keys, warmup, threads, batch, 5_000_000, LatencyReport.newHistogram(), warmupFailures);
        System.out.println("warm-up: " + warmup + " cycles on " + threads + " threads, " + warmupFailures.get()
                + " failures");
        if (!experiment.isEmpty()) {
            runExperiment(superuser, Path.of(experiment));
        }

        Histogram latency = LatencyReport.newHistogram();
        AtomicInteger failures = new AtomicInteger();
        long postmaster = DatabaseActivity.postmasterPid(superuser);
        DatabaseActivity database0 = DatabaseActivity.read(superuser, postmaster);
        StatementActivity statements0 = statements > 0 || floor > 0 ? StatementActivity.read(superuser) : null;
        long cpu0 = Proc.cpuTicks(pid);
        long generatorCpu0 = Proc.cpuTicks(ProcessHandle.current().pid());
        Map<String, Long> functionsThreads0 = Proc.threadCpuTicks(pid);
        Map<String, Long> generatorThreads0 = Proc.threadCpuTicks(ProcessHandle.current().pid());
        String loadBefore = Proc.loadAverage();
        long start = System.nanoTime();
        AtomicLong done = new AtomicLong(drive(admin, edge, keys, cycles, threads, batch, 0, latency, failures));
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> functionsThreads = Proc.threadCpuTicks(pid);
        Map<String, Long> generatorThreads = Proc.threadCpuTicks(ProcessHandle.current().pid());
        double cpu = (Proc.cpuTicks(pid) - cpu0) / (double) Proc.CLOCK_TICKS_PER_SECOND;
        double generatorCpu = (Proc.cpuTicks(ProcessHandle.current().pid()) - generatorCpu0)
                / (double) Proc.CLOCK_TICKS_PER_SECOND;
        DatabaseActivity.Interval database = DatabaseActivity.read(superuser, postmaster).since(database0);
        System.out.printf(Locale.ROOT, "%s, %d threads: %d cycles in %.1f s = %.0f cycles/s (%.0f HTTP calls/s);"
                        + " failures %d; functions CPU %.1f s = %.0f%% of a core; load average before %s, after %s%n",
                batch > 0 ? "batches of " + batch : "unbatched", threads, done.get(), seconds, done.get() / seconds,
                3 * done.get() / Math.max(1, batch) / seconds, failures.get(), cpu, 100 * cpu / seconds, loadBefore,
                Proc.loadAverage());
        long cycled = Math.max(1, done.get());
        System.out.printf(Locale.ROOT, "  per cycle: functions CPU %.0f µs, postgres CPU %.0f µs, this generator's CPU"
                        + " %.0f µs (%.0f%% of a core), %.2f transactions, %.0f bytes of WAL; database %s%n",
                1e6 * cpu / cycled, 1e6 * database.cpuSeconds() / cycled, 1e6 * generatorCpu / cycled,
                100 * generatorCpu / seconds,
                database.transactions() / (double) cycled, database.walBytes() / (double) cycled, database.format());
        StatementActivity statements1 = statements0 == null ? null : StatementActivity.read(superuser);
        System.out.println("  busiest threads (share of a core): functions "
                + KeepaliveBench.busiestThreads(functionsThreads0, functionsThreads, seconds) + "; generator (the cycle-N"
                + " workers, ended, not among them) " + KeepaliveBench.busiestThreads(generatorThreads0, generatorThreads, seconds));
        if (statements > 0) {
            System.out.println("  statements per cycle (pg_stat_statements, the " + statements + " called most):"
                    + statements1.mostCalledSince(statements0, cycled, statements));
        }
        CommandLatencyBench.print(batch > 0 ? "  round (enqueue + lease + result batches of " + batch + ")"
                : "  cycle (enqueue + lease + result)", latency);
        if (floor > 0) {
            QueueFloor.measureAndPrint(edge, threads, batch, floor, pid, superuser, jdbcUrl, 3.0 / Math.max(1, batch),
                    statements1.callsSince(statements0) / (double) cycled, database.transactions() / (double) cycled,
                    1e6 * (cpu + database.cpuSeconds() + generatorCpu) / cycled, done.get() / seconds);
        }
    }

    /**
     * Runs the file's statements (separated by semicolons at a line's end) as the superuser after the
     * warm-up, before the measured window: a schema change tried on the running console.
     */
    private static void runExperiment(Connection superuser, Path file) throws Exception {
        List<String> statements = experimentStatements(Files.readString(file));
        execute(superuser, statements);
        statements.forEach(sql -> System.out.println("experiment: " + sql.replaceAll("\\s+", " ")));
    }

    /** Runs each statement, in order, on the connection (a superuser's: server and schema changes). */
    private static void execute(Connection superuser, List<String> statements) throws SQLException {
        for (String sql : statements) {
            try (Statement statement = superuser.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    /** The statements of an experiment file: each ends with a semicolon at a line's end (or the file's). */
    static List<String> experimentStatements(String text) {
        List<String> statements = new ArrayList<>();
        for (String part : text.split(";\\s*(\\n|$)")) {
            if (!part.isBlank()) {
                statements.add(part.strip());
            }
        }
        return statements;
    }

    /**
     * {@code cycles} cycles on {@code threads} threads, each over its own boxes, into {@code latency};
     * cycle numbers (the commands' names) from {@code firstNumber}. Returns the cycles done.
     */
    private static long drive(Api admin, Api edge, List<String> keys, int cycles, int threads, int batch,
                              int firstNumber, Histogram latency, AtomicInteger failures) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        int perRound = Math.max(1, batch);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            int mine = cycles / threads + (t < cycles % threads ? 1 : 0);
            List<String> own = new ArrayList<>();
            for (int b = thread; b < keys.size(); b += threads) {
                own.add(keys.get(b));
            }
            Thread worker = new Thread(() -> {
                Histogram local = LatencyReport.newHistogram();
                for (int i = 0; i < mine; i += perRound) {
                    try {
                        round(admin, edge, own, firstNumber + thread * 10_000_000 + i, batch, local, failures);
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    done.addAndGet(perRound);
                }
                synchronized (latency) {
                    latency.add(local);
                }
            }, "cycle-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return done.get();
    }

    /** One cycle ({@code batch} 0) or one batched round of {@code batch} cycles over the first of {@code keys}. */
    private static void round(Api admin, Api edge, List<String> keys, int n, int batch, Histogram latency,
                              AtomicInteger failures) throws Exception {
        if (batch == 0) {
            cycle(admin, edge, keys.get(n % keys.size()), n, latency, failures);
        } else {
            batchedRound(admin, edge, keys.subList(0, batch), n, latency, failures);
        }
    }

    /** N enqueues in one call, N leases in one, N results in one; each lease must return its box's command. */
    private static void batchedRound(Api admin, Api edge, List<String> keys, int n, Histogram latency,
                                     AtomicInteger failures) throws Exception {
        long t0 = System.nanoTime();
        List<Map<String, Object>> commands = new ArrayList<>();
        List<Map<String, Object>> leases = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            commands.add(Map.of("type", "CHANGE_SPNBOX_NAME", "target", Map.of("box", keys.get(i)),
                    "arguments", "q-" + n + "-" + i, "priority", "normal"));
            leases.add(Map.of("publicKey", keys.get(i), "requestId", n + "-" + i));
        }
        Api.Result enq = admin.post("/api/v1/commands/batch", Map.of("commands", commands));
        if (enq.status() != 201) {
            fail(failures, "enqueue batch " + enq.status() + " " + enq.body());
            return;
        }
        JsonNode queued = enq.json().get("commands");
        Api.Result lease = edge.post("/internal/v1/commands/lease-batch", Map.of("edgeId", "bench-edge", "leases", leases));
        JsonNode leased = lease.status() == 200 ? lease.json().get("leases") : null;
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            long id = queued.get(i).get("id").asLong();
            JsonNode command = leased == null ? null : leased.get(i).get("command");
            if (command == null || command.isNull() || command.get("commandId").asLong() != id) {
                fail(failures, "lease batch " + lease.status() + " entry " + i + ": "
                        + (leased == null ? lease.body() : leased.get(i)) + " (expected " + id + ")");
                return;
            }
            results.add(Map.of("publicKey", keys.get(i), "commandId", id, "state", "succeeded", "message", "ok"));
        }
        Api.Result result = edge.post("/internal/v1/commands/result-batch", Map.of("results", results));
        if (result.status() != 200) {
            fail(failures, "result batch " + result.status() + " " + result.body());
            return;
        }
        for (JsonNode entry : result.json().get("results")) {
            if (!entry.get("error").isNull()) {
                fail(failures, "result batch entry " + entry);
                return;
            }
        }
        latency.recordValue(System.nanoTime() - t0);
    }

    /** One enqueue + lease + result; a failure is counted, and the cycle's time recorded if it completed. */
    private static void cycle(Api admin, Api edge, String key, int n, Histogram latency, AtomicInteger failures)
            throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> command = new HashMap<>();
        command.put("type", "CHANGE_SPNBOX_NAME");
        command.put("target", Map.of("box", key));
        command.put("arguments", "q-" + n);
        command.put("priority", "normal");
        Api.Result enq = admin.post("/api/v1/commands", command);
        if (enq.status() != 201) {
            fail(failures, "enqueue " + enq.status() + " " + enq.body());
            return;
        }
        long id = enq.json().get("id").asLong();
        Api.Result lease = edge.post("/internal/v1/commands/lease", Map.of("publicKey", key, "edgeId", "bench-edge"));
        JsonNode leased = lease.status() == 200 ? lease.json().get("command") : null;
        if (leased == null || leased.isNull() || leased.get("commandId").asLong() != id) {
            fail(failures, "lease " + lease.status() + " " + lease.body() + " (expected " + id + ")");
            return;
        }
        Api.Result result = edge.post("/internal/v1/commands/result",
                Map.of("publicKey", key, "commandId", id, "state", "succeeded", "message", "ok"));
        if (result.status() != 204) {
            fail(failures, "result " + result.status() + " " + result.body());
            return;
        }
        latency.recordValue(System.nanoTime() - t0);
    }

    private static void fail(AtomicInteger failures, String what) {
        if (failures.incrementAndGet() <= 5) {
            System.err.println("failed: " + what);
        }
    }

    private static void awaitLive(String base, Process process) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        URI live = URI.create(base + "/q/health/live");
        long start = System.nanoTime();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() - start > 120_000_000_000L) {
                throw new IllegalStateException("the functions did not answer");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Loads pg_stat_statements, and auto_explain logging into {@code plans} when given; done before the
     * functions start, so none of their connections is cut.
     */
    private static void loadStatementStatistics(LocalCloud cloud, Optional<Path> plans) throws Exception {
        StatementActivity.load(cloud.jdbcUrl(), () -> {
            cloud.stopDatabase();
            cloud.startDatabase();
        }, plans);
    }

    /** Overrides the local cloud's pause between autovacuum's looks, to measure what looking often buys. */
    private static void setAutovacuumNaptime(LocalCloud cloud, String naptime) throws Exception {
        try (Connection superuser = DriverManager.getConnection(cloud.jdbcUrl(), "postgres", "")) {
            // ALTER SYSTEM refuses a value that is not a duration.
            execute(superuser, List.of("ALTER SYSTEM SET autovacuum_naptime = '" + naptime.replace("'", "''") + "'",
                    "SELECT pg_reload_conf()"));
        }
        System.out.println("autovacuum_naptime = " + naptime + " (the local cloud's is 1s)");
    }

    private static String synchronousCommit(LocalCloud cloud) {
        Map<String, String> config = cloud.functionsConfig();
        try (Connection c = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
             ResultSet rows = c.createStatement().executeQuery(
                     "select current_setting('synchronous_commit'), current_setting('fsync')")) {
            rows.next();
            return rows.getString(1) + ", fsync = " + rows.getString(2);
        } catch (Exception e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
