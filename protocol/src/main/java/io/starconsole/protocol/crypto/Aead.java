package io.starconsole.protocol.crypto;

import io.starconsole.protocol.codec.ProtocolException;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM from the JDK provider, the AEAD of JEDI/2 (reached through {@link JediVersion}).
 * Callers keep raw 32-byte keys; one encrypting and one decrypting {@link Cipher} per thread are
 * re-keyed for every call, so a session costs 64 bytes of key, not a Cipher object, but each
 * re-key allocates the JDK's key schedule and GCM engine: the reason for JEDI/3.
 */
public final class Aead {

    public static final int KEY_SIZE_IN_BYTES = 32;
    public static final int NONCE_SIZE_IN_BYTES = 12;
    public static final int TAG_SIZE_IN_BYTES = 16;
    private static final int TAG_SIZE_IN_BITS = TAG_SIZE_IN_BYTES * 8;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private static final ThreadLocal<Cipher> ENCRYPTER = ThreadLocal.withInitial(Aead::newCipher);
    private static final ThreadLocal<Cipher> DECRYPTER = ThreadLocal.withInitial(Aead::newCipher);

    private Aead() {
    }

    /** The Noise AESGCM nonce of a 64-bit counter: 4 zero bytes, then the counter big-endian. */
    public static byte[] nonce(long counter) {
        byte[] nonce = new byte[NONCE_SIZE_IN_BYTES];
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (56 - 8 * i));
        }
        return nonce;
    }

    /** Writes {@code inLength + TAG_SIZE_IN_BYTES} bytes at {@code out[outOffset]}; returns that count. */
    public static int seal(byte[] key, byte[] nonce, byte[] ad, int adOffset, int adLength,
            byte[] in, int inOffset, int inLength, byte[] out, int outOffset) {
        checkSizes(key, nonce);
        Cipher cipher = ENCRYPTER.get();
        try {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE_IN_BITS, nonce));
            } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
                // The JDK refuses the key and nonce of this cipher's previous encryption. Only a
                // deterministic test repeats them; give it a fresh cipher.
                cipher = newCipher();
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE_IN_BITS, nonce));
            }
            cipher.updateAAD(ad, adOffset, adLength);
            return cipher.doFinal(in, inOffset, inLength, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Writes {@code inLength - TAG_SIZE_IN_BYTES} bytes at {@code out[outOffset]}; returns that count. */
    public static int open(byte[] key, byte[] nonce, byte[] ad, int adOffset, int adLength,
            byte[] in, int inOffset, int inLength, byte[] out, int outOffset) throws ProtocolException {
        checkSizes(key, nonce);
        if (inLength < TAG_SIZE_IN_BYTES) {
            throw new ProtocolException(ProtocolException.Reason.TRUNCATED, "ciphertext shorter than tag");
        }
        Cipher cipher = DECRYPTER.get();
        try {
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE_IN_BITS, nonce));
            cipher.updateAAD(ad, adOffset, adLength);
            return cipher.doFinal(in, inOffset, inLength, out, outOffset);
        } catch (AEADBadTagException e) {
            throw new ProtocolException(ProtocolException.Reason.AUTHENTICATION_FAILED, "bad tag");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private static void checkSizes(byte[] key, byte[] nonce) {
        if (key.length != KEY_SIZE_IN_BYTES || nonce.length != NONCE_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("AEAD needs a 32-byte key and a 12-byte nonce");
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }
}
