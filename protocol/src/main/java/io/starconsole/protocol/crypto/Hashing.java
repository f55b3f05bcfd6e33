package io.starconsole.protocol.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256, HMAC-SHA256 and the Noise HKDF, on per-thread JDK instances. */
public final class Hashing {

    public static final int HASH_SIZE_IN_BYTES = 32;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private Hashing() {
    }

    /** SHA-256 of the concatenation of {@code parts}. */
    public static byte[] sha256(byte[]... parts) {
        MessageDigest digest = SHA256.get();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    /** HMAC-SHA256(key, concatenation of {@code parts}). */
    public static byte[] hmac(byte[] key, byte[]... parts) {
        Mac mac = keyedMac(key);
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /** HMAC-SHA256(key, data[offset, offset+length)). */
    public static byte[] hmac(byte[] key, byte[] data, int offset, int length) {
        Mac mac = keyedMac(key);
        mac.update(data, offset, length);
        return mac.doFinal();
    }

    private static Mac keyedMac(byte[] key) {
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC key rejected", e);
        }
        return mac;
    }

    /**
     * The Noise HKDF with two outputs: temp = HMAC(chainingKey, ikm); out1 = HMAC(temp, 0x01);
     * out2 = HMAC(temp, out1 || 0x02).
     */
    public static byte[][] hkdf2(byte[] chainingKey, byte[] inputKeyMaterial) {
        byte[] temp = hmac(chainingKey, inputKeyMaterial);
        byte[] out1 = hmac(temp, new byte[] {1});
        byte[] out2 = hmac(temp, out1, new byte[] {2});
        java.util.Arrays.fill(temp, (byte) 0);
        return new byte[][] {out1, out2};
    }
}
