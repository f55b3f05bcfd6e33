package io.starconsole.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    private static final HexFormat HEX = HexFormat.of();
    // RFC 8032, section 7.1, TEST 1 (empty message).
    private static final byte[] RFC_SEED = HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static final byte[] RFC_PUBLIC = HEX.parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final byte[] RFC_SIGNATURE = HEX.parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

    private static final byte[] MANIFEST = ManifestTest.sample().toCanonicalJson();

    @Test
    void keyId_isFirst16HexOfSha256OfTheRawKey() throws Exception {
        String expected = HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(RFC_PUBLIC)).substring(0, 16);

        assertThat(Signatures.keyId(RFC_PUBLIC)).isEqualTo("21fe31dfa154a261").isEqualTo(expected);
        assertThat(Signatures.keyId(Signatures.publicKeyFromRaw(RFC_PUBLIC))).isEqualTo("21fe31dfa154a261");
        assertThatThrownBy(() -> Signatures.keyId(new byte[31])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sign_rfc8032Vector_matchesKnownAnswer() {
        PrivateKey key = Signatures.privateKeyFromSeed(RFC_SEED);

        assertThat(Signatures.sign(new byte[0], key)).isEqualTo(RFC_SIGNATURE);
        assertThat(Signatures.rawPublicKey(Signatures.publicKeyOf(key))).isEqualTo(RFC_PUBLIC);
        assertThat(Signatures.verify(new byte[0], RFC_SIGNATURE, Signatures.publicKeyFromRaw(RFC_PUBLIC))).isTrue();
    }

    @Test
    void publicKeyOf_generatedPairs_matchTheGeneratedPublicKey() {
        for (int i = 0; i < 5; i++) {
            KeyPair pair = Signatures.generateKeyPair();
            PrivateKey reloaded = Signatures.privateKeyFromPkcs8(pair.getPrivate().getEncoded());

            assertThat(Signatures.publicKeyOf(reloaded).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        }
    }

    @Test
    void verifyAny_signatureByOneOfSeveralTrustedKeys_verifies() {
        KeyPair a = Signatures.generateKeyPair();
        KeyPair b = Signatures.generateKeyPair();
        KeyPair c = Signatures.generateKeyPair();
        Map<String, PublicKey> trusted = trusted(a, b, c);
        Map<String, byte[]> byB = Map.of(Signatures.keyId(b.getPublic()), Signatures.sign(MANIFEST, b.getPrivate()));

        assertThat(Signatures.verifyAny(MANIFEST, byB, trusted)).isTrue();
        assertThat(Signatures.verifyAny(MANIFEST, byB, trusted(b))).isTrue();
    }

    @Test
    void verifyAny_rotation_oldAndNewSignatures_eitherTrustedKeyVerifies() {
        KeyPair old = Signatures.generateKeyPair();
        KeyPair next = Signatures.generateKeyPair();
        Map<String, byte[]> both = new LinkedHashMap<>();
        both.put(Signatures.keyId(next.getPublic()), Signatures.sign(MANIFEST, next.getPrivate()));
        both.put(Signatures.keyId(old.getPublic()), Signatures.sign(MANIFEST, old.getPrivate()));

        assertThat(Signatures.verifyAny(MANIFEST, both, trusted(old))).isTrue();
        assertThat(Signatures.verifyAny(MANIFEST, both, trusted(next))).isTrue();
    }

    @Test
    void verifyAny_untrustedKey_fails() {
        KeyPair trustedPair = Signatures.generateKeyPair();
        KeyPair stranger = Signatures.generateKeyPair();
        Map<String, byte[]> byStranger = Map.of(Signatures.keyId(stranger.getPublic()),
                Signatures.sign(MANIFEST, stranger.getPrivate()));
        Map<String, byte[]> strangerUnderTrustedId = Map.of(Signatures.keyId(trustedPair.getPublic()),
                Signatures.sign(MANIFEST, stranger.getPrivate()));

        assertThat(Signatures.verifyAny(MANIFEST, byStranger, trusted(trustedPair))).isFalse();
        assertThat(Signatures.verifyAny(MANIFEST, strangerUnderTrustedId, trusted(trustedPair))).isFalse();
        assertThatThrownBy(() -> Signatures.requireAny(MANIFEST, byStranger, trusted(trustedPair)))
                .isInstanceOfSatisfying(FirmwareException.class,
                        e -> assertThat(e.reason()).isEqualTo(FirmwareException.Reason.BAD_SIGNATURE));
    }

    @Test
    void verifyAny_trustedKeyFiledUnderAnotherId_isNotUsed() {
        KeyPair a = Signatures.generateKeyPair();
        Map<String, byte[]> sig = Map.of("0000000000000000", Signatures.sign(MANIFEST, a.getPrivate()));

        assertThat(Signatures.verifyAny(MANIFEST, sig, Map.of("0000000000000000", a.getPublic()))).isFalse();
    }

    @Test
    void verifyAny_changedManifestOrSignature_fails() {
        KeyPair a = Signatures.generateKeyPair();
        byte[] signature = Signatures.sign(MANIFEST, a.getPrivate());
        String id = Signatures.keyId(a.getPublic());
        byte[] changed = new String(MANIFEST, StandardCharsets.UTF_8).replace("1.2.3", "1.2.4")
                .getBytes(StandardCharsets.UTF_8);
        byte[] badSignature = signature.clone();
        badSignature[10] ^= 1;

        assertThat(Signatures.verifyAny(changed, Map.of(id, signature), trusted(a))).isFalse();
        assertThat(Signatures.verifyAny(MANIFEST, Map.of(id, badSignature), trusted(a))).isFalse();
        assertThat(Signatures.verifyAny(MANIFEST, Map.of(id, new byte[63]), trusted(a))).isFalse();
        assertThat(Signatures.verifyAny(MANIFEST, Map.of(), trusted(a))).isFalse();
    }

    @Test
    void rawAndPem_roundTrip() {
        KeyPair a = Signatures.generateKeyPair();
        byte[] raw = Signatures.rawPublicKey(a.getPublic());
        String pem = Signatures.publicKeyPem(a.getPublic());

        assertThat(raw).hasSize(32);
        assertThat(Signatures.publicKeyFromRaw(raw).getEncoded()).isEqualTo(a.getPublic().getEncoded());
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA").endsWith("-----END PUBLIC KEY-----\n");
        assertThat(Signatures.publicKeyFromPem(pem).getEncoded()).isEqualTo(a.getPublic().getEncoded());
        assertThatThrownBy(() -> Signatures.publicKeyFromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Signatures.publicKeyFromRaw(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, PublicKey> trusted(KeyPair... pairs) {
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        for (KeyPair pair : pairs) {
            byId.put(Signatures.keyId(pair.getPublic()), pair.getPublic());
        }
        return byId;
    }
}
