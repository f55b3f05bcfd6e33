package io.starconsole.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StarConsoleSettingsTest {

    @TempDir
    Path data;

    @Test
    void functionsJavaOptions_givenInTheFunctionsSettings_areTheOnesTheLaunchChecks() {
        StarConsole.Ports ports = new StarConsole.Ports(1, 2, 3, 4, 5);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

        // read when the console is made, so a caller's malformed value stops it before anything starts
        assertThatThrownBy(() -> new StarConsole(new LaunchOptions(data, data, 0), ports, quiet,
                Map.of(JvmOptions.FUNCTIONS_JAVA_OPTIONS, "-Xlog:gc profile")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(JvmOptions.FUNCTIONS_JAVA_OPTIONS).hasMessageContaining("'profile'");
        assertThatCode(() -> new StarConsole(new LaunchOptions(data, data, 0), ports, quiet,
                Map.of(JvmOptions.FUNCTIONS_JAVA_OPTIONS, "-XX:StartFlightRecording=filename=f.jfr")))
                .doesNotThrowAnyException();
    }
}
