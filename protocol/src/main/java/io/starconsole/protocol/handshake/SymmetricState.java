package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.Aead;
import io.starconsole.protocol.crypto.Hashing;
import io.starconsole.protocol.crypto.Key;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The Noise SymmetricState (ck, h, k, n) for Noise_IK_25519_AESGCM_SHA256. */
final class SymmetricState {

    static final String PROTOCOL_NAME = "Noise_IK_25519_AESGCM_SHA256";
    static final byte[] PROLOGUE = "JEDI/2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = new byte[0];

    byte[] chainingKey;
    byte[] hash;
    private byte[] key;
    private long nonce;

    private SymmetricState(byte[] chainingKey, byte[] hash, byte[] key, long nonce) {
        this.chainingKey = chainingKey;
        this.hash = hash;
        this.key = key;
        this.nonce = nonce;
    }

    /** InitializeSymmetric(name), MixHash(prologue), then the IK pre-message: MixHash(responder static). */
    static SymmetricState initialize(Key responderStatic) {
        byte[] name = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII); // exactly 32 bytes: h = name
        SymmetricState state = new SymmetricState(name.clone(), name, null, 0);
        state.mixHash(PROLOGUE);
        state.mixHash(responderStatic.getBytes());
        return state;
    }

    SymmetricState copy() {
        return new SymmetricState(chainingKey.clone(), hash.clone(), key == null ? null : key.clone(), nonce);
    }

    void mixHash(byte[] data) {
        hash = Hashing.sha256(hash, data);
    }

    /** MixKey: ck, k = HKDF(ck, ikm); n = 0. Zeroes {@code inputKeyMaterial}. */
    void mixKey(byte[] inputKeyMaterial) {
        byte[][] out = Hashing.hkdf2(chainingKey, inputKeyMaterial);
        Arrays.fill(inputKeyMaterial, (byte) 0);
        Arrays.fill(chainingKey, (byte) 0);
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
        chainingKey = out[0];
        key = out[1];
        nonce = 0;
    }

    byte[] encryptAndHash(byte[] plaintext) {
        byte[] ciphertext = Aead.seal(key, Aead.nonce(nonce++), hash, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws ProtocolException {
        byte[] plaintext = Aead.open(key, Aead.nonce(nonce++), hash, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    /** Split: (initiator-to-responder key, responder-to-initiator key). */
    byte[][] split() {
        return Hashing.hkdf2(chainingKey, EMPTY);
    }

    void destroy() {
        Arrays.fill(chainingKey, (byte) 0);
        Arrays.fill(hash, (byte) 0);
        if (key != null) {
            Arrays.fill(key, (byte) 0);
        }
    }
}
