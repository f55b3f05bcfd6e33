package io.starconsole.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * How the launcher starts each child JVM. The benchmarks start the services through here too, so
 * what they measure is what {@code ./star-console up} runs.
 */
public final class JvmOptions {

    /** The class-data archive the functions' build writes next to {@code quarkus-run.jar}. */
    public static final String FUNCTIONS_CLASS_ARCHIVE = "app-cds.jsa";

    /** The first JDK that writes an AOT cache as the application exits ({@code -XX:AOTCacheOutput}). */
    public static final int FIRST_AOT_CACHE_RELEASE = 25;

    /**
     * Writing the functions' AOT cache at exit: a second JVM assembles it (25–60 s at load averages of
     * 20–25 on 2 cores); stopped before, the JVM leaves no cache, or one cut short that settling deletes
     * ({@link ExitOutput#settle}), and the next start records again.
     */
    static final Duration AOT_CACHE_WRITING = Duration.ofSeconds(120);

    /** Writing the functions' class archive at exit on JDK 17–24: the JVM itself, a few seconds. */
    static final Duration CLASS_ARCHIVE_WRITING = Duration.ofSeconds(30);

    /** The heap of the functions and of the edge. */
    public static final String SERVICE_MAX_HEAP = "256m";

    /**
     * JVM options an operator adds to the functions' own, separated by spaces, e.g.
     * {@code -XX:TieredStopAtLevel=4} (both compilers: less CPU per request once warm, a slower start;
     * bench/RESULTS.md, session 8).
     */
    public static final String FUNCTIONS_JAVA_OPTIONS = "STAR_CONSOLE_FUNCTIONS_JAVA_OPTIONS";

    /** JVM options an operator adds to the edge's own, e.g. {@code -Xmx1g} for a million box sessions. */
    public static final String EDGE_JAVA_OPTIONS = "STAR_CONSOLE_EDGE_JAVA_OPTIONS";

    private JvmOptions() {
    }

    /**
     * The functions ({@code functions/target/quarkus-app/quarkus-run.jar}). Besides the common options:
     * {@code -XX:TieredStopAtLevel=1}, the quick compiler only: start-up is mostly compiling code that
     * runs a few times, and C2 threads compete with start-up for the two cores; the functions' requests
     * wait on the database far more than on compiled code. {@code -Xms64m}: a heap that starts at 64 MiB
     * and grows when needed, instead of the JVM's default of 1/64 of the machine's memory (capped at -Xmx),
     * whose young generation is filled with start-up garbage before the first collection (about 11 MiB
     * live after start). {@code -XX:MetaspaceSize=64m}: start-up loads ~28 MiB of class metadata, and
     * crossing the default 21 MiB threshold costs a full collection.
     *
     * <p>Class data, whichever the JDK in {@code java}'s home can use (its {@code release} file says
     * which JDK it is):
     * <ul>
     * <li>JDK {@value #FIRST_AOT_CACHE_RELEASE}+: an AOT cache ({@link #functionsAotCache}), which holds the
     * classes start-up uses already loaded and linked, those of the application included. The JVM writes it itself when the
     * functions exit after a start without one ({@code -XX:AOTCacheOutput}, JEP 514), so the first start
     * after a build or a JDK update records, and the next ones map it ({@code -XX:AOTCache}). Kept the same
     * way as the class archive below ({@link #aotCacheCheck}): the JVM refuses a cache cut short and
     * starts without one, but would then do so at every start until the next build.</li>
     * <li>JDK 17–24 with its default CDS archive: a class archive of every class a real run loaded
     * ({@link #functionsClassArchive}), recorded the same way: a start without a current one has the JVM
     * write one as it exits ({@code -XX:ArchiveClassesAtExit}, on top of the JDK's own archive), the next
     * ones map it. It holds ~4,000 classes more than the build's archive (whose training run never
     * reaches the database): CPU to the first answer 3.50–3.85 → 2.43–2.62 s (bench/RESULTS.md, session 15).
     * The JVM writes it under a name of this start's own and the launcher keeps it only after a clean exit,
     * once a JVM started with {@code -Xshare:on} has mapped it ({@link JavaCommand#settle},
     * {@link #classArchiveCheck}): a JVM killed while writing, or short of disk, leaves a truncated
     * archive, and mapping one crashes the next JVM (SIGBUS).</li>
     * <li>Otherwise the AppCDS archive the build wrote ({@value #FUNCTIONS_CLASS_ARCHIVE},
     * {@code quarkus.package.jar.appcds.enabled}) when there is one: the JVM maps the classes from it
     * instead of loading, parsing and verifying them.</li>
     * </ul>
     * Both name the class path relative to {@code quarkus-app/}, so the functions then run in that
     * directory. {@code extra} (the operator's or a benchmark's options) come last before the jar, so
     * they win over the launcher's. When they start a flight recording, the functions start with no class
     * data at all ({@link #functionsWithoutClassData}).
     */
    public static JavaCommand functions(String java, Path jar, List<String> extra) {
        return functions(java, jar, JavaRuntime.of(java), extra);
    }

