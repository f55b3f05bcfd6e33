package io.starconsole.agent.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Small {@code name=value} state files (one field a line), written atomically and owner-only:
 * the agent's records of work in progress ({@code pending-change}, {@code ota-update}).
 */
public final class FieldFiles {

    private FieldFiles() {
    }

    public static void write(Path file, Map<String, String> fields) {
        StringBuilder text = new StringBuilder();
        fields.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        try {
            AtomicFiles.write(file, text.toString(), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fields of {@code file}, or empty if there is no such file. */
    public static Optional<Map<String, String>> read(Path file) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.of(fields);
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
