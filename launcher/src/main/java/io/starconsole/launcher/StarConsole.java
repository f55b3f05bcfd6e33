package io.starconsole.launcher;

import io.starconsole.localcloud.LocalCloud;
import io.starconsole.localcloud.LocalCloudSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code star-console up}: the whole console on one machine. Starts the local cloud (PostgreSQL and
 * the S3 API), the functions (which also serve the viewer), the edge and, if asked, simulated boxes;
 * stays in the foreground; stops everything on Ctrl-C or SIGTERM.
 */
public final class StarConsole {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final LaunchOptions options;
    private final Ports ports;
    private final PrintStream out;
    /** The operator's JVM options for the functions and the edge, after the launcher's own. */
    private final List<String> functionsJavaOptions;
    private final List<String> edgeJavaOptions;
    private final Map<String, String> functionsSettings;
    private final List<SupervisedProcess> children = new ArrayList<>();
    private LocalCloud cloud;

    /** Ports, each overridable from the environment so a second console (or a test) can run beside. */
    public record Ports(int http, int edgeHttp, int udp, int postgres, int objectStore) {
        public static Ports from(Map<String, String> env) {
            return new Ports(port(env, "STAR_CONSOLE_HTTP_PORT", 8080),
                    port(env, "STAR_CONSOLE_EDGE_HTTP_PORT", 8081),
                    port(env, "STAR_CONSOLE_UDP_PORT", 31902),
                    port(env, "STAR_CONSOLE_PG_PORT", LocalCloudSettings.DEFAULT_POSTGRES_PORT),
                    port(env, "STAR_CONSOLE_S3_PORT", LocalCloudSettings.DEFAULT_OBJECT_STORE_PORT));
        }

