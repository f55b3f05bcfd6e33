package io.starconsole.agent.command;

import io.starconsole.protocol.message.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The record of commands this box has carried out: one file per command id under
 * {@code <state-directory>/executed-commands/}, holding {@code succeeded} or {@code failed} on the
 * first line and the result message after it. A redelivered command id is not run again: its
 * stored result is sent again (exactly once in effect). Written before any reboot, so it survives it.
 */
public final class ExecutedCommands {

    private final Path directory;

    public ExecutedCommands(Path stateDirectory) {
        this.directory = stateDirectory.resolve("executed-commands");
    }

    public synchronized Optional<CommandResult> find(long commandId) {
        Path file = directory.resolve(Long.toUnsignedString(commandId));
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            String status = newline < 0 ? text : text.substring(0, newline);
            String message = newline < 0 ? "" : text.substring(newline + 1);
            return Optional.of(new CommandResult(commandId, status.equals("succeeded"), message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void record(CommandResult result) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(Long.toUnsignedString(result.commandId()));
            Path temporary = directory.resolve("." + file.getFileName() + ".new");
            Files.writeString(temporary, (result.success() ? "succeeded" : "failed") + "\n" + result.message(),
                    StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
