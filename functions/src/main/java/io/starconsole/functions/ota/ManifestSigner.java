package io.starconsole.functions.ota;

import io.starconsole.firmware.Signatures;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs manifests with every configured Ed25519 key (several during a key rotation; the first is
 * current). The private keys never leave this object: no getter, no {@code toString} with them.
 */
public final class ManifestSigner {

    /** A signing key's public half, as agents trust it. */
    public record PublicKeyInfo(String keyId, PublicKey publicKey, boolean current) {
    }

    private static final int SEED_SIZE_IN_BYTES = 32;

    private final List<PrivateKey> privateKeys;
    private final List<PublicKeyInfo> publicKeys;

    private ManifestSigner(List<PrivateKey> privateKeys, List<PublicKeyInfo> publicKeys) {
        this.privateKeys = List.copyOf(privateKeys);
        this.publicKeys = List.copyOf(publicKeys);
    }

    /** From base64 PKCS#8 Ed25519 private keys, the current one first; an error names the position only. */
    public static ManifestSigner fromPkcs8Base64(List<String> encodedKeys) {
        if (encodedKeys.isEmpty()) {
            throw new IllegalArgumentException("no signing key");
        }
        List<PrivateKey> privates = new ArrayList<>();
        List<PublicKeyInfo> publics = new ArrayList<>();
        for (int i = 0; i < encodedKeys.size(); i++) {
            PrivateKey key = privateKey(encodedKeys.get(i).trim(), i);
            PublicKey publicKey = Signatures.publicKeyFromRaw(rawPublicKey(key, i));
            String keyId = Signatures.keyId(Signatures.rawPublicKey(publicKey));
            if (publics.stream().anyMatch(p -> p.keyId().equals(keyId))) {
                throw new IllegalArgumentException("signing key " + (i + 1) + " is given twice");
            }
            privates.add(key);
            publics.add(new PublicKeyInfo(keyId, publicKey, i == 0));
        }
        return new ManifestSigner(privates, publics);
    }

    private static PrivateKey privateKey(String base64, int index) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("signing key " + (index + 1) + " is not a base64 PKCS#8 Ed25519 private key");
        }
    }

    /** The JDK derives no public key from a private one; Bouncy Castle does (RFC 8032). */
    private static byte[] rawPublicKey(PrivateKey key, int index) {
        byte[] seed = ((EdECPrivateKey) key).getBytes()
                .orElseThrow(() -> new IllegalArgumentException("signing key " + (index + 1) + " has no seed"));
        try {
            if (seed.length != SEED_SIZE_IN_BYTES) {
                throw new IllegalArgumentException("signing key " + (index + 1) + " is not an Ed25519 key");
            }
            return new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    public List<PublicKeyInfo> publicKeys() {
        return publicKeys;
    }

    /** One raw 64-byte signature per key, by key id, in the keys' order. */
    public Map<String, byte[]> sign(byte[] manifest) {
        Map<String, byte[]> signatures = new LinkedHashMap<>();
        for (int i = 0; i < privateKeys.size(); i++) {
            signatures.put(publicKeys.get(i).keyId(), Signatures.sign(manifest, privateKeys.get(i)));
        }
        return signatures;
    }

    @Override
    public String toString() {
        return "ManifestSigner" + publicKeys.stream().map(PublicKeyInfo::keyId).toList();
    }
}
