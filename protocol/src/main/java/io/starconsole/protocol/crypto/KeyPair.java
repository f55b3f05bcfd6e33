package io.starconsole.protocol.crypto;

import java.security.SecureRandom;
import java.util.Objects;

/** An X25519 key pair: a box's WireGuard key, the edge's static key, or an ephemeral key. */
public final class KeyPair {

    private final Key privateKey;
    private final Key publicKey;

    private KeyPair(Key privateKey, Key publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    public static KeyPair generate(SecureRandom random) {
        byte[] scalar = new byte[Key.SIZE_IN_BYTES];
        random.nextBytes(scalar);
        clamp(scalar);
        Key privateKey = Key.copyOf(scalar);
        java.util.Arrays.fill(scalar, (byte) 0);
        return fromPrivateKey(privateKey);
    }

    /** The pair of an existing private key (e.g. {@code wg genkey} output); the key is not copied. */
    public static KeyPair fromPrivateKey(Key privateKey) {
        Objects.requireNonNull(privateKey, "privateKey");
        return new KeyPair(privateKey, X25519.publicKey(privateKey));
    }

    public Key privateKey() {
        return privateKey;
    }

    public Key publicKey() {
        return publicKey;
    }

    /** Zeroes the private key. */
    public void destroy() {
        privateKey.destroy();
    }

    /** RFC 7748 clamping, as {@code wg genkey} does. */
    static void clamp(byte[] scalar) {
        scalar[0] &= (byte) 248;
        scalar[31] &= 127;
        scalar[31] |= 64;
    }

    @Override
    public String toString() {
        return "KeyPair[public=" + publicKey.toBase64() + "]";
    }
}
