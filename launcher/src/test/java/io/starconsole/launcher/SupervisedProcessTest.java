package io.starconsole.launcher;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A child JVM that writes its class data as it exits, as the functions do: a class archive on JDK
 * 17–24, an AOT cache on JDK 25+. What it wrote is kept after a clean stop, and the next JVM maps it;
 * a file cut short is refused; after a kill nothing is left. Each test runs for each kind this machine
 * has a JDK for (this JVM's, and any JDK 25+ under {@value #JDK_DIRECTORY}).
 */
class SupervisedProcessTest {

    private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();
    private static final String JDK_DIRECTORY = "/usr/lib/jvm";

    /** One way a JVM records class data as it exits; {@code java} is empty when no JDK here does it. */
    private record Recording(String name, Optional<String> java, String extension, String recordOption,
                             List<String> logging, CheckOf checkOf, Function<Path, List<String>> mapping) {

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    private interface CheckOf {
        List<String> of(String jvm, Path written, Path jar);
    }

    static List<Recording> recordings() {
        Optional<String> archiving = JavaRuntime.of(JAVA).filter(JavaRuntime::defaultClassArchive).map(runtime -> JAVA);
        return List.of(
                new Recording("class archive (JDK 17-24)", archiving, ".jsa", "-XX:ArchiveClassesAtExit=",
                        List.of("-Xlog:cds*=error"),
                        (jvm, written, jar) -> JvmOptions.classArchiveCheck(jvm, written, jar, List.of()),
                        kept -> List.of("-Xshare:on", "-XX:SharedArchiveFile=" + kept)),
                new Recording("AOT cache (JDK 25+)", aotJava(), ".aot", "-XX:AOTCacheOutput=",
                        List.of("-Xlog:aot*=error"),
                        (jvm, written, jar) -> JvmOptions.aotCacheCheck(jvm, written, jar, List.of()),
                        kept -> List.of("-XX:AOTMode=on", "-XX:AOTCache=" + kept)));
    }

    /** This JVM if it is JDK 25+, else the first such JDK installed beside it. */
    private static Optional<String> aotJava() {
        List<String> candidates = new ArrayList<>(List.of(JAVA));
        try (Stream<Path> homes = Files.list(Path.of(JDK_DIRECTORY))) {
            homes.sorted().map(home -> home.resolve("bin/java").toString()).forEach(candidates::add);
        } catch (IOException noJdks) {
            // only this JVM
        }
        return candidates.stream().filter(java -> Files.isExecutable(Path.of(java)))
                .filter(java -> JavaRuntime.of(java)
                        .map(runtime -> runtime.feature() >= JvmOptions.FIRST_AOT_CACHE_RELEASE).orElse(false))
                .findFirst();
    }

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

    @ParameterizedTest
    @MethodSource("recordings")
    void stop_keepsWhatTheJvmWroteAsItExited_andTheNextJvmMapsIt(Recording kind) throws Exception {
        Child child = started(kind);
        JvmOptions.ExitOutput recording = child.recording();

        child.process().stop(Duration.ofSeconds(60));

        assertThat(recording.written()).doesNotExist();
        assertThat(recording.kept()).isRegularFile();
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsOnly("child.jar", "child" + kind.extension());
        }
        // -Xshare:on / -XX:AOTMode=on: the JVM refuses to start unless it maps the file.
        List<String> next = new ArrayList<>(List.of(child.jvm()));
        next.addAll(kind.mapping().apply(recording.kept()));
        next.addAll(List.of("-cp", jar.toString(), "-version"));
        Process mapped = new ProcessBuilder(next).redirectErrorStream(true).start();
        String said = new String(mapped.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mapped.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mapped.exitValue()).as(said).isZero();
    }

    @ParameterizedTest
    @MethodSource("recordings")
    void stop_refusesAFileWrittenShort(Recording kind) throws Exception {
        Child whole = started(kind);
        whole.process().stop(Duration.ofSeconds(60));
        byte[] written = Files.readAllBytes(whole.recording().kept());
        JvmOptions.ExitOutput cutShort = recordingOf(kind, whole.jvm(), "short");
        // As a JVM that ran out of disk while writing, and still exited cleanly. A class archive cut
        // short crashes the JVM that maps it; an AOT cache is refused, and would be at every start.
        Files.write(cutShort.written(), Arrays.copyOf(written, written.length / 2));

        cutShort.settle(143);

        assertThat(cutShort.written()).doesNotExist();
        assertThat(cutShort.kept()).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("recordings")
    void kill_leavesNothing_andDeletesWhatWasCutShort(Recording kind) throws Exception {
        Child child = started(kind);
        JvmOptions.ExitOutput recording = child.recording();

        Files.writeString(recording.written(), "as if the JVM had been killed while writing it");
        Path configuration = recording.written().resolveSibling(recording.written().getFileName() + ".config");
        Files.writeString(configuration, "JDK 25 records its configuration here before it writes the cache");
        child.process().kill();

        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(file -> file.getFileName().toString())).containsOnly("child.jar");
        }
    }

    /** A child JVM of {@code kind}, running and recording as {@code child} plus the kind's extension. */
    private record Child(String jvm, JvmOptions.ExitOutput recording, SupervisedProcess process) {
    }

    private Child started(Recording kind) throws IOException, InterruptedException {
        String jvm = javaFor(kind);
        JvmOptions.ExitOutput recording = recordingOf(kind, jvm, "child");
        return new Child(jvm, recording, running(kind, jvm, recording));
    }

    private static String javaFor(Recording kind) {
        assumeTrue(kind.java().isPresent(), "no JDK here records a " + kind.name());
        return kind.java().get();
    }

    /** A recording under {@code name}, checked as the launcher checks the functions' class data. */
    private JvmOptions.ExitOutput recordingOf(Recording kind, String jvm, String name) {
        return JvmOptions.ExitOutput.of(directory.resolve(name + kind.extension()),
                written -> kind.checkOf().of(jvm, written, jar));
    }

    /** The child, started, recording its class data as it exits, once it said it runs. */
    private SupervisedProcess running(Recording kind, String jvm, JvmOptions.ExitOutput recording)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(jvm, "-XX:+UseSerialGC", kind.recordOption() + recording.written()));
        command.addAll(kind.logging());
        command.addAll(List.of("-cp", jar.toString(), RunsUntilStopped.class.getName()));
        SupervisedProcess child = new SupervisedProcess("child", new JvmOptions.JavaCommand(command, null,
                JvmOptions.AOT_CACHE_WRITING, Optional.of(recording)), Map.of(),
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
