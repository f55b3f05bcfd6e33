package io.starconsole.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The one-shot mode's login, kept between runs in {@code ~/.star-console/cli-token} (directory
 * 0700, file 0600): console URL, user name, token and its expiry. Used only for the same URL and
 * user and only until a minute before it expires.
 */
final class TokenCache {

    private final Path file;

    TokenCache(Path home) {
        this.file = home.resolve(".star-console").resolve("cli-token");
    }

    Path file() {
        return file;
    }

    Optional<String> load(String url, String username, Instant now) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            JsonNode stored = ApiClient.JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            boolean usable = url.equals(stored.path("url").asText()) && username.equals(stored.path("username").asText())
                    && Instant.parse(stored.path("expiresAt").asText()).isAfter(now.plusSeconds(60));
            return usable ? Optional.of(stored.path("token").asText()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged cache only costs a login
        }
    }

    void save(String url, String username, String token, String expiresAt) throws IOException {
        Path directory = file.getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        ObjectNode entry = ApiClient.JSON.createObjectNode();
        entry.put("url", url).put("username", username).put("token", token).put("expiresAt", expiresAt);
        Path temporary = directory.resolve(".cli-token.new");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, entry.toString(), StandardCharsets.UTF_8);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    void clear() throws IOException {
        Files.deleteIfExists(file);
    }
}
