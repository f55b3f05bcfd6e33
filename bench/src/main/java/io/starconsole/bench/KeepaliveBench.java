package io.starconsole.bench;

import io.starconsole.launcher.JvmOptions;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Edge keepalive: authenticated PING/PONG exchanges per second, open loop at fixed rates, against
 * the built edge started here with a stand-in for the functions. For each rate: achieved rate,
 * loss, round-trip percentiles from the scheduled send time, the edge's CPU per exchange, and the
 * presence calls the edge made to the functions per second.
 *
 * <pre>
 * java -cp bench/target/bench.jar io.starconsole.bench.KeepaliveBench --boxes 10000 --rates 25000,45000 --seconds 60
 * </pre>
 * Options: --boxes N, --rates r1,r2,... (or --rate r), --seconds S (measured), --warmup S,
 * --sockets K (box-side UDP sockets), --receivers R, --senders S (threads sending PINGs, each its own share
 * of the schedule and of the boxes), --edge-jar PATH, --edge-heap 256m, --jfr FILE, --edge-options "OPTS"
 * (more JVM options for the edge, e.g. {@code -Xlog:gc:file=gc.log}), --floor true (instead of the edge, a
 * {@link KeepaliveEcho} with the same sockets and cryptography and nothing else: the generator's and the
 * machine's share of the round trip), --slow-pings FILE (when the round trips over 1 ms were due, by the
 * wall clock's millisecond, to lay beside the JVMs' logs; one file per rate: FILE.RATE), --jedi 3|2 (the
 * protocol version the boxes speak: JEDI/3's ChaCha20-Poly1305 or JEDI/2's AES-256-GCM).
 */
public final class KeepaliveBench {

    private KeepaliveBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int boxes = args.integer("boxes", 10_000);
        String rates = args.text("rates", args.text("rate", "25000"));
        int seconds = args.integer("seconds", 60);
        int warmup = args.integer("warmup", 5);
        // Many source addresses and ports, as many boxes are: the edge's SO_REUSEPORT sockets share
        // the boxes out by that 4-tuple's hash, and 8 flows over 2 sockets are often lopsided.
        int sockets = args.integer("sockets", 32);
        int receivers = args.integer("receivers", 2);
        int senders = args.integer("senders", 2);
        Path jar = Path.of(args.text("edge-jar", "udp-edge/target/quarkus-app/quarkus-run.jar"));
        String heap = args.text("edge-heap", "256m");
        String jfr = args.text("jfr", "");
        String edgeOptions = args.text("edge-options", "");
        boolean floor = args.flag("floor");
        String slowPings = args.text("slow-pings", "");
        JediVersion version = JediVersion.ofNumber(args.text("jedi", "3"));

