package io.starconsole.agent.command;

import io.starconsole.agent.support.AtomicFiles;
import io.starconsole.protocol.message.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The record of commands this box has carried out: one file per command id under
 * {@code <state-directory>/executed-commands/}, holding the outcome ({@code succeeded},
 * {@code failed} or {@code rolled_back}) on the first line and the result message after it. A
 * redelivered command id is not run again: its stored result is sent again (exactly once in
 * effect). Written before the result is sent and before any reboot, so it survives both; a
 * roll-back replaces the record of the command it undid.
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
            return Optional.of(new CommandResult(commandId, status.equals(CommandOutcome.SUCCEEDED.label()), message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void record(CommandResult result) {
        try {
            AtomicFiles.write(directory.resolve(Long.toUnsignedString(result.commandId())),
                    CommandOutcome.of(result).label() + "\n" + result.message(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