    /** As {@link #functions(String, Path, List)}, for the JDK given ({@code empty}: not known, no AOT cache). */
    static JavaCommand functions(String java, Path jar, Optional<JavaRuntime> runtime) {
        return functions(java, jar, runtime, List.of());
    }

    /**
     * As {@link #functions(String, Path, List)}, but neither mapping nor recording class data: for a
     * JVM under a flight recording, which JDK 17 cannot run beside a mapped archive (SIGSEGV in
     * {@code KlassFactory::check_shared_class_file_load_hook}, and the launcher restarted it into the same
     * crash) and turns off while one is written at exit (bench/RESULTS.md, sessions 20 and 22).
     */
    static JavaCommand functionsWithoutClassData(String java, Path jar, List<String> extra) {
        List<String> command = functionsBase(java);
        command.addAll(extra);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        return new JavaCommand(command, null, Duration.ZERO, Optional.empty());
    }

    /** As {@link #functions(String, Path, List)}, for the JDK given. */
    static JavaCommand functions(String java, Path jar, Optional<JavaRuntime> runtime, List<String> extra) {
        if (extra.stream().anyMatch(option -> option.startsWith("-XX:StartFlightRecording"))) {
            return functionsWithoutClassData(java, jar, extra);
        }
        Path application = jar.toAbsolutePath().getParent();
        List<String> command = functionsBase(java);
        Path directory = null;
        Duration exitWork = Duration.ZERO;
        Optional<ExitOutput> exitOutput = Optional.empty();
        if (runtime.isPresent() && runtime.get().feature() >= FIRST_AOT_CACHE_RELEASE) {
            // Recording lists each class it leaves out (~140 lines at exit); only failures matter.
            exitOutput = mappedOrRecorded(command, application.resolve(functionsAotCache(runtime.get(), extra)), jar,
                    "-XX:AOTCache=", "-XX:AOTCacheOutput=", "-Xlog:aot*=error",
                    written -> aotCacheCheck(java, written, jar, extra));
            exitWork = exitOutput.isPresent() ? AOT_CACHE_WRITING : Duration.ZERO;
            directory = application;
        } else if (runtime.isPresent() && runtime.get().defaultClassArchive()) {
            // Recording names each class it cannot keep (lambda forms, ...) as it exits; only failures matter.
            exitOutput = mappedOrRecorded(command, application.resolve(functionsClassArchive(runtime.get(), extra)), jar,
                    "-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=", "-Xlog:cds*=error",
                    written -> classArchiveCheck(java, written, jar, extra));
            exitWork = exitOutput.isPresent() ? CLASS_ARCHIVE_WRITING : Duration.ZERO;
            directory = application;
        } else if (Files.isRegularFile(application.resolve(FUNCTIONS_CLASS_ARCHIVE))) {
            command.add("-XX:SharedArchiveFile=" + FUNCTIONS_CLASS_ARCHIVE);
            directory = application;
        }
        command.addAll(extra);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        return new JavaCommand(command, directory, exitWork, exitOutput);
    }

    /** The functions' options before any class data: the services' common ones, the quick compiler, a small start. */
    private static List<String> functionsBase(String java) {
        List<String> command = common(java, SERVICE_MAX_HEAP);
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xms64m", "-XX:MetaspaceSize=64m"));
        return command;
    }

    /**
     * Adds to {@code command} the option that maps {@code file} (named relative to its directory, where
     * the functions run) when it is current, else the one that has the JVM record it as it exits, under
     * a name of its own, and the log option that keeps the recording quiet; returns that recording, to
     * be kept once {@code check} accepts it.
     */
    private static Optional<ExitOutput> mappedOrRecorded(List<String> command, Path file, Path jar, String mapOption,
                                                         String recordOption, String quietRecording,
                                                         Function<Path, List<String>> check) {
        if (isCurrent(file, jar)) {
            command.add(mapOption + file.getFileName());
            return Optional.empty();
        }
        ExitOutput recording = ExitOutput.of(file, check);
        command.addAll(List.of(recordOption + recording.written().getFileName(), quietRecording));
        return Optional.of(recording);
    }

