package io.starconsole.agent.ota;

import io.starconsole.agent.AgentRuntime;
import io.starconsole.agent.Box;
import io.starconsole.agent.TestBoxes;
import io.starconsole.agent.TestEdge;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * Test-only entry run in a child JVM with {@code -Xmx64m} by {@link BoundedMemoryTest}: makes a
 * release of {@code args[1]} bytes (encrypted with firmware-format's ChunkedCipher, streamed),
 * serves it, has a sandbox Box install it through the loopback TestEdge, and prints the result and
 * the peak heap during the update ({@code PEAK_HEAP_BYTES=<n>}: the sum of each heap pool's peak,
 * an upper bound of the whole heap's peak; edge and server in the same JVM are counted too).
 */
public final class BoundedMemoryUpdate {

    public static void main(String[] args) throws Exception {
        Path temp = Path.of(args[0]);
        long size = Long.parseLong(args[1]);
        KeyPair signer = TestRelease.signingKey();
        long started = System.nanoTime();
        TestRelease release = TestRelease.build(temp.resolve("release"), "spnbox-sim", "2.0.0",
                new TestRelease.PatternStream("a firmware image of the SPNBox ".getBytes(StandardCharsets.US_ASCII), size), size,
                List.of("spnbox-sim"), signer);
        System.out.println("RELEASE_BUILT_MS=" + (System.nanoTime() - started) / 1_000_000 + " image.enc=" + Files.size(release.directory.resolve("image.enc")));
        try (TestEdge edge = new TestEdge(temp.resolve("edge")); AgentRuntime runtime = new AgentRuntime(2);
                TestFirmwareServer server = new TestFirmwareServer(release.directory)) {
            Box box = Box.create(TestBoxes.config(temp, edge).with(Option.OTA_TRUSTED_KEYS, TestRelease.trusted(signer))
                    .with(Option.OTA_HEALTH_DEADLINE, "60s"), runtime, TestBoxes.FAST);
            box.start();
            TestBoxes.await(() -> box.state() == BoxState.ESTABLISHED, Duration.ofSeconds(10));
            System.gc();
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            started = System.nanoTime();
            edge.queue(new UserCommand(1, UserCommandType.UPDATE_FIRMWARE, 0, "10.7.0.2",
                    release.contents("rel-big", false, server.base()).getBytes(StandardCharsets.UTF_8)));
            edge.setCommandsPendingFlag(true);
            TestBoxes.await(() -> !edge.results.isEmpty(), Duration.ofMinutes(10));
            long peak = heap.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
            CommandResult result = edge.results.get(0);
            System.out.println("UPDATE_MS=" + (System.nanoTime() - started) / 1_000_000);
            System.out.println("RESULT=" + result.success() + " " + result.message());
            System.out.println("SLOT_IMAGE_BYTES=" + Files.size(temp.resolve("box/sandbox/slots/B/image")));
            System.out.println("MAX_HEAP_BYTES=" + Runtime.getRuntime().maxMemory());
            System.out.println("PEAK_HEAP_BYTES=" + peak);
            box.stop();
        }
    }
}
