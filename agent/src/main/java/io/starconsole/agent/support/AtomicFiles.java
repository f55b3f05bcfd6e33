package io.starconsole.agent.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files written whole or not at all: the content goes to {@code .<name>.new} beside the target,
 * which is then moved over it (atomically where the file system can), so a crash leaves either
 * the old file or the new one, never half of one.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Writes {@code content} (UTF-8) to {@code file}, replacing it. {@code ownerOnly}: mode 0600
     * from the start (keys, password hashes). The parent directory is created if missing.
     */
    public static void write(Path file, String content, boolean ownerOnly) throws IOException {
        Path temporary = prepare(file, content, ownerOnly);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Like {@link #write} but only if {@code file} does not exist yet: throws
     * {@link java.nio.file.FileAlreadyExistsException} if another process made it meanwhile.
     */
    public static void create(Path file, String content, boolean ownerOnly) throws IOException {
        Path temporary = prepare(file, content, ownerOnly);
        try {
            Files.move(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Path prepare(Path file, String content, boolean ownerOnly) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = parent.resolve("." + file.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        if (ownerOnly) {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        return temporary;
    }
}
