package io.starconsole.agent.command;

import io.starconsole.agent.support.FieldFiles;
import java.nio.file.Path;
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
        FieldFiles.write(stateDirectory.resolve(FILE_NAME), Map.of("command", Long.toUnsignedString(commandId), "kind", kind.name(),
                "old", oldValue, "new", newValue));
    }

    public static Optional<PendingChange> load(Path stateDirectory) {
        Path file = stateDirectory.resolve(FILE_NAME);
        return FieldFiles.read(file).map(fields -> {
            try {
                return new PendingChange(Long.parseUnsignedLong(fields.get("command")), Kind.valueOf(fields.get("kind")),
                        fields.getOrDefault("old", ""), fields.getOrDefault("new", ""));
            } catch (RuntimeException e) {
                throw new IllegalStateException(file + " is damaged: " + e.getMessage());
            }
        });
    }

    public static void clear(Path stateDirectory) {
        FieldFiles.delete(stateDirectory.resolve(FILE_NAME));
    }
}
