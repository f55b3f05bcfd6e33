package io.starconsole.functions.schema;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The version the start checks for must be the newest migration, or a new one would never run. */
class SchemaMigrationsTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    @Test
    void schemaVersion_isTheNewestMigration() throws IOException, URISyntaxException {
        Path migrations = Path.of(SchemaMigrationsTest.class.getResource("/db/migration/V1__console_schema.sql")
                .toURI()).getParent();
        int newest;
        try (Stream<Path> files = Files.list(migrations)) {
            newest = files.map(file -> VERSIONED.matcher(file.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(match -> Integer.parseInt(match.group(1)))
                    .max().orElseThrow();
        }
        assertThat(SchemaMigrations.SCHEMA_VERSION).isEqualTo(String.valueOf(newest));
    }
}
