package io.starconsole.protocol.handshake;

import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.Hashing;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import java.util.Arrays;

/** The Noise SymmetricState (ck, h, k, n) of Noise_IK_25519_{AESGCM|ChaChaPoly}_SHA256, by version. */
final class SymmetricState {

    private static final byte[] EMPTY = new byte[0];

    final JediVersion version;
    byte[] chainingKey;
    byte[] hash;
    private byte[] key;
    private long nonce;

    private SymmetricState(JediVersion version, byte[] chainingKey, byte[] hash, byte[] key, long nonce) {
        this.version = version;
        this.chainingKey = chainingKey;
        this.hash = hash;
        this.key = key;
        this.nonce = nonce;
    }

    /** InitializeSymmetric(name), MixHash(prologue), then the IK pre-message: MixHash(responder static). */
    static SymmetricState initialize(JediVersion version, Key responderStatic) {
        byte[] name = version.protocolName(); // h = name as it is (JediVersion#protocolName)
        SymmetricState state = new SymmetricState(version, name.clone(), name, null, 0);
        state.mixHash(version.prologue());
        state.mixHash(responderStatic.getBytes());
        return state;
    }

    SymmetricState copy() {
        return new SymmetricState(version, chainingKey.clone(), hash.clone(), key == null ? null : key.clone(), nonce);
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
        byte[] ciphertext = version.seal(key, version.nonce(nonce++), hash, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    byte[] decryptAndHash(byte[] ciphertext) throws ProtocolException {
        byte[] plaintext = version.open(key, version.nonce(nonce++), hash, ciphertext);
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