        private static int port(Map<String, String> env, String name, int fallback) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                int port = Integer.parseInt(value.trim());
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a port number 1..65535, not '" + value + "'");
            }
        }
    }

    public StarConsole(LaunchOptions options, Ports ports, PrintStream out) {
        this(options, ports, out, Map.of());
    }

    /**
     * @param functionsSettings extra settings for the functions, as environment variables (tests use
     *                          it for short presence timeouts); one naming the functions' JVM options
     *                          ({@value JvmOptions#FUNCTIONS_JAVA_OPTIONS}) wins over the launcher's environment
     */
    public StarConsole(LaunchOptions options, Ports ports, PrintStream out, Map<String, String> functionsSettings) {
        this.options = options;
        this.ports = ports;
        this.out = out;
        this.functionsSettings = Map.copyOf(functionsSettings);
        // Read now, so that a malformed value stops the launch before anything starts.
        Map<String, String> environment = new LinkedHashMap<>(System.getenv());
        environment.putAll(this.functionsSettings);
        this.functionsJavaOptions = JvmOptions.operatorOptions(environment, JvmOptions.FUNCTIONS_JAVA_OPTIONS);
        this.edgeJavaOptions = JvmOptions.operatorOptions(System.getenv(), JvmOptions.EDGE_JAVA_OPTIONS);
    }

    public Ports ports() {
        return ports;
    }

    /** The edge's public key, which boxes must trust ({@code edge.pub}, made by the edge at first start). */
    public Path edgePublicKeyFile() {
        return options.dataDirectory().resolve("edge").resolve("edge.pub");
    }

    /** The public key of the local firmware signing key, which local boxes trust. */
    public Path otaTrustedKeysFile() {
        return options.dataDirectory().resolve("ota-trusted-keys");
    }

    public String adminPassword() throws IOException {
        return System.getenv("STAR_CONSOLE_ADMIN_PASSWORD") != null ? System.getenv("STAR_CONSOLE_ADMIN_PASSWORD")
                : Secrets.readOrCreate(options.dataDirectory().resolve("admin-password"));
    }

    public String jdbcUrl() {
        return cloud.jdbcUrl();
    }

    /** Stops PostgreSQL, as an outage would; the functions and the edge keep running. */
    public void stopDatabase() throws IOException {
        cloud.stopDatabase();
        out.println("[launcher] PostgreSQL stopped");
    }

    /** Starts PostgreSQL again on the same data directory and port. */
    public void startDatabase() throws IOException {
        cloud.startDatabase();
        out.println("[launcher] PostgreSQL started again on 127.0.0.1:" + cloud.postgresPort());
    }

    /** Stops one part ("functions", "edge" or "boxes") and starts it again, waiting until it is ready. */
    public void restart(String name) throws IOException, InterruptedException {
        restart(name, false);
    }

    /** Kills one part with SIGKILL (no clean shutdown) and starts it again; returns once it is ready. */
    public void killAndRestart(String name) throws IOException, InterruptedException {
        restart(name, true);
    }

    private void restart(String name, boolean kill) throws IOException, InterruptedException {
        SupervisedProcess child = children.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no part named " + name));
        if (kill) {
            child.kill();
        } else {
            child.stop(STOP_GRACE);
        }
        child.start();
        URI ready = readiness(name);
        if (ready != null) {
            child.awaitReady(ready, READY_TIMEOUT);
        }
    }

    private URI readiness(String name) {
        return switch (name) {
            case "functions" -> URI.create("http://127.0.0.1:" + ports.http() + "/q/health/ready");
            case "edge" -> URI.create("http://127.0.0.1:" + ports.edgeHttp() + "/q/health/ready");
            default -> null;
        };
    }

    public static void main(String[] args) {
        quietLibraryLogging();
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        if (arguments.isEmpty() || !arguments.get(0).equals("up")) {
            System.err.print(LaunchOptions.USAGE);
            System.exit(arguments.isEmpty() || arguments.get(0).matches("-h|--help|help") ? 0 : 2);
        }
        StarConsole console;
        try {
            LaunchOptions options = LaunchOptions.parse(arguments.subList(1, arguments.size()),
                    Path.of("").toAbsolutePath(), System.getenv("STAR_CONSOLE_DATA"));
            console = new StarConsole(options, Ports.from(System.getenv()), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("star-console: " + e.getMessage());
            System.err.print(LaunchOptions.USAGE);
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.stop();
            stopped.countDown();
        }, "star-console-stop"));
        try {
            console.start();
        } catch (Exception e) {
            System.err.println("star-console: could not start: " + e.getMessage());
            System.exit(1);
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The embedded servers log every step at INFO; the console's own lines are what matter here. */
    private static void quietLibraryLogging() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "[local-cloud] %4$s %5$s%6$s%n");
        for (String noisy : List.of("io.zonky", "org.gaul", "org.jclouds", "org.eclipse.jetty", "java.util")) {
            java.util.logging.Logger.getLogger(noisy).setLevel(java.util.logging.Level.WARNING);
        }
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }

    public void start() throws IOException, InterruptedException {
        Path data = options.dataDirectory();
        Files.createDirectories(data);
        out.println("[launcher] data directory " + data);
        LocalCloudSettings defaults = LocalCloudSettings.defaults(data.resolve("cloud"));
        cloud = LocalCloud.start(new LocalCloudSettings(defaults.dataDirectory(), ports.postgres(),
                defaults.database(), defaults.databaseUser(), defaults.databasePassword(), ports.objectStore(),
                defaults.bucket(), defaults.accessKey(), defaults.secretKey()));
        out.println("[launcher] PostgreSQL on 127.0.0.1:" + cloud.postgresPort() + ", S3 API on "
                + cloud.objectStoreEndpoint());

        String adminPassword = adminPassword();
        String adminUser = System.getenv().getOrDefault("STAR_CONSOLE_ADMIN_USER", "admin");
        String edgeSecret = Secrets.readOrCreate(data.resolve("edge-secret"));

        Path functionsJar = options.home().resolve("functions/target/quarkus-app/quarkus-run.jar");
        SupervisedProcess functions = child("functions", functionsJar,
                JvmOptions.functions(java(), functionsJar, functionsJavaOptions),
                functionsEnvironment(adminUser, adminPassword, edgeSecret));
        functions.start();
        functions.awaitReady(readiness("functions"), READY_TIMEOUT);

        Path edgeJar = options.home().resolve("udp-edge/target/quarkus-app/quarkus-run.jar");
        SupervisedProcess edge = child("edge", edgeJar, JvmOptions.service(java(), edgeJar, JvmOptions.SERVICE_MAX_HEAP,
                List.of()).withOptionsBeforeJar(edgeJavaOptions), edgeEnvironment(edgeSecret, data));
        edge.start();
        edge.awaitReady(readiness("edge"), READY_TIMEOUT);

        if (options.simulatedBoxes() > 0) {
            startSimulatedBoxes(data);
        }
        printBanner(adminUser, adminPassword);
    }

    /** N boxes in one agent process, each with its own keys and sandbox under {@code <data>/boxes}. */
    private void startSimulatedBoxes(Path data) throws IOException {
        Path boxes = data.resolve("boxes");
        Files.createDirectories(boxes);
        Path agentJar = options.home().resolve("agent/target/agent.jar");
        SupervisedProcess fleet = child("boxes", agentJar, JvmOptions.service(java(), agentJar, "64m",
                List.of("simulate", "--boxes", String.valueOf(options.simulatedBoxes()),
                        "--config", boxes.resolve("agent.conf").toString(),
                        "--edge", "127.0.0.1:" + ports.udp(),
                        "--edge-public-key-file", edgePublicKeyFile().toString(),
                        "--ota-trusted-keys-file", otaTrustedKeysFile().toString(),
                        "--state-directory", boxes.toString(),
                        "--id", "sim", "--group", "default")), Map.of());
        fleet.start();
        out.println("[launcher] started " + options.simulatedBoxes() + " simulated boxes (state in " + boxes + ")");
    }

    private SupervisedProcess child(String name, Path jar, JvmOptions.JavaCommand command,
                                    Map<String, String> environment) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build with 'mvn -B install -DskipTests' (./star-console up does)");
        }
        SupervisedProcess process = new SupervisedProcess(name, command, environment, out);
        children.add(process);
        return process;
    }

    /** The JVM the launcher itself runs on. */
    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private Map<String, String> functionsEnvironment(String adminUser, String adminPassword, String edgeSecret)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        cloud.functionsConfig().forEach((property, value) -> env.put(environmentName(property), value));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(ports.http()));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("STAR_CONSOLE_ADMIN_USER", adminUser);
        env.put("STAR_CONSOLE_ADMIN_PASSWORD", adminPassword);
        env.put("STAR_CONSOLE_EDGE_SECRET", edgeSecret);
        env.put("STAR_CONSOLE_WEB_DIRECTORY", options.home().resolve("web/src/main/web").toString());
        Path data = options.dataDirectory();
        env.put("STAR_CONSOLE_OTA_SIGNING_KEYS", Secrets.readOrCreateSigningKey(data.resolve("ota-signing-key"),
                otaTrustedKeysFile()));
        env.put("STAR_CONSOLE_OTA_KEY_ENCRYPTION_KEY", Secrets.readOrCreateKey(data.resolve("ota-key-encryption-key")));
        env.put("STAR_CONSOLE_OTA_PUBLIC_URL", "http://127.0.0.1:" + ports.http());
        env.putAll(functionsSettings);
        return env;
    }

    private Map<String, String> edgeEnvironment(String edgeSecret, Path data) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(ports.edgeHttp()));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("STAR_CONSOLE_EDGE_UDP_PORT", String.valueOf(ports.udp()));
        env.put("STAR_CONSOLE_EDGE_FUNCTIONS_URL", "http://127.0.0.1:" + ports.http());
        env.put("STAR_CONSOLE_EDGE_SECRET", edgeSecret);
        env.put("STAR_CONSOLE_EDGE_KEY_DIRECTORY", data.resolve("edge").toString());
        return env;
    }

    /** Quarkus reads {@code a.b-c} from the environment as {@code A_B_C}. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private void printBanner(String adminUser, String adminPassword) {
        String http = "http://localhost:" + ports.http();
        out.println();
        out.println("Star Console is up.");
        out.println("  viewer and API  " + http + "/   (OpenAPI: " + http + "/q/openapi)");
        out.println("  edge            udp/" + ports.udp() + " for boxes; health http://localhost:" + ports.edgeHttp()
                + "/q/health");
        out.println("  admin login     " + adminUser + " / " + adminPassword);
        out.println("  PostgreSQL      psql -h 127.0.0.1 -p " + cloud.postgresPort() + " -U "
                + cloud.settings().databaseUser() + " " + cloud.settings().database() + "   (password "
                + cloud.settings().databasePassword() + ", local use only)");
        out.println("  S3 API          " + cloud.objectStoreEndpoint() + "  bucket " + cloud.settings().bucket());
        out.println("  data            " + options.dataDirectory());
        out.println("Press Ctrl-C to stop.");
        out.println();
    }

    /** Stops the children (newest first, each SIGTERM then SIGKILL), then the local cloud. */
    public synchronized void stop() {
        out.println("[launcher] stopping");
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).stop(STOP_GRACE);
        }
        children.clear();
        if (cloud != null) {
            try {
                cloud.close();
            } catch (IOException e) {
                out.println("[launcher] local cloud stopped with a warning: " + e.getMessage());
            }
            cloud = null;
        }
        out.println("[launcher] stopped");
    }
}