    /**
     * A JVM that starts only if it can map {@code archive} for {@code jar} ({@code -Xshare:on}) and then
     * prints its version: 0.2 s; it crashes on a truncated archive (exit 134) and refuses one it cannot
     * use (exit 1). Its crash report goes nowhere: a failed check is expected, and only deletes the file.
     * Of the operator's options it takes those that decide whether an archive can be mapped (heap size
     * and {@code -XX:±Use…} flags: the collector, compressed pointers), so that it judges as the next
     * start will; not the others, which may write files ({@code -Xlog:gc:file=...} would
     * overwrite the functions' log as the check exits).
     */
    static List<String> classArchiveCheck(String java, Path archive, Path jar, List<String> extra) {
        return classDataCheck(java, jar, extra, List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive.toAbsolutePath()));
    }

    /**
     * As {@link #classArchiveCheck}, for JDK {@value #FIRST_AOT_CACHE_RELEASE}'s AOT cache: with
     * {@code -XX:AOTMode=on} a JVM that cannot use {@code cache} (cut short, another JDK's) refuses to
     * start (exit 1) instead of starting without it.
     */
    static List<String> aotCacheCheck(String java, Path cache, Path jar, List<String> extra) {
        return classDataCheck(java, jar, extra, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache.toAbsolutePath()));
    }

    private static List<String> classDataCheck(String java, Path jar, List<String> extra, List<String> mapping) {
        List<String> check = common(java, SERVICE_MAX_HEAP);
        extra.stream().filter(option -> option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize=")
                || option.startsWith("-XX:+Use") || option.startsWith("-XX:-Use")).forEach(check::add);
        check.addAll(mapping);
        check.addAll(List.of("-XX:ErrorFile=/dev/null", "-cp", jar.toAbsolutePath().toString(), "-version"));
        return check;
    }

    /**
     * The class archive's file name in {@code quarkus-app/} (JDK 17–24): as {@link #functionsAotCache},
     * one for each JDK build and set of operator's options, which the JVM would otherwise refuse.
     */
    static String functionsClassArchive(JavaRuntime runtime, List<String> extra) {
        return classDataName(runtime, extra) + ".jsa";
    }

    /**
     * The AOT cache's file name in {@code quarkus-app/}: a cache fits only the exact JDK that wrote it,
     * and the JVM refuses one written under other options (it then starts without), so each JDK and
     * each set of operator's options has its own.
     */
    static String functionsAotCache(JavaRuntime runtime, List<String> extra) {
        return classDataName(runtime, extra) + ".aot";
    }

    private static String classDataName(JavaRuntime runtime, List<String> extra) {
        String options = extra.isEmpty() ? "" : "-" + Integer.toHexString(String.join(" ", extra).hashCode());
        return "functions-jdk-" + runtime.version().replaceAll("[^A-Za-z0-9.+-]", "_") + options;
    }

    /**
     * The JVM options in the environment variable {@code name}, separated by white space; none when it
     * is unset or blank. Each must be an option ({@code -...}) other than those naming what to run.
     *
     * @throws IllegalArgumentException naming the variable and the word that is not such an option
     */
    public static List<String> operatorOptions(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> options = List.of(value.trim().split("\\s+"));
        for (String option : options) {
            if (!option.startsWith("-") || List.of("-jar", "-cp", "-classpath", "--class-path", "-m", "--module")
                    .contains(option)) {
                throw new IllegalArgumentException(name + ": '" + option + "' is not a JVM option the launcher can add"
                        + " (options start with '-'; what to run is the launcher's)");
            }
        }
        return options;
    }

    /**
     * A cache written before the jar was (an earlier build's) is written again: the JVM would refuse it
     * for the changed class path and start without one, every time.
     */
    private static boolean isCurrent(Path cache, Path jar) {
        try {
            return Files.isRegularFile(cache)
                    && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        } catch (IOException unreadable) {
            return false;
        }
    }

    /** Any other service jar (edge, simulated boxes), with the given heap and program arguments. */
    public static JavaCommand service(String java, Path jar, String maxHeap, List<String> arguments) {
        List<String> command = common(java, maxHeap);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(arguments);
        return new JavaCommand(command, null);
    }

    /**
     * Serial GC: one small heap and no parallel GC threads competing for a small machine's cores.
     * {@value #COMMON_POOL_PARALLELISM}: on a 2-core machine the JDK's common pool has one thread, and
     * {@code CompletableFuture} then runs every asynchronous task on a new thread; the JDK's HTTP
     * client completes each response that way, so an edge relaying thousands of registrations at once
     * started tens of thousands of threads and ran out of memory.
     */
    private static List<String> common(String java, String maxHeap) {
        return new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx" + maxHeap, COMMON_POOL_PARALLELISM));
    }

    /** At least two threads in the JDK's common pool, whatever the number of cores. */
    public static final String COMMON_POOL_PARALLELISM = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2";

    /**
     * A file the process writes as it exits ({@code written}, a name of this command's own, so that two
     * consoles recording at once never write one file), to become {@code kept} only if it exits cleanly
     * and {@code check} (a command; none when empty) then accepts it.
     */
    public record ExitOutput(Path written, Path kept, List<String> check) {

        /** How long a check may take before the file counts as refused. */
        private static final Duration CHECK_LIMIT = Duration.ofSeconds(60);

        public ExitOutput {
            check = List.copyOf(check);
        }

        /** A recording of {@code kept} under a name of its own beside it, checked by {@code checkOf(written)}. */
        static ExitOutput of(Path kept, Function<Path, List<String>> checkOf) {
            String unique = Long.toHexString(new SecureRandom().nextLong() & Long.MAX_VALUE);
            Path written = kept.resolveSibling(kept.getFileName() + "." + unique + ".part");
            return new ExitOutput(written, kept, checkOf.apply(written));
        }

        /**
         * After the process exited with {@code exitCode}: a clean exit (0, or the JVM's after SIGTERM or
         * SIGINT: 143, 130) whose file the check accepts keeps it, replacing an older file at once; any
         * other exit (killed, crashed) or a refused file deletes it: a JVM may exit cleanly and still have
         * written it short (a full disk). What the JVM wrote on the way under names that start with the
         * written file's (JDK 25's {@code <cache>.config}, left when it is killed while recording) goes
         * too. Nothing to do when nothing was written, or when already settled.
         */
        void settle(int exitCode) throws IOException {
            deleteWorkFiles();
            if (!Files.exists(written)) {
                return;
            }
            if ((exitCode == 0 || exitCode == 143 || exitCode == 130) && accepted()) {
                Files.move(written, kept, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(written);
            }
        }

        private void deleteWorkFiles() throws IOException {
            String prefix = written.getFileName() + ".";
            try (Stream<Path> siblings = Files.list(written.toAbsolutePath().getParent())) {
                for (Path sibling : (Iterable<Path>) siblings::iterator) {
                    if (sibling.getFileName().toString().startsWith(prefix)) {
                        Files.deleteIfExists(sibling);
                    }
                }
            } catch (NoSuchFileException directoryGone) {
                // nothing was written there
            }
        }

        private boolean accepted() throws IOException {
            if (check.isEmpty()) {
                return true;
            }
            Process checking = new ProcessBuilder(check).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (!checking.waitFor(CHECK_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    checking.destroyForcibly();
                    return false;
                }
                return checking.exitValue() == 0;
            } catch (InterruptedException e) {
                checking.destroyForcibly();
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * A command line, the directory to run it in ({@code null}: the caller's), how much longer than
     * usual its process may take to stop (class data is written as the JVM exits), and the file it
     * writes as it exits, to be settled once it has ({@link #settle}).
     */
    public record JavaCommand(List<String> command, Path directory, Duration exitWork, Optional<ExitOutput> exitOutput) {

        public JavaCommand {
            command = List.copyOf(command);
        }

        JavaCommand(List<String> command, Path directory) {
            this(command, directory, Duration.ZERO, Optional.empty());
        }

        /** This command with {@code options} just before {@code -jar}: after the launcher's own, so they win. */
        public JavaCommand withOptionsBeforeJar(List<String> options) {
            List<String> changed = new ArrayList<>(command);
            changed.addAll(changed.indexOf("-jar"), options);
            return new JavaCommand(changed, directory, exitWork, exitOutput);
        }

        /**
         * Once its process has exited with {@code exitCode}: keeps the file it wrote as it exited if the
         * exit was clean, deletes it otherwise ({@link ExitOutput#settle}). Safe to call more than once.
         *
         * @throws IOException when the file can be neither kept nor deleted
         */
        public synchronized void settle(int exitCode) throws IOException {
            if (exitOutput.isPresent()) {
                exitOutput.get().settle(exitCode);
            }
        }

        /** A process builder for this command in its directory. */
        public ProcessBuilder processBuilder() {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            return builder;
        }
    }
}
