package io.starconsole.edge.jedi;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.edge.session.SessionTable;
import io.starconsole.edge.transport.EdgeLoop;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.Initiator;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random and mutated datagrams at the real UDP port: none may crash the edge, reach the registry or
 * change any session; an established box keeps working throughout. The count is
 * {@code edge.fuzz.count} (50,000 by default, 1,000,000 with {@code -Plong-fuzz}).
 */
@QuarkusTest
@QuarkusTestResource(FunctionsStandIn.class)
class EdgeFuzzTest {

    private static final int BURST = 500;
    private static final String OK_NEWIP = """
            {"outcome":"OK_NEWIP","boxId":1,"spnIp":"10.99.0.8","mask":"16","commandsPending":false}""";

    @Inject
    EdgeLoop loop;

    @Inject
    KeyPair edgeKeys;

    @Inject
    SessionTable sessions;

    @Inject
    MeterRegistry registry;

    @Test
    void randomAndMutatedDatagrams_areAllRefused_andChangeNothing() throws Exception {
        FunctionsStandIn.reset();
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        int count = Integer.getInteger("edge.fuzz.count", 50_000);
        Random random = new Random(20261125L);
        try (TestBox box = new TestBox(edgeKeys.publicKey(), loop.localPort());
             DatagramSocket fuzzer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            box.hello("g");
            int sessionsBefore = sessions.size();
            int registrationsBefore = FunctionsStandIn.calls("register").size();
            // Seeds for mutation: a genuine initiation (of another key) and a genuine sealed PING.
            KeyPair seedKeys = KeyPair.generate(new SecureRandom());
            byte[] initiation = new Initiator(seedKeys, edgeKeys.publicKey())
                    .initiate(new Hello(TestBox.info("g"))).datagram();
            byte[] ping = box.session.seal(new Ping(1));
            List<byte[]> seeds = List.of(initiation, ping);

            double received = received();
            long cpuBefore = processCpuNanos();
            for (int i = 0; i < count; i++) {
                byte[] datagram = i % 3 == 0 ? randomBytes(random) : mutate(seeds.get(i % 2), random);
                fuzzer.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(),
                        loop.localPort()));
                if (i % BURST == BURST - 1) {
                    awaitReceived(received + i + 1 - BURST); // keep the socket buffer from overflowing
                }
            }
            awaitReceived(received + count - BURST);
            long cpuNanos = processCpuNanos() - cpuBefore;
            System.out.printf("edge fuzz: %d datagrams, %.1f µs of process CPU each (edge and sender together)%n",
                    count, cpuNanos / 1000.0 / count);

            // The genuine seed initiation may register once: a flipped bit in its mac2, which is only
            // checked under load, leaves it genuine. Nothing else may reach the registry.
            String seedKey = seedKeys.publicKey().toBase64();
            List<FunctionsStandIn.Call> registrations = FunctionsStandIn.calls("register");
            assertThat(registrations.subList(registrationsBefore, registrations.size()))
                    .as("junk never reaches the registry")
                    .allSatisfy(call -> assertThat(call.body().get("publicKey").asText()).isEqualTo(seedKey))
                    .hasSizeLessThanOrEqualTo(1);
            assertThat(sessions.size()).as("no session lost; at most the seed's").isBetween(sessionsBefore,
                    sessionsBefore + 1);
            assertThat(box.request(new Ping(2))).as("the genuine box still works").isInstanceOf(Pong.class);
            assertThat(box.silentFor(300)).as("junk was never answered (nothing queued for the box)").isTrue();
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(1300)];
        random.nextBytes(bytes);
        if (bytes.length > 1 && random.nextBoolean()) {
            bytes[0] = (byte) (2 + random.nextInt(2)); // get past the version check (JEDI/2 or /3) now and then
            bytes[1] = (byte) (1 + random.nextInt(4));
        }
        return bytes;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] copy = Arrays.copyOf(seed, seed.length);
        switch (random.nextInt(4)) {
            case 0 -> copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> copy = Arrays.copyOf(copy, random.nextInt(copy.length));
            case 2 -> copy = Arrays.copyOf(copy, copy.length + 1 + random.nextInt(64));
            default -> {
                for (int j = 0; j < 1 + random.nextInt(8); j++) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
            }
        }
        return copy;
    }

    private double received() {
        return registry.counter("edge.datagrams.received").count();
    }

    private void awaitReceived(double atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (received() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
