package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.Packet;
import io.starconsole.protocol.crypto.Hashing;
import io.starconsole.protocol.crypto.Key;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * mac1 and mac2 of handshake messages (WireGuard's scheme with HMAC-SHA256 truncated to 16 bytes):
 * mac1 = HMAC(SHA256("mac1----" || receiver static), msg before mac1); mac2 = HMAC(cookie, msg before mac2),
 * or zeros without a cookie.
 */
final class Macs {

    static final int SIZE = Packet.MAC_SIZE_IN_BYTES;
    private static final byte[] MAC1_LABEL = "mac1----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COOKIE_LABEL = "cookie--".getBytes(StandardCharsets.US_ASCII);

    private Macs() {
    }

    static byte[] mac1Key(Key receiverStatic) {
        return Hashing.sha256(MAC1_LABEL, receiverStatic.getBytes());
    }

    static byte[] cookieKey(Key responderStatic) {
        return Hashing.sha256(COOKIE_LABEL, responderStatic.getBytes());
    }

    /** Writes mac1 and mac2 into the last 32 bytes of {@code message}; {@code cookie} may be null. */
    static void stamp(byte[] message, byte[] mac1Key, byte[] cookie) {
        int mac1At = message.length - 2 * SIZE;
        System.arraycopy(Hashing.hmac(mac1Key, message, 0, mac1At), 0, message, mac1At, SIZE);
        int mac2At = message.length - SIZE;
        if (cookie == null) {
            Arrays.fill(message, mac2At, message.length, (byte) 0);
        } else {
            System.arraycopy(Hashing.hmac(cookie, message, 0, mac2At), 0, message, mac2At, SIZE);
        }
    }

    static boolean mac1Valid(byte[] message, byte[] mac1Key) {
        int mac1At = message.length - 2 * SIZE;
        byte[] expected = Arrays.copyOf(Hashing.hmac(mac1Key, message, 0, mac1At), SIZE);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(message, mac1At, mac1At + SIZE));
    }

    static boolean mac2Valid(byte[] message, byte[] cookie) {
        int mac2At = message.length - SIZE;
        byte[] expected = Arrays.copyOf(Hashing.hmac(cookie, message, 0, mac2At), SIZE);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(message, mac2At, message.length));
    }

    static byte[] mac1Of(byte[] message) {
        int mac1At = message.length - 2 * SIZE;
        return Arrays.copyOfRange(message, mac1At, mac1At + SIZE);
    }
}
