package io.starconsole.agent.ota;

import io.starconsole.agent.support.FieldFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The update in progress, as saved in {@code <state-directory>/ota-update} before each step, so an
 * agent that stops finds where it was: a download resumes when the command is delivered again; a
 * switch that was not confirmed is rolled back at start ({@link Step#SWITCHED}); after a real
 * reboot ({@link Step#REBOOTING}) the confirmation continues. No secret is kept here (the release
 * key is asked for again: the console redelivers the command with a fresh expansion).
 *
 * @param commandId the UPDATE_FIRMWARE command
 * @param releaseId the release (names the partial download {@code <release>.part})
 * @param version   the version being installed
 * @param step      how far it got
 * @param oldSlot   the slot that ran before the update (the roll-back target)
 * @param oldVersion the version that ran before the update
 */
public record OtaJournal(long commandId, String releaseId, String version, Step step, String oldSlot, String oldVersion) {

    public enum Step {
        /** downloading or verifying: nothing on the box changed yet */
        DOWNLOADING,
        /** writing the inactive slot: the active slot is untouched */
        INSTALLING,
        /** switched to the new slot, the agent restarts its registration (sandbox) */
        SWITCHED,
        /** switched to the new slot, the box reboots (linux): the next start confirms */
        REBOOTING,
        /** rolled back before a reboot (linux): the next start reports it */
        ROLLED_BACK
    }

    static final String FILE_NAME = "ota-update";

    public OtaJournal at(Step next) {
        return new OtaJournal(commandId, releaseId, version, next, oldSlot, oldVersion);
    }

    public void save(Path stateDirectory) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("command", Long.toUnsignedString(commandId));
        fields.put("release", releaseId);
        fields.put("version", version);
        fields.put("step", step.name());
        fields.put("old-slot", oldSlot);
        fields.put("old-version", oldVersion);
        FieldFiles.write(stateDirectory.resolve(FILE_NAME), fields);
    }

    public static Optional<OtaJournal> load(Path stateDirectory) {
        Path file = stateDirectory.resolve(FILE_NAME);
        return FieldFiles.read(file).map(fields -> {
            try {
                return new OtaJournal(Long.parseUnsignedLong(fields.get("command")), fields.get("release"), fields.get("version"),
                        Step.valueOf(fields.get("step")), fields.get("old-slot"), fields.getOrDefault("old-version", ""));
            } catch (RuntimeException e) {
                throw new IllegalStateException(file + " is damaged: " + e.getMessage());
            }
        });
    }

    public static void clear(Path stateDirectory) {
        FieldFiles.delete(stateDirectory.resolve(FILE_NAME));
    }
}
