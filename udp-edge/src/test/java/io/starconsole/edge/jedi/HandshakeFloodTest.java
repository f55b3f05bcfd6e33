package io.starconsole.edge.jedi;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.starconsole.edge.transport.EdgeLoop;
import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.InitiationAttempt;
import io.starconsole.protocol.handshake.Initiator;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.OkNewIp;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of handshakes: past the under-load threshold the edge answers with cookies instead of
 * doing X25519, a box that echoes its cookie still gets in, and one source is rate-limited.
 */
@QuarkusTest
@QuarkusTestResource(FunctionsStandIn.class)
@TestProfile(HandshakeFloodTest.SmallLimits.class)
class HandshakeFloodTest {

    /** Limits small enough to reach in a test: 10 handshakes/s edge-wide, 10/s (burst 20) per source. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("star-console.edge.handshakes.under-load-per-second", "10",
                    "star-console.edge.handshakes.per-source-per-second", "10");
        }
    }

    @Inject
    EdgeLoop loop;

    @Inject
    KeyPair edgeKeys;

    @Inject
    MeterRegistry registry;

    @Test
    void flood_makesTheEdgeDemandCookies_rateLimitsTheSource_andAnHonestBoxStillGetsIn() throws Exception {
        FunctionsStandIn.reset();
        FunctionsStandIn.ANSWERS.put("register",
                "{\"outcome\":\"OK_NEWIP\",\"boxId\":3,\"spnIp\":\"10.99.0.3\",\"mask\":\"16\"}");
        try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            flooder.setSoTimeout(50);
            // Many boxes at once (prepared first, then sent back to back): past 10 a second, cookies.
            List<byte[]> initiations = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                initiations.add(new Initiator(KeyPair.generate(new SecureRandom()), edgeKeys.publicKey())
                        .initiate(new Hello(TestBox.info("g"))).datagram());
            }
            for (byte[] initiation : initiations) {
                send(flooder, initiation);
            }
            int cookieReplies = 0;
            byte[] answer;
            flooder.setSoTimeout(3000); // the first answers wait for X25519 and the registry
            while ((answer = receive(flooder)) != null) {
                flooder.setSoTimeout(300);
                if (Packet.kindOf(answer) == PacketKind.COOKIE_REPLY) {
                    cookieReplies++;
                }
            }
            assertThat(cookieReplies).as("under load the edge answers with cookies").isPositive();

            // A flooder that echoes its cookie gets past mac2; then its one address is rate-limited.
            // One initiator keeps the cookie it was given and fires initiations back to back.
            Initiator persistent = new Initiator(KeyPair.generate(new SecureRandom()), edgeKeys.publicKey());
            // Its handshakes cost X25519 (and count as load) until the edge demands a cookie.
            flooder.setSoTimeout(50);
            boolean cookie = false;
            for (int i = 0; i < 40 && !cookie; i++) {
                InitiationAttempt attempt = persistent.initiate(new Hello(TestBox.info("g")));
                send(flooder, attempt.datagram());
                cookie = drainInto(flooder, attempt);
            }
            for (int i = 0; i < 100; i++) {
                send(flooder, persistent.initiate(new Hello(TestBox.info("g"))).datagram());
            }
            double limited = 0;
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (limited == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                limited = registry.counter("edge.datagrams.dropped", "reason", "rate_limited").count();
            }
            assertThat(limited).as("one source is rate-limited").isPositive();
        }

        // An honest box. Every socket here is 127.0.0.1, so it shares the flooder's rate bucket: give
        // the bucket a moment to refill (a real box has its own address). It echoes a cookie if asked.
        Thread.sleep(1500);
        try (DatagramSocket honest = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            honest.setSoTimeout(3000);
            Initiator initiator = new Initiator(KeyPair.generate(new SecureRandom()), edgeKeys.publicKey());
            InitiationAttempt attempt = initiator.initiate(new Hello(TestBox.info("g")));
            send(honest, attempt.datagram());
            byte[] answer = receive(honest);
            if (Packet.kindOf(answer) == PacketKind.COOKIE_REPLY) {
                attempt.consumeCookieReply(answer);
                attempt = initiator.initiate(new Hello(TestBox.info("g")));
                send(honest, attempt.datagram());
                answer = receive(honest);
            }
            assertThat(Packet.kindOf(answer)).isEqualTo(PacketKind.HANDSHAKE_RESPONSE);
            assertThat(attempt.consumeResponse(answer).answer()).isInstanceOf(OkNewIp.class);
        }
    }

    @Test
    void cookieReplies_doNotCountAsLoad_soCookieModeEndsWhenOnlyCookiesAreAnswered() throws Exception {
        FunctionsStandIn.reset();
        FunctionsStandIn.ANSWERS.put("register",
                "{\"outcome\":\"OK_NEWIP\",\"boxId\":3,\"spnIp\":\"10.99.0.3\",\"mask\":\"16\"}");
        Thread.sleep(2100); // the seconds counted by another test are forgotten
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            // 25 handshakes at once (limit 10/s; prepared first, then sent back to back): cookie mode.
            List<byte[]> burst = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                burst.add(freshInitiation());
            }
            for (byte[] initiation : burst) {
                send(socket, initiation);
            }
            socket.setSoTimeout(3000);
            int cookies = 0;
            byte[] answer;
            while ((answer = receive(socket)) != null) {
                socket.setSoTimeout(300);
                cookies += Packet.kindOf(answer) == PacketKind.COOKIE_REPLY ? 1 : 0;
            }
            assertThat(cookies).as("past 10 handshakes a second, cookies").isPositive();
            // Then 3.5 s of initiations without mac2 at 20/s, twice the limit. Those answered by a
            // cookie reply cost a MAC and must not count: cookie mode ends within two seconds and
            // handshakes are answered again until the answered ones pass the limit once more. (Were
            // cookie replies counted, 20 a second would hold the edge in cookie mode throughout.)
            socket.setSoTimeout(1);
            int responses = 0;
            for (int i = 0; i < 70; i++) {
                send(socket, freshInitiation());
                Thread.sleep(50);
                while ((answer = receive(socket)) != null) {
                    responses += Packet.kindOf(answer) == PacketKind.HANDSHAKE_RESPONSE ? 1 : 0;
                }
            }
            socket.setSoTimeout(500);
            while ((answer = receive(socket)) != null) {
                responses += Packet.kindOf(answer) == PacketKind.HANDSHAKE_RESPONSE ? 1 : 0;
            }
            assertThat(responses).as("handshakes answered once only cookies had been sent for a while").isPositive();
        }
    }

    private byte[] freshInitiation() throws java.io.IOException {
        return new Initiator(KeyPair.generate(new SecureRandom()), edgeKeys.publicKey())
                .initiate(new Hello(TestBox.info("g"))).datagram();
    }

    /** Reads what the edge sent back, keeping a cookie reply that answers {@code attempt}; whether one did. */
    private static boolean drainInto(DatagramSocket socket, InitiationAttempt attempt) throws Exception {
        boolean kept = false;
        byte[] answer;
        while ((answer = receive(socket)) != null) {
            if (Packet.kindOf(answer) == PacketKind.COOKIE_REPLY) {
                kept |= echoesCookie(attempt, answer);
            }
        }
        return kept;
    }

    /** False when the reply answered an earlier attempt (replies arrive late in a flood). */
    private static boolean echoesCookie(InitiationAttempt attempt, byte[] reply) {
        try {
            attempt.consumeCookieReply(reply);
            return true;
        } catch (ProtocolException staleReply) {
            return false;
        }
    }

    private void send(DatagramSocket socket, byte[] datagram) throws Exception {
        socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), loop.localPort()));
    }

    private static byte[] receive(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(packet);
            return Arrays.copyOf(buffer, packet.getLength());
        } catch (SocketTimeoutException none) {
            return null;
        }
    }

}
