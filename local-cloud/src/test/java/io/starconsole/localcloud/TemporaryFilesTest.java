package io.starconsole.localcloud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TemporaryFilesTest {

    @TempDir
    Path parent;

    @Test
    void deleteRecursively_removesTheTreeAndItsRoot() throws IOException {
        Path root = tree();

        TemporaryFiles.deleteRecursively(root);

        assertThat(root).doesNotExist();
        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void deleteRecursively_ofNothing_isNoError() throws IOException {
        TemporaryFiles.deleteRecursively(parent.resolve("never made"));

        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void deleteAllButLogs_keepsTheLogsAndTheDirectoriesHoldingThem_only() throws IOException {
        Path root = tree();

        TemporaryFiles.deleteAllButLogs(root);

        assertThat(root.resolve("console.log")).hasContent("what the console said");
        assertThat(root.resolve("scratch/publish/publish.log")).hasContent("what the publisher said");
        assertThat(root.resolve("postgres")).doesNotExist();
        assertThat(root.resolve("scratch/firmware")).doesNotExist();
        assertThat(root.resolve("scratch/publish/image.img")).doesNotExist();
        try (var left = Files.walk(root)) {
            assertThat(left.filter(Files::isRegularFile)).hasSize(2);
        }
    }

    @Test
    void deleteAllButLogs_withoutLogs_removesTheRootToo() throws IOException {
        Path root = Files.createDirectories(parent.resolve("data/postgres/base"));
        Files.writeString(root.resolve("1"), "rows");

        TemporaryFiles.deleteAllButLogs(parent.resolve("data"));

        assertThat(parent.resolve("data")).doesNotExist();
    }

    /** A console's data directory in small: a database, scratch files, and two logs. */
    private Path tree() throws IOException {
        Path root = Files.createDirectories(parent.resolve("data"));
        Files.createDirectories(root.resolve("postgres/base/1"));
        Files.writeString(root.resolve("postgres/base/1/16384"), "rows");
        Files.writeString(root.resolve("postgres/PG_VERSION"), "17");
        Files.writeString(root.resolve("console.log"), "what the console said");
        Files.createDirectories(root.resolve("scratch/firmware"));
        Files.writeString(root.resolve("scratch/firmware/firmware.img"), "image");
        Files.createDirectories(root.resolve("scratch/publish"));
        Files.writeString(root.resolve("scratch/publish/publish.log"), "what the publisher said");
        Files.writeString(root.resolve("scratch/publish/image.img"), "image");
        return root;
    }
}
