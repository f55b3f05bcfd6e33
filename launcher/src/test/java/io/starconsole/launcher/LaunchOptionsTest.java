package io.starconsole.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LaunchOptionsTest {

    private static final Path HOME = Path.of("/srv/star-console");

    @Test
    void parse_noOptions_usesDataDirectoryInTheCheckout() {
        LaunchOptions options = LaunchOptions.parse(List.of(), HOME, null);
        assertThat(options.dataDirectory()).isEqualTo(HOME.resolve(".star-console"));
        assertThat(options.simulatedBoxes()).isZero();
    }

    @Test
    void parse_boxesAndData_areTaken() {
        LaunchOptions options = LaunchOptions.parse(List.of("--boxes", "5", "--data", "/tmp/d"), HOME, null);
        assertThat(options.simulatedBoxes()).isEqualTo(5);
        assertThat(options.dataDirectory()).isEqualTo(Path.of("/tmp/d"));
    }

    @Test
    void parse_environmentDataDirectory_isUsedUnlessAnOptionSaysOtherwise() {
        assertThat(LaunchOptions.parse(List.of(), HOME, "/var/lib/sc").dataDirectory()).isEqualTo(Path.of("/var/lib/sc"));
    }

    @Test
    void parse_badBoxes_isRefusedWithAReadableMessage() {
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--boxes", "many"), HOME, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--boxes needs a number, not 'many'");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--boxes"), HOME, null))
                .hasMessage("--boxes needs a value");
        assertThatThrownBy(() -> LaunchOptions.parse(List.of("--colour"), HOME, null))
                .hasMessage("unknown option '--colour'");
    }

    @Test
    void environmentName_followsQuarkusMapping() {
        assertThat(StarConsole.environmentName("star-console.object-store.access-key"))
                .isEqualTo("STAR_CONSOLE_OBJECT_STORE_ACCESS_KEY");
        assertThat(StarConsole.environmentName("quarkus.datasource.jdbc.url")).isEqualTo("QUARKUS_DATASOURCE_JDBC_URL");
    }
}