        System.out.println("KeepaliveBench: " + boxes + " boxes, rates " + rates + ", " + seconds + " s each; "
                + (floor ? "FLOOR (trivial echo instead of the edge); " : "")
                + (edgeOptions.isEmpty() ? "" : "edge options " + edgeOptions + "; ") + "boxes speak " + version + "; "
                + Proc.machine());
        KeyPair edgeKeys = KeyPair.generate(new SecureRandom());
        int udpPort = freeUdpPort();
        Path log = Files.createTempFile("bench-edge", ".log");
        Map<String, String> environment = new HashMap<>(Map.of("STAR_CONSOLE_EDGE_UDP_PORT", String.valueOf(udpPort),
                "STAR_CONSOLE_EDGE_SECRET", "bench",
                "STAR_CONSOLE_EDGE_ID", "bench-edge",
                "STAR_CONSOLE_EDGE_PRIVATE_KEY", edgeKeys.privateKey().toBase64(),
                "STAR_CONSOLE_EDGE_HANDSHAKES_UNDER_LOAD_PER_SECOND", "1000000",
                "STAR_CONSOLE_EDGE_HANDSHAKES_PER_SOURCE_PER_SECOND", "1000000"));
        List<String> jvmOptions = args.words("edge-options");
        try (FunctionsStandIn functions = new FunctionsStandIn();
             Server edge = floor ? Server.echo(udpPort, edgeKeys, heap, jvmOptions, log)
                     : Server.edge(EdgeProcess.start(jar, heap, jvmOptions, jfr.isEmpty() ? null : Path.of(jfr).toAbsolutePath(),
                             with(environment, "STAR_CONSOLE_EDGE_FUNCTIONS_URL", functions.url()), log, freePort()));
             BoxFleet fleet = new BoxFleet(boxes, edgeKeys.publicKey(),
                     new InetSocketAddress("127.0.0.1", udpPort), sockets, receivers, version)) {
            System.out.println((floor ? "echo" : "edge") + " pid " + edge.pid() + ", log " + log);
            for (String rate : rates.split(",")) {
                run(fleet, edge, functions, boxes, Double.parseDouble(rate.trim()), seconds, warmup, senders,
                        slowPings.isEmpty() ? null : Path.of(slowPings + "." + rate.trim()));
            }
        }
    }

    private static void run(BoxFleet fleet, Server edge, FunctionsStandIn functions, int boxes, double rate,
                            int seconds, int warmup, int senders, Path slowPingsFile) throws Exception {
        // Fresh sessions for every step: a session lives at most 180 s.
        long t0 = System.nanoTime();
        fleet.helloAll(2000, 60_000);
        System.out.printf(Locale.ROOT, "%n%d of %d boxes established in %.1f s (handshakes: %s)%n",
                fleet.established(), boxes, (System.nanoTime() - t0) / 1e9, handshakeSummary(fleet));
        List<BoxFleet.Box> ready = new ArrayList<>(fleet.boxes().stream().filter(b -> b.session != null).toList());
        // Each sender owns the boxes whose position is its number modulo the senders, so no box's
        // counter is shared between threads (a box's PINGs leave in order).
        int usable = ready.size() - ready.size() % senders;

        long warmupCount = (long) (rate * warmup);
        long total = warmupCount + (long) (rate * seconds);
        // due time of each PING, by sequence: the latency of a PONG is measured from it
        AtomicLongArray due = new AtomicLongArray((int) Math.min(total, Integer.MAX_VALUE - 8));
        AtomicLong answered = new AtomicLong();
        int threads = 4;
        // By phase (warm-up, measured), then by receiving thread. The warm-up's answers go through the
        // same code as the measured ones, into histograms never reported: code that first runs when
        // the measurement starts is compiled then, and its first seconds were late (bench/RESULTS.md,
        // session 11).
        Histogram[][] histograms = new Histogram[2][threads];
        for (Histogram[] phase : histograms) {
            for (int i = 0; i < threads; i++) {
                phase[i] = LatencyReport.newHistogram();
            }
        }
        AtomicLong[] answeredByPhase = {new AtomicLong(), answered};
        RateSchedule schedule = new RateSchedule(System.nanoTime() + 50_000_000, rate);
        long warmupEnd = schedule.dueNanos(warmupCount);
        SlowPings slow = slowPingsFile == null ? null
                : new SlowPings(1_000_000, schedule.dueNanos(0), warmupEnd, warmup + seconds + 2);
        fleet.listener((box, message, receivedNanos) -> record(message, receivedNanos, due, warmupCount, total,
                answeredByPhase, histograms, slow));

        AtomicLong sendFailures = new AtomicLong();
        // The generator's own share of a round trip: how late each measured PING left (sent - due).
        Histogram[] lateness = new Histogram[senders];
        List<Thread> sending = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            int first = t;
            Histogram[] late = {LatencyReport.newHistogram(), lateness[t] = LatencyReport.newHistogram()};
            Thread thread = new Thread(() -> {
                try {
                    for (long i = first; i < total; i += senders) {
                        long dueNanos = schedule.dueNanos(i);
                        RateSchedule.parkUntil(dueNanos);
                        due.set((int) i, dueNanos);
                        if (!fleet.send(ready.get((int) (i % usable)), new Ping(i))) {
                            sendFailures.incrementAndGet();
                        }
                        Histogram phase = late[phase(i, warmupCount)];
                        phase.recordValue(Math.min(System.nanoTime() - dueNanos, phase.getHighestTrackableValue()));
                    }
                } catch (java.io.IOException e) {
                    sendFailures.incrementAndGet();
                }
            }, "keepalive-sender-" + t);
            thread.start();
            sending.add(thread);
        }
        RateSchedule.awaitNanos(warmupEnd);
        long measureStartNanos = System.nanoTime();
        long edgeTicksBefore = Proc.cpuTicks(edge.pid());
        Map<String, Long> edgeThreadsBefore = Proc.threadCpuTicks(edge.pid());
        long ownTicksBefore = Proc.cpuTicks(ProcessHandle.current().pid());
        long presenceBefore = functions.presenceCalls();
        long heartbeatsBefore = functions.heartbeats();
        long bufferDropsBefore = Proc.udpReceiveBufferErrors();
        long unreadableBefore = fleet.junk();
        for (Thread thread : sending) {
            thread.join();
        }
        long sendEnd = System.nanoTime();
        long edgeTicks = Proc.cpuTicks(edge.pid()) - edgeTicksBefore;
        Map<String, Long> edgeThreads = Proc.threadCpuTicks(edge.pid());
        long ownTicks = Proc.cpuTicks(ProcessHandle.current().pid()) - ownTicksBefore;
        Thread.sleep(1500); // answers still in flight, and the last presence batch
        long bufferDrops = Proc.udpReceiveBufferErrors() - bufferDropsBefore;
        long unreadable = fleet.junk() - unreadableBefore;
        long presenceCalls = functions.presenceCalls() - presenceBefore;
        long heartbeats = functions.heartbeats() - heartbeatsBefore;
        fleet.listener((box, message, at) -> { });
        Thread.sleep(50);

        Histogram all = LatencyReport.newHistogram();
        for (Histogram h : histograms[1]) {
            synchronized (h) {
                all.add(h);
            }
        }
        double measuredSeconds = (sendEnd - measureStartNanos) / 1e9;
        LatencyReport report = new LatencyReport(String.format(Locale.ROOT, "keepalive @ %.0f/s target", rate),
                total - warmupCount, answered.get(), measuredSeconds, all);
        System.out.println(report.format());
        Histogram late = LatencyReport.newHistogram();
        for (Histogram h : lateness) {
            late.add(h);
        }
        System.out.printf(Locale.ROOT, "  generator lateness (PING sent - due): p50 %.3f ms, p90 %.3f ms, p99 %.3f ms,"
                        + " p99.9 %.3f ms, max %.1f ms%n", late.getValueAtPercentile(50) / 1e6,
                late.getValueAtPercentile(90) / 1e6, late.getValueAtPercentile(99) / 1e6,
                late.getValueAtPercentile(99.9) / 1e6, late.getMaxValue() / 1e6);
        double cpuSeconds = edgeTicks / (double) Proc.CLOCK_TICKS_PER_SECOND;
        double ownSeconds = ownTicks / (double) Proc.CLOCK_TICKS_PER_SECOND;
        System.out.printf(Locale.ROOT,
                "  edge CPU %.1f s in %.1f s (%.0f%% of one core) = %.1f us per exchange; load generator CPU %.1f s"
                        + " (%.0f%% of one core) = %.1f us per exchange, %d senders; send failures %d%n",
                cpuSeconds, measuredSeconds, 100 * cpuSeconds / measuredSeconds,
                report.answered() == 0 ? 0 : 1e6 * cpuSeconds / report.answered(),
                ownSeconds, 100 * ownSeconds / measuredSeconds,
                report.answered() == 0 ? 0 : 1e6 * ownSeconds / report.answered(), senders, sendFailures.get());
        System.out.println("  edge CPU by thread (% of one core): " + busiestThreads(edgeThreadsBefore, edgeThreads,
                measuredSeconds));
        System.out.printf(Locale.ROOT,
                "  presence relayed to the functions: %d calls (%.2f per second) carrying %d heartbeats%n",
                presenceCalls, presenceCalls / measuredSeconds, heartbeats);
        System.out.printf(Locale.ROOT, "  UDP datagrams dropped by full receive buffers (whole machine): %d; datagrams"
                + " the boxes could not read (no session, bad tag, replay): %d%n", bufferDrops, unreadable);
        System.out.println("  edge RSS " + Proc.rssKib(edge.pid()) / 1024 + " MiB; load average " + Proc.loadAverage());
        String drops = edge.drops();
        if (!drops.isEmpty()) {
            System.out.println("  datagrams the edge dropped since it started, by reason: " + drops);
        }
        if (slow != null) {
            slow.write(slowPingsFile);
            System.out.println("  slow round trips by due time: " + slowPingsFile);
        }
    }

    private static void record(Message message, long receivedNanos, AtomicLongArray due, long warmupCount, long total,
                               AtomicLong[] answered, Histogram[][] histograms, SlowPings slow) {
        if (!(message instanceof Pong pong)) {
            return;
        }
        long sequence = pong.sequence();
        if (sequence < 0 || sequence >= total) {
            return;
        }
        int phase = phase(sequence, warmupCount);
        long dueNanos = due.get((int) sequence);
        long latency = Math.max(0, receivedNanos - dueNanos);
        if (slow != null) {
            slow.record(dueNanos, latency);
        }
        Histogram[] byThread = histograms[phase];
        Histogram h = byThread[(int) (Thread.currentThread().getId() % byThread.length)];
        synchronized (h) {
            h.recordValue(Math.min(latency, h.getHighestTrackableValue()));
        }
        answered[phase].incrementAndGet();
    }

    /**
     * 0 for a warm-up PING, 1 for a measured one, without a branch: a branch the warm-up never took
     * would be compiled as a trap, and the measurement would start in the interpreter.
     */
    private static int phase(long sequence, long warmupCount) {
        return (int) ((warmupCount - 1 - sequence) >>> 63);
    }

    /** The threads that spent the most between two readings of {@link Proc#threadCpuTicks}, busiest first. */
    static String busiestThreads(Map<String, Long> before, Map<String, Long> after, double seconds) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .map(e -> String.format(Locale.ROOT, "%s %.1f%%", e.getKey(),
                        100.0 * e.getValue() / Proc.CLOCK_TICKS_PER_SECOND / seconds))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> more = new HashMap<>(environment);
        more.put(name, value);
        return more;
    }

    /** What answers the PINGs: the built edge, or the trivial echo that is the floor. */
    private interface Server extends AutoCloseable {
        long pid();

        /** Datagrams the server refused or failed, by reason, since it started ("" when it does not count them). */
        default String drops() throws Exception {
            return "";
        }

        static Server edge(EdgeProcess edge) {
            return new Server() {
                @Override
                public long pid() {
                    return edge.pid();
                }

                @Override
                public String drops() throws Exception {
                    return edge.metrics().lines().stream()
                            .filter(line -> line.startsWith("edge_datagrams_dropped_total{") && !line.endsWith(" 0.0"))
                            .map(line -> line.substring(line.indexOf("reason=\"") + 8, line.indexOf('"',
                                    line.indexOf("reason=\"") + 8)) + " " + line.substring(line.lastIndexOf(' ') + 1))
                            .collect(java.util.stream.Collectors.joining(", "));
                }

                @Override
                public void close() throws InterruptedException {
                    edge.close();
                }
            };
        }

        /** {@link KeepaliveEcho} with the edge's JVM options and one socket per core, as the edge binds. */
        static Server echo(int udpPort, KeyPair keys, String heap, List<String> jvmOptions, Path log)
                throws IOException {
            String javaCommand = ProcessHandle.current().info().command().orElse("java");
            List<String> command = EdgeProcess.withOptions(
                    JvmOptions.service(javaCommand, Path.of("unused.jar"), heap, List.of()).command(), jvmOptions);
            int jar = command.indexOf("-jar");
            command.subList(jar, command.size()).clear();
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), KeepaliveEcho.class.getName(),
                    String.valueOf(udpPort), keys.privateKey().toBase64(),
                    String.valueOf(Runtime.getRuntime().availableProcessors())));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            Process process = builder.start();
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.equals("ready")) {
                Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.APPEND);
            }
            if (line == null) {
                throw new IOException("the echo exited before it was ready; see " + log);
            }
            Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "echo-output");
            drain.setDaemon(true);
            drain.start();
            return new Server() {
                @Override
                public long pid() {
                    return process.pid();
                }

                @Override
                public void close() throws InterruptedException {
                    process.destroy();
                    if (!process.waitFor(20, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            };
        }
    }

    static String handshakeSummary(BoxFleet fleet) {
        Histogram h = fleet.handshakeLatency();
        return String.format(Locale.ROOT, "accepted %d, refused %d, cookies %d; p50 %.1f ms p99 %.1f ms",
                fleet.accepted(), fleet.refused(), fleet.cookies(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6);
    }

    /**
     * A UDP port no socket holds now: a free TCP port may well be taken for UDP when other load
     * generators on the machine hold thousands of UDP sockets.
     */
    static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
