package io.starconsole.functions.schema;

import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Flyway as the start runs it (plain library, class path scan), against the database this start
 * migrated: it finds every migration of the build, all applied, and refuses a location with none.
 */
@QuarkusTest
class SchemaMigrationsFlywayTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void findsEveryMigrationOfTheBuild_allAppliedByTheStart() {
        MigrationInfo[] all = SchemaMigrations.flyway(jdbcUrl, user, password.orElse(null)).info().all();

        assertThat(all).hasSize(Integer.parseInt(SchemaMigrations.SCHEMA_VERSION));
        assertThat(Arrays.stream(all).map(info -> info.getState().isApplied())).containsOnly(true);
        assertThat(all[all.length - 1].getVersion().getVersion()).isEqualTo(SchemaMigrations.SCHEMA_VERSION);
        assertThat(SchemaMigrations.flyway(jdbcUrl, user, password.orElse(null)).migrate().migrationsExecuted).isZero();
    }

    @Test
    void aLocationWithoutMigrations_isRefused_notTakenForNothingToDo() {
        Flyway nowhere = Flyway.configure(SchemaMigrations.class.getClassLoader())
                .configuration(SchemaMigrations.flyway(jdbcUrl, user, password.orElse(null)).getConfiguration())
                .locations("classpath:db/no-such-migrations")
                .load();

        assertThatThrownBy(nowhere::migrate).isInstanceOf(FlywayException.class).hasMessageContaining("db/no-such-migrations");
    }
}
