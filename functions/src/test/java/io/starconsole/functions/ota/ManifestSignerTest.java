package io.starconsole.functions.ota;

import io.starconsole.firmware.Signatures;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestSignerTest {

    @Test
    void sign_twoKeysDuringRotation_givesTwoSignatures_eachVerifyingAlone() {
        KeyPair old = Signatures.generateKeyPair();
        KeyPair next = Signatures.generateKeyPair();
        ManifestSigner signer = ManifestSigner.fromPkcs8Base64(List.of(pkcs8(next), pkcs8(old)));
        byte[] manifest = "{\"format\":1}".getBytes(StandardCharsets.UTF_8);

        Map<String, byte[]> signatures = signer.sign(manifest);

        String nextId = Signatures.keyId(next.getPublic());
        String oldId = Signatures.keyId(old.getPublic());
        assertThat(signatures.keySet()).containsExactly(nextId, oldId);
        assertThat(signer.publicKeys().get(0).current()).isTrue();
        assertThat(signer.publicKeys().get(1).current()).isFalse();
        assertThat(Signatures.verifyAny(manifest, signatures, Map.of(oldId, old.getPublic()))).isTrue();
        assertThat(Signatures.verifyAny(manifest, signatures, Map.of(nextId, next.getPublic()))).isTrue();
        assertThat(Signatures.rawPublicKey(signer.publicKeys().get(1).publicKey()))
                .isEqualTo(Signatures.rawPublicKey(old.getPublic()));
        assertThat(signer.toString()).doesNotContain(pkcs8(old)).contains(oldId);
    }

    @Test
    void fromPkcs8Base64_malformedKey_isRefused_withoutQuotingIt() {
        assertThatThrownBy(() -> ManifestSigner.fromPkcs8Base64(List.of("bm90IGEga2V5")))
                .hasMessage("signing key 1 is not a base64 PKCS#8 Ed25519 private key");
    }

    @Test
    void releaseKeySeal_opensOnlyForTheSameRelease() {
        ReleaseKeySeal seal = new ReleaseKeySeal(new byte[32]);
        byte[] key = new byte[32];
        key[0] = 7;
        ReleaseKeySeal.Sealed sealed = seal.seal(key, "m", "1.0");
        assertThat(seal.open(sealed, "m", "1.0")).isEqualTo(key);
        assertThatThrownBy(() -> seal.open(sealed, "m", "1.1")).isInstanceOf(IllegalStateException.class);
    }

    private static String pkcs8(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
    }
}
