package io.starconsole.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.starconsole.protocol.codec.ProtocolException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Encoding then decoding gives every message back, and every proper prefix of an encoding is refused
 * as truncated. Each test checks {@link RandomMessages#boundaryMessages()} (every type with its fields
 * at their bounds), then random messages from a fixed seed; a failure names the seed and the case.
 */
class MessageRoundTripTest {

    private static final int RANDOM_ROUND_TRIPS = 2000;
    /** Fewer than round trips: each message is decoded once per prefix, up to 1,168 times. */
    private static final int RANDOM_TRUNCATIONS = 500;

    @Test
    void encodeThenDecode_anyMessage_isEqual() {
        forEachMessage(0x524F554E44L, RANDOM_ROUND_TRIPS, message -> {
            byte[] encoded = MessageCodec.encode(message);

            assertEquals(message, MessageCodec.decode(encoded), "decoded");
            assertTrue(encoded.length <= MessageCodec.MAX_MESSAGE_SIZE_IN_BYTES, () -> encoded.length + " bytes");
            assertEquals(message.type().code(), encoded[0] & 0xFF, "type byte");
        });
    }

    @Test
    void decode_anyTruncation_isRejectedAsTruncated() {
        forEachMessage(0x5452554E43L, RANDOM_TRUNCATIONS, message -> {
            byte[] encoded = MessageCodec.encode(message);
            for (int length = 0; length < encoded.length; length++) {
                byte[] prefix = Arrays.copyOf(encoded, length);

                ProtocolException refused = assertThrows(ProtocolException.class, () -> MessageCodec.decode(prefix),
                        "the first " + length + " bytes decoded");
                assertEquals(ProtocolException.Reason.TRUNCATED, refused.reason(), "reason for the first " + length + " bytes");
            }
        });
    }

    private interface MessageCheck {
        void check(Message message) throws ProtocolException;
    }

    /** Runs {@code check} on the boundary messages, then on {@code randomCount} random ones from {@code seed}. */
    private static void forEachMessage(long seed, int randomCount, MessageCheck check) {
        List<Message> boundaries = RandomMessages.boundaryMessages();
        RandomMessages random = new RandomMessages(new SplittableRandom(seed));
        for (int i = 0; i < boundaries.size() + randomCount; i++) {
            Message message = i < boundaries.size() ? boundaries.get(i) : random.next();
            try {
                check.check(message);
            } catch (AssertionError | Exception e) {
                String which = i < boundaries.size()
                        ? "RandomMessages.boundaryMessages().get(" + i + ")"
                        : "random message " + (i - boundaries.size() + 1) + " from new RandomMessages(new SplittableRandom(0x"
                                + Long.toHexString(seed) + "L))";
                throw new AssertionError(which + ": " + message + ", encoded " + hex(message) + ": " + e.getMessage(), e);
            }
        }
    }

    // toString() hides credentials (enrolment token, command contents): the bytes show the whole message.
    private static String hex(Message message) {
        try {
            return HexFormat.of().formatHex(MessageCodec.encode(message));
        } catch (RuntimeException e) {
            return "(not encodable: " + e + ")";
        }
    }
}
