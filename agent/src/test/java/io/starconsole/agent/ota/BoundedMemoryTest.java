package io.starconsole.agent.ota;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB firmware image installs in an agent JVM limited to a 64 MB heap: {@link BoundedMemoryUpdate}
 * runs in a child {@code java -Xmx64m}; its peak heap is printed (and must stay under 64 MB).
 * {@code -Dota.memory.image-bytes=N} changes the size.
 */
class BoundedMemoryTest {

    static final long IMAGE_BYTES = Long.getLong("ota.memory.image-bytes", 200L * 1024 * 1024);
    static final long HEAP_LIMIT_BYTES = 64L * 1024 * 1024;

    @TempDir
    Path temp;

    @Test
    void install_200MbImage_inA64MbHeap() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = temp.resolve("child.log");
        Process child = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), BoundedMemoryUpdate.class.getName(),
                temp.resolve("work").toString(), Long.toString(IMAGE_BYTES))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(15, TimeUnit.MINUTES);
        if (!finished) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("child JVM (-Xmx64m), " + IMAGE_BYTES + "-byte image:\n" + output);

        assertThat(finished).as("child finished").isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("RESULT=true firmware 2.0.0 running in slot B and healthy")
                .contains("SLOT_IMAGE_BYTES=" + IMAGE_BYTES);
        long peak = number(output, "PEAK_HEAP_BYTES");
        assertThat(number(output, "MAX_HEAP_BYTES")).isLessThanOrEqualTo(HEAP_LIMIT_BYTES);
        assertThat(peak).isPositive().isLessThan(HEAP_LIMIT_BYTES);
        for (String line : List.of("PEAK_HEAP_BYTES")) {
            System.out.println(line + " = " + peak / (1024 * 1024) + " MiB");
        }
    }

    static long number(String output, String name) {
        Matcher matcher = Pattern.compile(name + "=(\\d+)").matcher(output);
        assertThat(matcher.find()).as(name + " printed").isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
