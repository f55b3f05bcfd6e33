package io.starconsole.agent.command;

import io.starconsole.agent.support.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A risky change applied tentatively and not yet confirmed, as saved in
 * {@code <state-directory>/pending-change} (0600: a key change holds private keys) before the
 * backend is touched. Found at start, it is rolled back: the agent stopped before the console
 * confirmed it.
 *
 * @param commandId the command that made it
 * @param kind      what changed
 * @param oldValue  the setting to restore ("" = none): an address {@code a.b.c.d/n}, a port, or a base64 private key
 * @param newValue  the tentative setting, in the same form
 */
public record PendingChange(long commandId, Kind kind, String oldValue, String newValue) {

    public enum Kind {
        SPN_ADDRESS,
        LISTEN_PORT,
        KEY
    }

    static final String FILE_NAME = "pending-change";

    /** Saves {@code this} as the pending change in {@code stateDirectory}, replacing any other. */
    public void save(Path stateDirectory) {
        String text = "command=" + Long.toUnsignedString(commandId) + "\nkind=" + kind + "\nold=" + oldValue + "\nnew=" + newValue + "\n";
        try {
            AtomicFiles.write(stateDirectory.resolve(FILE_NAME), text, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Optional<PendingChange> load(Path stateDirectory) {
        Path file = stateDirectory.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    fields.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            return Optional.of(new PendingChange(Long.parseUnsignedLong(fields.get("command")), Kind.valueOf(fields.get("kind")),
                    fields.getOrDefault("old", ""), fields.getOrDefault("new", "")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is damaged: " + e.getMessage());
        }
    }

    public static void clear(Path stateDirectory) {
        try {
            Files.deleteIfExists(stateDirectory.resolve(FILE_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
