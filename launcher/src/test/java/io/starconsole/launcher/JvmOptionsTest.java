package io.starconsole.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class JvmOptionsTest {

    private static final JavaRuntime JDK_17 = new JavaRuntime(17, "17.0.15+6-Debian-1deb12u1");
    private static final JavaRuntime JDK_25 = new JavaRuntime(25, "25.0.3+9-LTS");
    private static final JavaRuntime JDK_17_WITH_ITS_ARCHIVE = new JavaRuntime(17, "17.0.21.1+2-Debian", true);
    private static final String ARCHIVE_17 = "functions-jdk-17.0.21.1+2-Debian.jsa";
    private static final String CACHE_25 = "functions-jdk-25.0.3+9-LTS.aot";

    @TempDir
    Path application;

    @Test
    void functions_jdk17WithAppCdsArchive_mapsTheArchiveInTheApplicationDirectory() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        Files.writeString(application.resolve(JvmOptions.FUNCTIONS_CLASS_ARCHIVE), "archive");

        JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.of(JDK_17));

        assertThat(command.command()).contains("-XX:SharedArchiveFile=app-cds.jsa")
                .noneMatch(option -> option.startsWith("-XX:AOTCache"));
        assertThat(command.directory()).isEqualTo(application);
        assertThat(command.exitWork()).isZero();
    }

    @Test
    void functions_jdk17WithoutArchive_runsWithoutClassData() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));

        JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.of(JDK_17));

        assertThat(command.command()).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile")
                || option.startsWith("-XX:AOTCache"));
        assertThat(command.directory()).isNull();
    }

    @Test
    void functionsWithoutClassData_mapsAndRecordsNone_evenBesideAnArchive_andPutsTheExtraOptionsLast() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        Files.writeString(application.resolve(JvmOptions.FUNCTIONS_CLASS_ARCHIVE), "archive");

        JvmOptions.JavaCommand command = JvmOptions.functionsWithoutClassData("java", jar,
                java.util.List.of("-XX:StartFlightRecording=filename=x.jfr"));

        assertThat(command.command()).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile")
                || option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:AOTCache")
                || option.startsWith("-Xlog:cds") || option.startsWith("-Xlog:aot"));
        assertThat(command.command()).contains("-XX:TieredStopAtLevel=1").endsWith(
                "-XX:StartFlightRecording=filename=x.jfr", "-jar", jar.toAbsolutePath().toString());
        assertThat(command.exitWork()).isZero();
        assertThat(command.exitOutput()).isEmpty();
    }

    @Test
    void functions_unknownJdk_keepsToTheAppCdsArchive() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        Files.writeString(application.resolve(JvmOptions.FUNCTIONS_CLASS_ARCHIVE), "archive");

        JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.empty());

        assertThat(command.command()).contains("-XX:SharedArchiveFile=app-cds.jsa")
                .noneMatch(option -> option.startsWith("-XX:AOTCache"));
    }

    @Test
    void functions_jdk25WithoutCache_recordsOneAtExitUnderANameOfItsOwn_insteadOfTheAppCdsArchive() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        Files.writeString(application.resolve(JvmOptions.FUNCTIONS_CLASS_ARCHIVE), "archive of JDK 17");

        JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.of(JDK_25));

        JvmOptions.ExitOutput recording = command.exitOutput().orElseThrow();
        assertThat(recording.kept()).isEqualTo(application.resolve(CACHE_25));
        assertThat(recording.written().getFileName().toString()).startsWith(CACHE_25 + ".").endsWith(".part");
        assertThat(command.command()).contains("-XX:AOTCacheOutput=" + recording.written().getFileName())
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:AOTCache="));
        assertThat(recording.check()).containsSubsequence("java", "-XX:AOTMode=on",
                "-XX:AOTCache=" + recording.written(), "-cp", jar.toString(), "-version");
        assertThat(command.directory()).isEqualTo(application);
        assertThat(command.command().get(command.command().size() - 2)).isEqualTo("-jar");
        assertThat(command.exitWork()).isEqualTo(JvmOptions.AOT_CACHE_WRITING);
    }

    @Test
    void functions_jdk25WithCache_mapsItOnlyWhenWrittenAfterTheJar() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        cache(CACHE_25, Instant.parse("2026-01-01T10:05:00Z"));
        assertThat(JvmOptions.functions("java", jar, Optional.of(JDK_25)).command())
                .contains("-XX:AOTCache=" + CACHE_25).noneMatch(option -> option.startsWith("-XX:AOTCacheOutput"));
        assertThat(JvmOptions.functions("java", jar, Optional.of(JDK_25)).exitWork()).isZero();

        cache(CACHE_25, Instant.parse("2026-01-01T09:00:00Z"));
        assertThat(JvmOptions.functions("java", jar, Optional.of(JDK_25)).command())
                .anyMatch(option -> option.startsWith("-XX:AOTCacheOutput=" + CACHE_25 + "."))
                .noneMatch(option -> option.startsWith("-XX:AOTCache="));
    }

    @Test
    void functions_jdk25WithOnlyAnotherJdksCache_recordsItsOwn() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        cache("functions-jdk-25.0.2+10-LTS.aot", Instant.parse("2026-01-01T10:05:00Z"));

        JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.of(JDK_25));

        assertThat(command.command()).anyMatch(option -> option.startsWith("-XX:AOTCacheOutput=" + CACHE_25 + "."));
    }

    @Test
    void functions_jdk17WithItsDefaultArchive_recordsAClassArchiveAtExit_underANameOfItsOwn() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        Files.writeString(application.resolve(JvmOptions.FUNCTIONS_CLASS_ARCHIVE), "the build's archive");

        JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.of(JDK_17_WITH_ITS_ARCHIVE));
        JvmOptions.JavaCommand another = JvmOptions.functions("java", jar, Optional.of(JDK_17_WITH_ITS_ARCHIVE));

        JvmOptions.ExitOutput recording = command.exitOutput().orElseThrow();
        assertThat(recording.kept()).isEqualTo(application.resolve(ARCHIVE_17));
        assertThat(recording.written().getParent()).isEqualTo(application);
        assertThat(recording.written().getFileName().toString()).startsWith(ARCHIVE_17 + ".").endsWith(".part");
        assertThat(command.command()).contains("-XX:ArchiveClassesAtExit=" + recording.written().getFileName())
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile") || option.startsWith("-XX:AOTCache"));
        assertThat(command.directory()).isEqualTo(application);
        assertThat(command.exitWork()).isEqualTo(JvmOptions.CLASS_ARCHIVE_WRITING);
        assertThat(recording.check()).containsSubsequence("java", "-Xshare:on",
                "-XX:SharedArchiveFile=" + recording.written(), "-cp", jar.toString(), "-version");
        assertThat(another.exitOutput().orElseThrow().written()).isNotEqualTo(recording.written());
    }

    @Test
    void classArchiveCheck_takesTheOperatorsHeapAndUseFlags_notOptionsThatWriteFiles() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        java.util.List<String> operators = java.util.List.of("-Xmx1g", "-XX:-UseCompressedOops", "-XX:TieredStopAtLevel=4",
                "-Xlog:gc:file=gc.log");

        JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.of(JDK_17_WITH_ITS_ARCHIVE), operators);

        java.util.List<String> check = command.exitOutput().orElseThrow().check();
        assertThat(check).contains("-Xmx1g", "-XX:-UseCompressedOops", "-Xshare:on")
                .doesNotContain("-XX:TieredStopAtLevel=4", "-Xlog:gc:file=gc.log");
        assertThat(check.indexOf("-Xmx1g")).isGreaterThan(check.indexOf("-Xmx" + JvmOptions.SERVICE_MAX_HEAP));
    }

    @Test
    void functions_jdk17WithARecordedArchive_mapsItOnlyWhenWrittenAfterTheJar() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        cache(ARCHIVE_17, Instant.parse("2026-01-01T10:05:00Z"));

        JvmOptions.JavaCommand current = JvmOptions.functions("java", jar, Optional.of(JDK_17_WITH_ITS_ARCHIVE));
        assertThat(current.command()).contains("-XX:SharedArchiveFile=" + ARCHIVE_17)
                .noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
        assertThat(current.exitOutput()).isEmpty();
        assertThat(current.exitWork()).isZero();

        cache(ARCHIVE_17, Instant.parse("2026-01-01T09:00:00Z"));
        assertThat(JvmOptions.functions("java", jar, Optional.of(JDK_17_WITH_ITS_ARCHIVE)).command())
                .anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit=" + ARCHIVE_17 + "."))
                .doesNotContain("-XX:SharedArchiveFile=" + ARCHIVE_17);
    }

    @Test
    void functions_underAFlightRecording_mapNorRecordClassData_onAnyJdk() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        Files.writeString(application.resolve(JvmOptions.FUNCTIONS_CLASS_ARCHIVE), "archive");
        java.util.List<String> recording = java.util.List.of("-XX:StartFlightRecording=filename=f.jfr,settings=profile");

        for (JavaRuntime runtime : java.util.List.of(JDK_17, JDK_17_WITH_ITS_ARCHIVE, JDK_25)) {
            JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.of(runtime), recording);

            assertThat(command.command()).as(runtime.version()).noneMatch(option -> option.startsWith("-XX:SharedArchiveFile")
                    || option.startsWith("-XX:ArchiveClassesAtExit") || option.startsWith("-XX:AOTCache"));
            assertThat(command.command()).endsWith(recording.get(0), "-jar", jar.toAbsolutePath().toString());
            assertThat(command.exitOutput()).isEmpty();
        }
        // without the recording, the same JDK maps or records class data
        assertThat(JvmOptions.functions("java", jar, Optional.of(JDK_17_WITH_ITS_ARCHIVE), java.util.List.of("-Xlog:gc")).command())
                .anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void settle_afterACleanExit_keepsWhatWasWritten_replacingTheOlderFile() throws IOException {
        for (int clean : new int[] {0, 130, 143}) {
            JvmOptions.ExitOutput recording = JvmOptions.ExitOutput.of(application.resolve(ARCHIVE_17), written -> java.util.List.of());
            Files.writeString(recording.kept(), "older");
            Files.writeString(recording.written(), "recorded on exit " + clean);

            recording.settle(clean);

            assertThat(recording.kept()).hasContent("recorded on exit " + clean);
            assertThat(recording.written()).doesNotExist();
        }
    }

    @Test
    void settle_deletesTheFilesTheJvmWroteOnTheWay_whateverTheExit_butNoOtherFile() throws IOException {
        for (int exit : new int[] {0, 137}) {
            JvmOptions.ExitOutput recording = JvmOptions.ExitOutput.of(application.resolve(CACHE_25), written -> java.util.List.of());
            Path configuration = recording.written().resolveSibling(recording.written().getFileName() + ".config");
            Path another = application.resolve(CACHE_25 + ".0123.part.config");
            Files.writeString(configuration, "the JVM's own configuration, left by a kill");
            Files.writeString(another, "another console's, recording now");

            recording.settle(exit);

            assertThat(configuration).doesNotExist();
            assertThat(another).exists();
            assertThat(recording.kept()).doesNotExist();
            Files.delete(another);
        }
    }

    @Test
    void settle_afterAKillOrACrash_deletesWhatWasWritten_keepingTheOlderFile() throws IOException {
        for (int unclean : new int[] {1, 134, 137}) {
            JvmOptions.ExitOutput recording = JvmOptions.ExitOutput.of(application.resolve(ARCHIVE_17), written -> java.util.List.of());
            Files.writeString(recording.kept(), "older");
            Files.writeString(recording.written(), "cut short");

            recording.settle(unclean);

            assertThat(recording.kept()).hasContent("older");
            assertThat(recording.written()).doesNotExist();
        }
    }

    @Test
    void settle_afterACleanExit_deletesWhatTheCheckRefuses_keepingTheOlderFile() throws IOException {
        String jvm = ProcessHandle.current().info().command().orElseThrow();
        JvmOptions.ExitOutput refused = JvmOptions.ExitOutput.of(application.resolve(ARCHIVE_17),
                written -> java.util.List.of(jvm, "-XX:+NoSuchOptionAnywhere", "-version"));
        Files.writeString(refused.kept(), "older");
        Files.writeString(refused.written(), "written short");

        refused.settle(143);

        assertThat(refused.kept()).hasContent("older");
        assertThat(refused.written()).doesNotExist();

        JvmOptions.ExitOutput accepted = JvmOptions.ExitOutput.of(application.resolve(ARCHIVE_17),
                written -> java.util.List.of(jvm, "-version"));
        Files.writeString(accepted.written(), "recorded");
        accepted.settle(143);
        assertThat(accepted.kept()).hasContent("recorded");
    }

    @Test
    void settle_whenNothingWasWritten_orTwice_changesNothing() throws IOException {
        JvmOptions.ExitOutput recording = JvmOptions.ExitOutput.of(application.resolve(ARCHIVE_17), written -> java.util.List.of());

        recording.settle(143);
        assertThat(recording.kept()).doesNotExist();

        Files.writeString(recording.written(), "recorded");
        recording.settle(143);
        recording.settle(137);
        assertThat(recording.kept()).hasContent("recorded");
    }

    @Test
    void parseRelease_namesFeatureAndExactBuild() {
        assertThat(JavaRuntime.parseRelease("IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_RUNTIME_VERSION=\"25.0.3+9-LTS\"\n"
                + "JAVA_VERSION=\"25.0.3\"\n")).contains(JDK_25);
        assertThat(JavaRuntime.parseRelease("JAVA_VERSION=\"17.0.15\"\n")).contains(new JavaRuntime(17, "17.0.15"));
        assertThat(JavaRuntime.parseRelease("JAVA_VERSION=\"1.8.0_392\"\n")).contains(new JavaRuntime(8, "1.8.0_392"));
        assertThat(JavaRuntime.parseRelease("JAVA_VERSION=\"26-ea\"\n")).contains(new JavaRuntime(26, "26-ea"));
    }

    @Test
    void parseRelease_withoutJavaVersion_isUnknown() {
        assertThat(JavaRuntime.parseRelease("IMPLEMENTOR=\"Someone\"\n")).isEmpty();
        assertThat(JavaRuntime.parseRelease("")).isEmpty();
    }

    @Test
    void of_theRunningJvm_isItsOwnRelease() {
        String java = ProcessHandle.current().info().command().orElseThrow();

        assertThat(JavaRuntime.of(java)).hasValueSatisfying(runtime -> {
            assertThat(runtime.feature()).isEqualTo(Runtime.version().feature());
            assertThat(runtime.defaultClassArchive())
                    .isEqualTo(Files.isRegularFile(Path.of(System.getProperty("java.home"), "lib", "server", "classes.jsa")));
        });
    }

    @Test
    void of_aCommandWithoutJdkHome_isUnknown() {
        assertThat(JavaRuntime.of("java")).isEmpty();
        assertThat(JavaRuntime.of(application.resolve("bin/java").toString())).isEmpty();
    }

    @Test
    void operatorsFunctionsOptions_comeAfterTheLaunchersOwn_beforeTheJar() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));

        java.util.List<String> command = JvmOptions.functions("java", jar, Optional.of(JDK_17),
                java.util.List.of("-XX:TieredStopAtLevel=4")).command();

        assertThat(command.indexOf("-XX:TieredStopAtLevel=4")).isGreaterThan(command.indexOf("-XX:TieredStopAtLevel=1"))
                .isLessThan(command.indexOf("-jar"));
    }

    @Test
    void operatorsFunctionsOptions_haveTheirOwnAotCache_soTheLaunchersIsNotRefusedOrOverwritten() throws IOException {
        Path jar = built(Instant.parse("2026-01-01T10:00:00Z"));
        cache(CACHE_25, Instant.parse("2026-01-01T10:05:00Z"));
        java.util.List<String> both = java.util.List.of("-XX:TieredStopAtLevel=4");

        JvmOptions.JavaCommand command = JvmOptions.functions("java", jar, Optional.of(JDK_25), both);

        String cache = JvmOptions.functionsAotCache(JDK_25, both);
        assertThat(cache).isNotEqualTo(CACHE_25).startsWith("functions-jdk-25.0.3+9-LTS-").endsWith(".aot")
                .isEqualTo(JvmOptions.functionsAotCache(JDK_25, java.util.List.of("-XX:TieredStopAtLevel=4")));
        assertThat(command.command()).anyMatch(option -> option.startsWith("-XX:AOTCacheOutput=" + cache + "."))
                .doesNotContain("-XX:AOTCache=" + CACHE_25);
        assertThat(JvmOptions.functionsAotCache(JDK_25, java.util.List.of())).isEqualTo(CACHE_25);
    }

    @Test
    void operatorOptions_areSplitOnWhiteSpace_noneWhenUnsetOrBlank() {
        String name = JvmOptions.EDGE_JAVA_OPTIONS;

        assertThat(JvmOptions.operatorOptions(java.util.Map.of(name, " -Xmx1g \t -XX:+AlwaysPreTouch "), name))
                .containsExactly("-Xmx1g", "-XX:+AlwaysPreTouch");
        assertThat(JvmOptions.operatorOptions(java.util.Map.of(name, "  "), name)).isEmpty();
        assertThat(JvmOptions.operatorOptions(java.util.Map.of(), name)).isEmpty();
    }

    @Test
    void operatorOptions_thatAreNotOptionsOrNameWhatToRun_areRefused_namingTheVariable() {
        String name = JvmOptions.FUNCTIONS_JAVA_OPTIONS;

        for (String bad : java.util.List.of("-Xmx1g 1g", "-jar other.jar", "-cp /tmp", "Xmx1g")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> JvmOptions.operatorOptions(java.util.Map.of(name, bad), name))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(name + ": '");
        }
    }

    @Test
    void edgeOptions_goJustBeforeTheJar_keepingTheProgramArguments() {
        JvmOptions.JavaCommand command = JvmOptions.service("java", Path.of("edge.jar"), "256m", java.util.List.of("--x"))
                .withOptionsBeforeJar(java.util.List.of("-Xmx1g"));

        assertThat(command.command()).endsWith("-Xmx256m", JvmOptions.COMMON_POOL_PARALLELISM, "-Xmx1g", "-jar",
                Path.of("edge.jar").toString(), "--x");
    }

    private Path built(Instant at) throws IOException {
        Path jar = Files.writeString(application.resolve("quarkus-run.jar"), "jar");
        Files.setLastModifiedTime(jar, FileTime.from(at));
        return jar;
    }

    private void cache(String name, Instant at) throws IOException {
        Files.setLastModifiedTime(Files.writeString(application.resolve(name), "cache"), FileTime.from(at));
    }
}
