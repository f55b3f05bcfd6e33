package io.starconsole.functions.ota;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Release keys at rest: AES-256-GCM under the key-encryption key, a random 12-byte nonce each, the
 * release's model and version as associated data (a sealed key cannot be moved to another release).
 */
public final class ReleaseKeySeal {

    public static final int KEY_SIZE_IN_BYTES = 32;
    public static final int NONCE_SIZE_IN_BYTES = 12;
    private static final int TAG_SIZE_IN_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sealed release key. */
    public record Sealed(byte[] ciphertext, byte[] nonce) {
    }

    private final SecretKeySpec keyEncryptionKey;

    public ReleaseKeySeal(byte[] keyEncryptionKey) {
        if (keyEncryptionKey == null || keyEncryptionKey.length != KEY_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("the key-encryption key must be " + KEY_SIZE_IN_BYTES + " bytes");
        }
        this.keyEncryptionKey = new SecretKeySpec(keyEncryptionKey, "AES");
    }

    public Sealed seal(byte[] releaseKey, String model, String version) {
        if (releaseKey == null || releaseKey.length != KEY_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("a release key is " + KEY_SIZE_IN_BYTES + " bytes");
        }
        byte[] nonce = new byte[NONCE_SIZE_IN_BYTES];
        RANDOM.nextBytes(nonce);
        return new Sealed(run(Cipher.ENCRYPT_MODE, releaseKey, nonce, model, version), nonce);
    }

    public byte[] open(Sealed sealed, String model, String version) {
        return run(Cipher.DECRYPT_MODE, sealed.ciphertext(), sealed.nonce(), model, version);
    }

    private byte[] run(int mode, byte[] input, byte[] nonce, String model, String version) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, keyEncryptionKey, new GCMParameterSpec(TAG_SIZE_IN_BITS, nonce));
            cipher.updateAAD(("star-console release key " + model + "/" + version).getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a release key could not be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened"));
        }
    }
}
