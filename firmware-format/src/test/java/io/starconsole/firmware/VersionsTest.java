package io.starconsole.firmware;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class VersionsTest {

    @ParameterizedTest(name = "{0} vs {1} = {2}")
    @CsvSource({
        "1.10.0, 1.9.3, 1", "1.9.3, 1.10.0, -1", "1.2.3, 1.2.3, 0", "1.2, 1.2.0, 0", "1.2.1, 1.2, 1",
        "2, 1.99.99, 1", "1.0.10, 1.0.9, 1", "010, 9, 1", "1.2.0-rc1, 1.2.0, 1", "1.a, 1.b, -1",
        "1.2.beta, 1.2.alpha, 1", "99999999999999999999.0, 1.0, 1"})
    void compare_ordersNumericPartsAsNumbersAndTheRestAsText(String a, String b, int expected) {
        assertThat(Versions.compare(a, b)).isEqualTo(expected);
        assertThat(Versions.compare(b, a)).isEqualTo(-expected);
    }

    @Test
    void isNewer_andSorting() {
        List<String> versions = new ArrayList<>(List.of("1.10.0", "1.2.0", "1.9.3", "0.9"));
        versions.sort(Versions.ORDER);

        assertThat(versions).containsExactly("0.9", "1.2.0", "1.9.3", "1.10.0");
        assertThat(Versions.isNewer("1.10.0", "1.9.3")).isTrue();
        assertThat(Versions.isNewer("1.9.3", "1.9.3")).isFalse();
    }
}
