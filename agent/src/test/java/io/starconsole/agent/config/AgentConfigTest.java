package io.starconsole.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starconsole.protocol.crypto.JediVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    @TempDir
    Path temp;

    @Test
    void file_thenFlags_overrideDefaults() throws Exception {
        Path file = temp.resolve("agent.conf");
        Files.writeString(file, "# comment\nedge = 192.0.2.1:31902\ngroup = lab\nping-interval = PT2S\n");
        AgentConfig config = AgentConfig.load(file, Map.of("group", "field"));
        assertThat(config.edge().getHostString()).isEqualTo("192.0.2.1");
        assertThat(config.group()).isEqualTo("field");
        assertThat(config.pingInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.backend()).isEqualTo("sandbox");
    }

    @Test
    void unknownKey_isRefused() {
        assertThatThrownBy(() -> AgentConfig.defaults().with("egde", "x")).hasMessageContaining("unknown configuration key 'egde'");
    }

    @Test
    void durations_acceptShortAndIsoForms() {
        assertThat(AgentConfig.parseDuration("200ms", "x")).isEqualTo(Duration.ofMillis(200));
        assertThat(AgentConfig.parseDuration("5s", "x")).isEqualTo(Duration.ofSeconds(5));
        assertThat(AgentConfig.parseDuration("PT5S", "x")).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> AgentConfig.parseDuration("5", "ping-interval")).hasMessageContaining("ping-interval");
    }

    @Test
    void jediVersion_isThreeUnlessSetToTwo_andNothingElse() {
        assertThat(AgentConfig.defaults().jediVersion()).isEqualTo(JediVersion.JEDI_3);
        assertThat(AgentConfig.defaults().with("jedi-version", "2").jediVersion()).isEqualTo(JediVersion.JEDI_2);
        assertThatThrownBy(() -> AgentConfig.defaults().with("jedi-version", "4").jediVersion())
                .hasMessage("jedi-version must be 2 or 3, not '4'");
    }

    @Test
    void showConfig_hidesTheEnrolmentToken() {
        assertThat(AgentConfig.defaults().with("enrolment-token", "s3cret").toText()).doesNotContain("s3cret");
    }
}
