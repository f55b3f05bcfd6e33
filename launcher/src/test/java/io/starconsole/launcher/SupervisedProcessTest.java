package io.starconsole.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A child JVM that writes its class archive as it exits, as the functions do on JDK 17–24: what it
 * wrote is kept after a clean stop, and the next JVM maps it; after a kill nothing cut short is left.
 */
class SupervisedProcessTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    @TempDir
    Path directory;

    private Path jar;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    /** The child: says it runs, then waits to be stopped. */
    public static final class RunsUntilStopped {

        public static void main(String[] args) throws InterruptedException {
            System.out.println("running");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @BeforeEach
    void childJar() throws IOException {
        // A jar, not the test classes' directory: the JVM archives classes from jars only.
        assumeTrue(JavaRuntime.of(JAVA).map(JavaRuntime::defaultClassArchive).orElse(false),
                "this JDK has no default CDS archive to record on top of");
        jar = directory.resolve("child.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        String entry = RunsUntilStopped.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream classFile = RunsUntilStopped.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            classFile.transferTo(out);
            out.closeEntry();
        }
    }

    @Test
    void stop_keepsTheClassArchiveTheJvmWroteAsItExited_andTheNextJvmMapsIt() throws Exception {
        JvmOptions.ExitOutput recording = recordingOf(directory.resolve("child.jsa"));
        SupervisedProcess child = running(recording);

        child.stop(Duration.ofSeconds(20));

        assertThat(recording.written()).doesNotExist();
        assertThat(recording.kept()).isRegularFile();
        // -Xshare:on: the JVM refuses to start unless it maps the archive.
        Process next = new ProcessBuilder(JAVA, "-Xshare:on", "-XX:SharedArchiveFile=" + recording.kept(),
                "-cp", jar.toString(), "-version").redirectErrorStream(true).start();
        String said = new String(next.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(next.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).as(said).isZero();
    }

    @Test
    void stop_refusesAnArchiveWrittenShort_thatWouldCrashTheNextJvm() throws Exception {
        JvmOptions.ExitOutput whole = recordingOf(directory.resolve("child.jsa"));
        running(whole).stop(Duration.ofSeconds(20));
        byte[] archive = Files.readAllBytes(whole.kept());
        JvmOptions.ExitOutput cutShort = recordingOf(directory.resolve("short.jsa"));
        // As a JVM that ran out of disk while writing, and still exited cleanly.
        Files.write(cutShort.written(), java.util.Arrays.copyOf(archive, archive.length / 2));

        cutShort.settle(143);

        assertThat(cutShort.written()).doesNotExist();
        assertThat(cutShort.kept()).doesNotExist();
    }

    @Test
    void kill_leavesNoArchive_andDeletesWhatWasCutShort() throws Exception {
        JvmOptions.ExitOutput recording = recordingOf(directory.resolve("child.jsa"));
        SupervisedProcess child = running(recording);

        Files.writeString(recording.written(), "as if the JVM had been killed while writing it");
        child.kill();

        assertThat(recording.written()).doesNotExist();
        assertThat(recording.kept()).doesNotExist();
    }

    /** A recording of {@code kept}, checked as the launcher checks the functions' class archive. */
    private JvmOptions.ExitOutput recordingOf(Path kept) {
        return JvmOptions.ExitOutput.of(kept, written -> JvmOptions.classArchiveCheck(JAVA, written, jar, List.of()));
    }

    /** The child, started, recording its class archive as it exits, once it said it runs. */
    private SupervisedProcess running(JvmOptions.ExitOutput recording) throws IOException, InterruptedException {
        JvmOptions.JavaCommand command = new JvmOptions.JavaCommand(List.of(JAVA, "-XX:+UseSerialGC",
                "-XX:ArchiveClassesAtExit=" + recording.written(), "-Xlog:cds*=error",
                "-cp", jar.toString(), RunsUntilStopped.class.getName()),
                null, JvmOptions.CLASS_ARCHIVE_WRITING, Optional.of(recording));
        SupervisedProcess child = new SupervisedProcess("child", command, Map.of(),
                new PrintStream(output, true, StandardCharsets.UTF_8));
        child.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!output.toString(StandardCharsets.UTF_8).contains("[child] running")) {
            assertThat(System.nanoTime()).as("the child said it runs: %s", output).isLessThan(deadline);
            Thread.sleep(20);
        }
        return child;
    }
}
