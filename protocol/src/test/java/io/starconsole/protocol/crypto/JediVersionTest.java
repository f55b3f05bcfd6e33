package io.starconsole.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class JediVersionTest {

    @ParameterizedTest
    @EnumSource(JediVersion.class)
    void everyVersion_isFoundByItsWireByte(JediVersion version) {
        assertThat(JediVersion.ofWireByte(version.wireByte())).isSameAs(version);
        assertThat(JediVersion.ofNumber(String.valueOf(version.wireByte()))).isSameAs(version);
        assertThat(version.prologue()).hasSize(6);
    }

    /** Noise pads a name shorter than the hash to 32 bytes; JEDI/2 never did (docs/protocol.md 3.1). */
    @org.junit.jupiter.api.Test
    void initialHash_isTheNoiseNameItself_32BytesForJedi3_28UnpaddedForJedi2() {
        assertThat(new String(JediVersion.JEDI_3.protocolName(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("Noise_IK_25519_ChaChaPoly_SHA256").hasSize(32);
        assertThat(new String(JediVersion.JEDI_2.protocolName(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("Noise_IK_25519_AESGCM_SHA256").hasSize(28);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 0x7f, 0xff})
    void otherWireBytes_nameNoVersion(int wireByte) {
        assertThat(JediVersion.ofWireByte(wireByte)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "4", "", "three", "02"})
    void otherNumbers_areRefused(String number) {
        assertThatThrownBy(() -> JediVersion.ofNumber(number)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 2 or 3");
    }

    @ParameterizedTest
    @EnumSource(JediVersion.class)
    void nonce_putsTheCounterAfterFourZeroBytes_inTheVersionsByteOrder(JediVersion version) {
        byte[] nonce = version.nonce(0x0102030405060708L);

        assertThat(nonce).startsWith(0, 0, 0, 0);
        if (version == JediVersion.JEDI_2) {
            assertThat(nonce).endsWith(1, 2, 3, 4, 5, 6, 7, 8);
        } else {
            assertThat(nonce).endsWith(8, 7, 6, 5, 4, 3, 2, 1);
        }
    }
}
