package io.starconsole.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BucketLayoutTest {

    @Test
    void keys_followTheContractLayout() {
        assertThat(BucketLayout.imageKey("spnbox-1", "1.2.3")).isEqualTo("firmware/spnbox-1/1.2.3/image.enc");
        assertThat(BucketLayout.manifestKey("spnbox-1", "1.2.3")).isEqualTo("firmware/spnbox-1/1.2.3/manifest.json");
        assertThat(BucketLayout.signatureKey("spnbox-1", "1.2.3", "21fe31dfa154a261"))
                .isEqualTo("firmware/spnbox-1/1.2.3/manifest.json.21fe31dfa154a261.sig");
        assertThatThrownBy(() -> BucketLayout.signatureKey("spnbox-1", "1.2.3", "../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../x", "a/b", "Spn", "-x", ".x", "a b", "a\\b"})
    void isValidModel_refusesTraversalAndOddNames(String model) {
        assertThat(BucketLayout.isValidModel(model)).isFalse();
        assertThatThrownBy(() -> BucketLayout.imageKey(model, "1.0")).isInstanceOf(FirmwareException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "..", "../1", "1/2", "v1.0", "1.0 ", "1_0", "123456789012345678901234567890123"})
    void isValidVersion_refusesTraversalAndOddNames(String version) {
        assertThat(BucketLayout.isValidVersion(version)).isFalse();
        assertThatThrownBy(() -> BucketLayout.imageKey("m", version)).isInstanceOf(FirmwareException.class);
    }

    @Test
    void validNames_atTheirLimits_areAccepted() {
        assertThat(BucketLayout.isValidModel("a".repeat(63))).isTrue();
        assertThat(BucketLayout.isValidModel("spnbox_2.x-lite")).isTrue();
        assertThat(BucketLayout.isValidVersion("1".repeat(32))).isTrue();
        assertThat(BucketLayout.isValidVersion("1.2.3-rc.1+build.7")).isTrue();
    }

    @Test
    void sha512_hexOfStreamBytesAndMatches() throws Exception {
        // sha512("abc"), FIPS 180-2 appendix C.
        String abc = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

        assertThat(Sha512.hex("abc".getBytes())).isEqualTo(abc);
        assertThat(Sha512.hex(new ByteArrayInputStream("abc".getBytes()))).isEqualTo(abc);
        assertThat(Sha512.matches(abc, abc.toUpperCase())).isTrue();
        assertThat(Sha512.matches(abc, abc.replace('d', 'e'))).isFalse();
        assertThat(Sha512.matches(null, abc)).isFalse();
    }
}
