package io.starconsole.firmware;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Ed25519 manifest signatures with the JDK's provider. A key is named by its key id, the first 16
 * hex characters of SHA-256 of the raw 32-byte public key; a manifest may carry one signature per
 * signing key (several during a key rotation) and is accepted when any trusted key verifies it.
 */
public final class Signatures {

    public static final int PUBLIC_KEY_SIZE_IN_BYTES = 32;
    public static final int SIGNATURE_SIZE_IN_BYTES = 64;
    public static final int KEY_ID_LENGTH = 16;
    public static final String ALGORITHM = "Ed25519";

    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE, AlgorithmIdentifier 1.3.101.112, BIT STRING. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** DER prefix of an Ed25519 PKCS#8 v1 private key (RFC 8410) before the 32-byte seed. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private Signatures() {
    }

    public static String keyId(byte[] rawEd25519PublicKey) {
        checkRaw(rawEd25519PublicKey);
        try {
            byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(rawEd25519PublicKey);
            return HexFormat.of().formatHex(sha256).substring(0, KEY_ID_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    public static String keyId(PublicKey publicKey) {
        return keyId(rawPublicKey(publicKey));
    }

    /** The raw 64-byte Ed25519 signature of the manifest bytes. */
    public static byte[] sign(byte[] manifest, PrivateKey ed25519) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(ed25519);
            signer.update(manifest);
            return signer.sign();
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an Ed25519 private key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    public static boolean verify(byte[] manifest, byte[] signature, PublicKey ed25519) {
        if (signature == null || signature.length != SIGNATURE_SIZE_IN_BYTES) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(ed25519);
            verifier.update(manifest);
            return verifier.verify(signature);
        } catch (InvalidKeyException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /**
     * True when a signature listed under a trusted key id verifies with that key. Signatures under
     * unknown key ids are ignored; a trusted key is used only under its own key id.
     */
    public static boolean verifyAny(byte[] manifest, Map<String, byte[]> signaturesByKeyId,
                                    Map<String, PublicKey> trustedByKeyId) {
        for (Map.Entry<String, byte[]> signature : signaturesByKeyId.entrySet()) {
            PublicKey trusted = trustedByKeyId.get(signature.getKey());
            if (trusted != null && keyId(trusted).equals(signature.getKey())
                    && verify(manifest, signature.getValue(), trusted)) {
                return true;
            }
        }
        return false;
    }

    /** Like {@link #verifyAny} but throws {@link FirmwareException.Reason#BAD_SIGNATURE}. */
    public static void requireAny(byte[] manifest, Map<String, byte[]> signaturesByKeyId,
                                  Map<String, PublicKey> trustedByKeyId) {
        if (!verifyAny(manifest, signaturesByKeyId, trustedByKeyId)) {
            throw new FirmwareException(FirmwareException.Reason.BAD_SIGNATURE, "no trusted key signed this manifest");
        }
    }

    public static PublicKey publicKeyFromRaw(byte[] raw) {
        checkRaw(raw);
        byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + PUBLIC_KEY_SIZE_IN_BYTES);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, PUBLIC_KEY_SIZE_IN_BYTES);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    public static byte[] rawPublicKey(PublicKey publicKey) {
        byte[] spki = publicKey.getEncoded();
        if (spki == null || spki.length != SPKI_PREFIX.length + PUBLIC_KEY_SIZE_IN_BYTES
                || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
    }

    /** PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo), as {@code openssl pkeyutl -pubin} reads it. */
    public static String publicKeyPem(PublicKey publicKey) {
        rawPublicKey(publicKey);
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(publicKey.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    public static PublicKey publicKeyFromPem(String pem) {
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
            rawPublicKey(key);
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key PEM", e);
        }
    }

    /** An Ed25519 private key from its PKCS#8 DER encoding (what {@code signing-keys} holds, base64-decoded). */
    public static PrivateKey privateKeyFromPkcs8(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 PKCS#8 private key", e);
        }
    }

    /** An Ed25519 private key from its raw 32-byte seed (RFC 8032). */
    public static PrivateKey privateKeyFromSeed(byte[] seed) {
        checkRaw(seed);
        byte[] pkcs8 = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + PUBLIC_KEY_SIZE_IN_BYTES);
        System.arraycopy(seed, 0, pkcs8, PKCS8_PREFIX.length, PUBLIC_KEY_SIZE_IN_BYTES);
        return privateKeyFromPkcs8(pkcs8);
    }

    public static KeyPair generateKeyPair() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        }
    }

    /**
     * The public key of an Ed25519 private key. The JDK has no direct call for it; its key pair
     * generator draws the 32-byte seed from the given random source and derives the public key,
     * so it is fed the private key's own seed.
     */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        if (!(privateKey instanceof EdECPrivateKey edec) || edec.getBytes().isEmpty()) {
            throw new IllegalArgumentException("not an Ed25519 private key");
        }
        byte[] seed = edec.getBytes().get();
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            KeyPair pair = generator.generateKeyPair();
            if (!Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), seed)) {
                throw new IllegalStateException("the key pair generator did not use the given seed");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static void checkRaw(byte[] raw) {
        if (raw == null || raw.length != PUBLIC_KEY_SIZE_IN_BYTES) {
            throw new IllegalArgumentException("an Ed25519 key is " + PUBLIC_KEY_SIZE_IN_BYTES + " bytes");
        }
    }

    /** A "random" source that yields one given seed: only for {@link #publicKeyOf}. */
    private static final class FixedSeed extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
