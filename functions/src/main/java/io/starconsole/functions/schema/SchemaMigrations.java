package io.starconsole.functions.schema;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;

/**
 * Brings the database to the schema of this build at start ({@code star-console.migrate-at-start},
 * default true: the local console and the tests; in the cloud the API function sets it to false and
 * the migrate function, started with it true, runs first).
 *
 * <p>Flyway starts only when the database lacks this build's newest migration. Asking PostgreSQL is
 * one query on the reactive pool the functions open anyway; starting Flyway (JDBC driver, its own
 * connection pool, reading and checksumming every migration) was the largest single step of a start
 * against an up-to-date database. Whenever Flyway does run it validates every applied migration, as
 * before. It is the plain library on one JDBC connection of its own ({@code quarkus.datasource.jdbc.url},
 * the datasource's user and password), not Quarkus' extension: that one set up Flyway, a JDBC pool and
 * a transaction manager at every start, migration or not (0.2 s of a start's CPU on a small machine).
 *
 * <p>Runs before every other start-up observer (the scheduler starts at priority 0, the bootstraps
 * of the first admin and of the default pool at the default priority): they need the schema.
 */
public class SchemaMigrations {

    /** The newest migration in {@code db/migration} ({@code SchemaMigrationsTest} keeps the two equal). */
    static final String SCHEMA_VERSION = "12";

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class);
    private static final Duration STARTUP_QUERY_TIMEOUT = Duration.ofSeconds(30);

    /** Where the migrations are, on the class path. */
    static final String LOCATION = "classpath:db/migration";

    void onStart(@Observes @Priority(-1000) StartupEvent event, Pool pool,
                 @ConfigProperty(name = "star-console.migrate-at-start", defaultValue = "true") boolean migrate,
                 @ConfigProperty(name = "quarkus.datasource.jdbc.url") Optional<String> jdbcUrl,
                 @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
                 @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        if (!migrate || isApplied(pool, SCHEMA_VERSION)) {
            return;
        }
        LOG.infof("the database lacks schema version %s: migrating", SCHEMA_VERSION);
        flyway(jdbcUrl.orElseThrow(() -> new IllegalStateException(
                "quarkus.datasource.jdbc.url is not set: migrations need it (QUARKUS_DATASOURCE_JDBC_URL)")),
                user.orElse(null), password.orElse(null)).migrate();
    }

    /**
     * Flyway for the migrations of this build: refuses to run when it finds none (a class path it
     * cannot read would otherwise look like a database with nothing to do), never cleans.
     */
    static Flyway flyway(String jdbcUrl, String user, String password) {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(jdbcUrl, user, password)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .cleanDisabled(true)
                .load();
    }

    /** True when Flyway's history records {@code version} as applied successfully. */
    static boolean isApplied(Pool pool, String version) {
        boolean hasHistory = pool.query("SELECT to_regclass('flyway_schema_history') IS NOT NULL").execute()
                .await().atMost(STARTUP_QUERY_TIMEOUT).iterator().next().getBoolean(0);
        return hasHistory && pool.preparedQuery("SELECT 1 FROM flyway_schema_history WHERE version = $1 AND success")
                .execute(Tuple.of(version))
                .await().atMost(STARTUP_QUERY_TIMEOUT).size() > 0;
    }
}
