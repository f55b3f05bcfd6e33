package io.starconsole.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.AnsUserCmd;
import io.starconsole.protocol.message.MessageCodec;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import io.starconsole.protocol.session.Session;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated datagrams against every entry point that takes bytes from the network. Each
 * must end in a ProtocolException (any other exception fails the test) and never be accepted. The
 * count is the system property {@code jedi.fuzz.count} (50,000 by default, 1,000,000 with
 * {@code -Plong-fuzz}); the seed is fixed so a failure can be replayed.
 */
class DatagramFuzzTest {

    private static final int COUNT = Integer.getInteger("jedi.fuzz.count", 50_000);
    private static final long SEED = 0x4A454449_32L;
    private static final InetSocketAddress SOURCE = new InetSocketAddress(HandshakeTest.address(192, 0, 2, 9), 4000);

    private final SplittableRandom random = new SplittableRandom(SEED);
    private final SecureRandom secureRandom = new SecureRandom();
    private final KeyPair edgeKeys = KeyPair.generate(secureRandom);
    private final KeyPair boxKeys = KeyPair.generate(secureRandom);
    private Responder responder;
    private Initiator initiator;
    private byte[] initiation;
    private InitiationAttempt pendingAttempt;
    private byte[] response;
    private Session boxSession;
    private Session edgeSession;
    private byte[][] transport;
    private long rejected;

    @BeforeEach
    void setUp() throws ProtocolException {
        responder = new Responder(edgeKeys, () -> false, new SourceRateLimiter(1e12, Integer.MAX_VALUE, 10, System::nanoTime),
                secureRandom, System::nanoTime);
        initiator = new Initiator(boxKeys, edgeKeys.publicKey(), Clock.systemUTC(), System::nanoTime, secureRandom);
        InitiationAttempt attempt = initiator.initiate(HandshakeTest.hello());
        HandshakeResponse answered = ((PendingHandshake) responder.consumeInitiation(attempt.datagram(), SOURCE))
                .respond(new Ok(MessageType.HELLO));
        boxSession = attempt.consumeResponse(answered.datagram()).session();
        edgeSession = answered.session();
        initiation = initiator.initiate(HandshakeTest.hello()).datagram();
        pendingAttempt = initiator.initiate(HandshakeTest.hello());
        response = ((PendingHandshake) responder.consumeInitiation(pendingAttempt.datagram(), SOURCE))
                .respond(new Ok(MessageType.HELLO)).datagram();
        UserCommand command = new UserCommand(9, UserCommandType.REBOOT_SPNBOX, 1, "10.1.2.3", "now".getBytes());
        transport = new byte[][] {boxSession.seal(new Ping(3)), edgeSession.seal(AnsUserCmd.of(command, false))};
    }

    @Test
    void fuzz_randomAndMutatedDatagrams_allEndInProtocolException() {
        for (int i = 0; i < COUNT; i++) {
            switch (i % 10) {
                case 0, 1, 2 -> expectRejected(mutated(transport[0]), edgeSession::open);
                case 3 -> expectRejected(mutated(transport[1]), boxSession::open);
                case 4, 5 -> expectRejected(mutatedInitiation(), d -> responder.consumeInitiation(d, SOURCE));
                case 6 -> expectRejected(mutatedResponse(), pendingAttempt::consumeResponse);
                case 7 -> expectRejected(randomDatagram(), edgeSession::open);
                case 8 -> expectRejected(randomDatagram(), d -> responder.consumeInitiation(d, SOURCE));
                default -> expectRejected(randomDatagram(), d -> {
                    pendingAttempt.consumeCookieReply(d);
                    return "a cookie";
                });
            }
        }

        assertThat(rejected).isEqualTo(COUNT);
    }

    @Test
    void fuzz_randomMessageBodies_decodeOrFailWithProtocolExceptionOnly() {
        byte[] sample = MessageCodec.encode(HandshakeTest.hello());
        for (int i = 0; i < COUNT / 5; i++) {
            byte[] bytes = random.nextBoolean() ? mutated(sample) : randomBytes(random.nextInt(1300));
            if (bytes.length > 0) {
                bytes[0] = (byte) random.nextInt(20);
            }
            try {
                MessageCodec.decode(bytes);
            } catch (ProtocolException expected) {
                // a clean rejection; anything else propagates and fails the test
            }
        }
    }

    private interface Target {
        Object accept(byte[] datagram) throws ProtocolException;
    }

    private void expectRejected(byte[] datagram, Target target) {
        try {
            Object accepted = target.accept(datagram);
            throw new AssertionError("accepted a fuzzed datagram: " + accepted);
        } catch (ProtocolException expected) {
            rejected++;
        }
    }

    /** The initiation with 1-4 mutations before mac2 (mac2 is ignored when not under load); half re-stamped with a valid mac1 so the Noise path is fuzzed too. */
    private byte[] mutatedInitiation() {
        byte[] out = mutated(initiation, initiation.length - Macs.SIZE);
        if (out.length == initiation.length && random.nextInt(8) == 0) {
            System.arraycopy(initiation, 4, out, 4, 4); // indices are routing, not authenticated (docs/protocol.md)
            Macs.stamp(out, Macs.mac1Key(edgeKeys.publicKey()), null);
            if (Arrays.equals(out, 0, out.length - Macs.SIZE, initiation, 0, initiation.length - Macs.SIZE)) {
                out[8] ^= 1; // the restamp undid the mutation: force one in the ephemeral key
            }
        }
        return out;
    }

    private byte[] mutatedResponse() {
        byte[] out = mutated(response, response.length - Macs.SIZE);
        if (out.length == response.length && random.nextInt(4) == 0) {
            System.arraycopy(response, 4, out, 4, 4); // indices are routing, not authenticated (docs/protocol.md)
            Macs.stamp(out, Macs.mac1Key(boxKeys.publicKey()), null);
            if (Arrays.equals(out, 0, out.length - Macs.SIZE, response, 0, response.length - Macs.SIZE)) {
                out[50] ^= 1;
            }
        }
        return out;
    }

    private byte[] mutated(byte[] original) {
        return mutated(original, original.length);
    }

    /** 1-4 of: bit flip, byte overwrite, truncation, extension; only within the first {@code limit} bytes; never equal to the original. */
    private byte[] mutated(byte[] original, int limit) {
        byte[] out = original.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int position = random.nextInt(Math.min(limit, out.length) == 0 ? 1 : Math.min(limit, out.length));
            switch (random.nextInt(4)) {
                case 0 -> out[position] ^= (byte) (1 << random.nextInt(8));
                case 1 -> out[position] = (byte) random.nextInt(256);
                case 2 -> out = Arrays.copyOf(out, random.nextInt(out.length));
                default -> out = Arrays.copyOf(out, Math.min(1300, out.length + 1 + random.nextInt(64)));
            }
            if (out.length == 0) {
                break;
            }
        }
        if (Arrays.equals(out, original)) {
            out[random.nextInt(Math.min(limit, out.length))] ^= 1;
        }
        return out;
    }

    /** Random bytes, usually behind a valid version and kind so the checks past framing are reached. */
    private byte[] randomDatagram() {
        byte[] out = randomBytes(random.nextInt(1300));
        if (out.length >= 4 && random.nextInt(4) != 0) {
            out[0] = 2;
            out[1] = (byte) (1 + random.nextInt(4));
            out[2] = 0;
            out[3] = 0;
        }
        return out;
    }

    private byte[] randomBytes(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }
}
