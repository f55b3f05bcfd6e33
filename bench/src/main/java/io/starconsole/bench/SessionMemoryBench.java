package io.starconsole.bench;

import io.starconsole.edge.session.EdgeSession;
import io.starconsole.edge.session.SessionTable;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.session.Session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Edge memory per box: fills the edge's own {@link SessionTable} with N {@link EdgeSession}s, each
 * holding a protocol {@link Session} (keys, replay window), the box key as the edge keeps it
 * (base64 String), and the box's address as the edge's socket hands it over (an InetSocketAddress,
 * one distinct address per box); then compares live-heap class histograms
 * ({@code jcmd <pid> GC.class_histogram}, which collects first) before and after.
 *
 * <pre>
 * java -Xmx1g -cp bench/target/bench.jar io.starconsole.bench.SessionMemoryBench --sessions 1000000
 * </pre>
 * Not included: the handshake's TimestampRegistry entry per box key and the presence relay's
 * pending heartbeat per box (both live outside the session table).
 */
public final class SessionMemoryBench {

    private SessionMemoryBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int n = args.integer("sessions", 1_000_000);
        System.out.println("SessionMemoryBench: " + n + " sessions, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB; " + Proc.machine());
        SecureRandom random = new SecureRandom();
        LongSupplier clock = System::nanoTime; // the edge shares one clock among its sessions
        SessionTable table = new SessionTable();
        Map<String, long[]> before = histogram();
        long t0 = System.nanoTime();
        byte[] key = new byte[32];
        for (int i = 0; i < n; i++) {
            random.nextBytes(key);
            Key boxKey = Key.copyOf(key);
            byte[] send = new byte[32];
            byte[] receive = new byte[32];
            random.nextBytes(send);
            random.nextBytes(receive);
            Session session = new Session(table.reserveIndex(), random.nextInt(), boxKey, send, receive, false, clock, JediVersion.CURRENT);
            InetSocketAddress from = new InetSocketAddress(InetAddress.getByAddress(new byte[] {
                    10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), 1024 + (i & 0x7FFF));
            table.put(new EdgeSession(session, boxKey.toBase64(), from,
                    System.nanoTime(), false));
        }
        System.out.printf(Locale.ROOT, "filled in %.1f s; table size %d%n", (System.nanoTime() - t0) / 1e9, table.size());
        Map<String, long[]> after = histogram();
        long totalBytes = 0;
        long totalInstances = 0;
        Map<String, long[]> delta = new HashMap<>();
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long[] d = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
            if (d[1] > 0) {
                delta.put(e.getKey(), d);
                totalBytes += d[1];
                totalInstances += d[0];
            }
        }
        System.out.println("live heap grown by, per class (instances, bytes, bytes per session):");
        delta.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(15)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-60s %10d %12d %8.1f%n", e.getKey(),
                        e.getValue()[0], e.getValue()[1], e.getValue()[1] / (double) n));
        System.out.printf(Locale.ROOT, "TOTAL %d objects, %.1f MiB = %.0f bytes per session (target <= 1024); "
                        + "load average %s%n", totalInstances, totalBytes / 1048576.0, totalBytes / (double) n,
                Proc.loadAverage());
        if (table.size() != n) {
            throw new IllegalStateException("table lost sessions");
        }
    }

    /** Class name -> {instances, bytes} of the live heap of this process. */
    private static Map<String, long[]> histogram() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(ProcessHandle.current().pid()),
                "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Map<String, long[]> classes = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                classes.put(f[3], new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
            }
        }
        if (classes.isEmpty()) {
            throw new IOException("jcmd gave no histogram: " + out);
        }
        return classes;
    }
}
