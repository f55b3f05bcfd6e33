package io.starconsole.bench;

import io.starconsole.launcher.JvmOptions;
import io.starconsole.localcloud.LocalCloud;
import io.starconsole.localcloud.LocalCloudSettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Functions start-up: JVM start to the first answered request ({@code /q/health/live}) and resident
 * memory, for {@code functions/target/quarkus-app/quarkus-run.jar} run as the launcher runs it, against a
 * local cloud; the first run also migrates the fresh database. Also the sizes of the agent jar and
 * the Lambda zip when they are built. The CPU time (user + system) the process used until its first
 * answer is printed too: on a machine shared with other work it varies far less than the wall time.
 *
 * <pre>
 * java -cp bench/target/bench.jar io.starconsole.bench.FunctionsStartBench --runs 3 [--jvm-option "OPTION ..."]
 * </pre>
 * {@code --jvm-option} adds JVM options (separated by spaces) after the launcher's (so it wins), e.g.
 * {@code -XX:TieredStopAtLevel=4} to start with both compilers.
 */
public final class FunctionsStartBench {

    private FunctionsStartBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int runs = args.integer("runs", 3);
        List<String> jvmOptions = args.words("jvm-option");
        Path jar = Path.of(args.text("jar", "functions/target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        System.out.println("FunctionsStartBench: " + jar + "; " + Proc.machine());
        try (LocalCloud cloud = LocalCloud.startDisposable("bench-cloud")) {
            for (int run = 1; run <= runs; run++) {
                once(run, jar, cloud, jvmOptions);
            }
        }
        for (String file : List.of("agent/target/agent.jar", "functions-lambda/target/function.zip")) {
            Path p = Path.of(file);
            System.out.println(file + ": " + (Files.exists(p) ? Files.size(p) + " bytes" : "not built"));
        }
    }

    /**
     * The functions' connections to PostgreSQL (the application's role): each one opened costs the
     * functions a SCRAM-SHA-256 exchange, whose key derivation is thousands of HMACs.
     */
    private static long applicationConnections(LocalCloud cloud) throws SQLException {
        try (Connection db = DriverManager.getConnection(cloud.jdbcUrl(), "postgres", "");
             PreparedStatement count = db.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity WHERE usename = ? AND backend_type = 'client backend'")) {
            count.setString(1, cloud.settings().databaseUser());
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void once(int run, Path jar, LocalCloud cloud, List<String> jvmOptions) throws Exception {
        int port = KeepaliveBench.freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        JvmOptions.JavaCommand command = JvmOptions.functions(java, jar, jvmOptions);
        ProcessBuilder builder = command.processBuilder().redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("bench-functions", ".log").toFile());
        if (run == 1) {
            System.out.println("command: " + String.join(" ", builder.command()) + (command.directory() == null ? ""
                    : " (in " + command.directory() + ")"));
        }
        Map<String, String> env = builder.environment();
        cloud.functionsConfig().forEach((property, value) ->
                env.put(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT), value));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("STAR_CONSOLE_ADMIN_USER", "admin");
        env.put("STAR_CONSOLE_ADMIN_PASSWORD", "bench-admin-password");
        env.put("STAR_CONSOLE_EDGE_SECRET", "bench");
        HttpClient http = HttpClient.newHttpClient();
        URI live = URI.create("http://127.0.0.1:" + port + "/q/health/live");
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                if (!process.isAlive() || System.nanoTime() - start > 120_000_000_000L) {
                    throw new IllegalStateException("the functions did not answer");
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long rssAtStart = Proc.rssKib(process.pid());
            double cpuSeconds = (double) Proc.cpuTicks(process.pid()) / Proc.CLOCK_TICKS_PER_SECOND;
            long connectionsAtStart = applicationConnections(cloud);
            Thread.sleep(5000);
            System.out.printf(Locale.ROOT, "run %d%s: JVM start to first answer %.2f s (CPU %.2f s); RSS %d MiB then,"
                            + " %d MiB 5 s later; database connections then %d, 5 s later %d; load average %s%n", run,
                    run == 1 ? " (fresh database: migrates)" : "", seconds, cpuSeconds, rssAtStart / 1024,
                    Proc.rssKib(process.pid()) / 1024, connectionsAtStart, applicationConnections(cloud),
                    Proc.loadAverage());
        } finally {
            process.destroy();
            command.settle(process.waitFor()); // as the launcher: class data written at exit is kept
        }
    }
}
