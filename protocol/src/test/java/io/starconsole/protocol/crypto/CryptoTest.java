package io.starconsole.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starconsole.protocol.codec.ProtocolException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CryptoTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @EnumSource(X25519.Backend.class)
    void x25519_rfc7748Section6_1_vectorsMatch(X25519.Backend backend) throws ProtocolException {
        byte[] alicePrivate = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPrivate = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");

        byte[] alicePublic = X25519.publicKey(alicePrivate, backend);
        byte[] shared = X25519.sharedSecret(alicePrivate, X25519.publicKey(bobPrivate, backend), backend);

        assertThat(HEX.formatHex(alicePublic)).isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(HEX.formatHex(shared)).isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    }

    @ParameterizedTest
    @EnumSource(X25519.Backend.class)
    void x25519_lowOrderPublicKey_isRejected(X25519.Backend backend) {
        byte[] privateKey = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");

        assertThatThrownBy(() -> X25519.sharedSecret(privateKey, new byte[32], backend))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void key_base64RoundTrip_isEqualAndHidesItselfInToString() throws KeyFormatException {
        Key key = KeyPair.generate(new SecureRandom()).privateKey();

        Key parsed = Key.fromBase64(key.toBase64());

        assertThat(parsed).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat(parsed.toString()).doesNotContain(key.toBase64());
    }

    @Test
    void key_wrongLengthOrAlphabet_isRejectedWithReason() {
        assertThatThrownBy(() -> Key.fromBase64("abc"))
                .isInstanceOfSatisfying(KeyFormatException.class, e -> assertThat(e.type()).isEqualTo(KeyFormatException.Type.LENGTH));
        assertThatThrownBy(() -> Key.fromBase64("!".repeat(43) + "="))
                .isInstanceOfSatisfying(KeyFormatException.class, e -> assertThat(e.type()).isEqualTo(KeyFormatException.Type.CONTENTS));
        assertThatThrownBy(() -> Key.fromBytes(new byte[31]))
                .isInstanceOfSatisfying(KeyFormatException.class, e -> assertThat(e.format()).isEqualTo(KeyFormatException.Format.BINARY));
    }

    @Test
    void key_destroy_zeroesIt() {
        Key key = KeyPair.generate(new SecureRandom()).privateKey();

        key.destroy();

        assertThat(key.getBytes()).containsOnly(0);
    }

    @ParameterizedTest
    @EnumSource(JediVersion.class)
    void aead_tamperedCiphertext_failsAuthentication(JediVersion version) {
        byte[] key = new byte[32];
        byte[] sealed = version.seal(key, version.nonce(1), new byte[] {1}, new byte[] {42});
        sealed[0] ^= 1;

        assertThatThrownBy(() -> version.open(key, version.nonce(1), new byte[] {1}, sealed))
                .isInstanceOfSatisfying(ProtocolException.class,
                        e -> assertThat(e.reason()).isEqualTo(ProtocolException.Reason.AUTHENTICATION_FAILED));
    }
}
