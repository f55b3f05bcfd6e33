package io.starconsole.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK a {@code java} command belongs to, as its home's {@code release} file names it: the feature
 * release (17, 25, ...) decides which start-up options it has, the full version which class-data files
 * fit it.
 *
 * @param feature the feature release ({@code JAVA_VERSION}'s first number)
 * @param version the exact build ({@code JAVA_RUNTIME_VERSION}, else {@code JAVA_VERSION})
 * @param defaultClassArchive whether the JDK has its default CDS archive ({@code lib/server/classes.jsa}):
 *        a class archive recorded at exit ({@code -XX:ArchiveClassesAtExit}) is built on top of it, and
 *        without it the JVM refuses to start when asked to record one
 */
public record JavaRuntime(int feature, String version, boolean defaultClassArchive) {

    /** A JDK without (or not known to have) its default CDS archive. */
    public JavaRuntime(int feature, String version) {
        this(feature, version, false);
    }

    private static final Pattern FEATURE = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)[^\"]*\"");
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");
    private static final Pattern RUNTIME_VERSION = Pattern.compile("(?m)^JAVA_RUNTIME_VERSION=\"([^\"]+)\"");

    /**
     * The JDK of {@code java} ({@code <home>/bin/java}, symbolic links followed); empty when it has no
     * readable {@code release} file (a bare {@code java} from the path, an unusual layout).
     */
    public static Optional<JavaRuntime> of(String java) {
        try {
            Path home = Path.of(java).toRealPath().getParent().getParent();
            if (home == null) {
                return Optional.empty();
            }
            boolean defaultClassArchive = Files.isRegularFile(home.resolve("lib/server/classes.jsa"));
            return parseRelease(Files.readString(home.resolve("release")))
                    .map(runtime -> new JavaRuntime(runtime.feature(), runtime.version(), defaultClassArchive));
        } catch (IOException | RuntimeException unknown) {
            return Optional.empty();
        }
    }

    /** The JDK a {@code release} file describes; empty when it names no {@code JAVA_VERSION}. */
    static Optional<JavaRuntime> parseRelease(String release) {
        Matcher feature = FEATURE.matcher(release);
        if (!feature.find()) {
            return Optional.empty();
        }
        Matcher runtime = RUNTIME_VERSION.matcher(release);
        Matcher version = JAVA_VERSION.matcher(release);
        String exact = runtime.find() ? runtime.group(1) : version.find() ? version.group(1) : feature.group(1);
        return Optional.of(new JavaRuntime(Integer.parseInt(feature.group(1)), exact));
    }
}
