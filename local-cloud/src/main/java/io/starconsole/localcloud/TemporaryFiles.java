package io.starconsole.localcloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Removing what tests and benchmarks made under the system's temporary directory: a local cloud's
 * PostgreSQL alone is ~45 MB, and a run of the suite made ~1 GB of such directories before.
 */
public final class TemporaryFiles {

    private TemporaryFiles() {
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    public static void deleteRecursively(Path root) throws IOException {
        deleteRecursivelyExcept(root, path -> false);
    }

    /**
     * Deletes everything under {@code root} but its {@code *.log} files (and the directories that hold
     * them): a console's data once it stopped, with what it logged kept for the run's reader.
     */
    public static void deleteAllButLogs(Path root) throws IOException {
        deleteRecursivelyExcept(root, path -> path.getFileName().toString().endsWith(".log"));
    }

    /**
     * Deletes everything under {@code root} but the files {@code keep} accepts (and the directories
     * that hold them); {@code root} itself goes when nothing is kept.
     */
    private static void deleteRecursivelyExcept(Path root, Predicate<Path> keep) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            // Deepest first, so a directory is empty when its turn comes (unless it holds a kept file).
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!Files.isDirectory(path) && keep.test(path)) {
                    continue;
                }
                try {
                    Files.delete(path);
                } catch (DirectoryNotEmptyException holdsAKeptFile) {
                    // stays, with what it holds
                } catch (NoSuchFileException gone) {
                    // removed meanwhile by the process that made it
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
