package io.starconsole.localcloud;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cloud's stand-in on one machine: a real PostgreSQL and a real S3 API server on loopback,
 * with all their data under one directory that survives restarts.
 */
public final class LocalCloud implements AutoCloseable {

    private final LocalCloudSettings settings;
    private final EmbeddedDatabase database;
    private final EmbeddedObjectStore objectStore;
    private final boolean disposable;

    private LocalCloud(LocalCloudSettings settings, EmbeddedDatabase database, EmbeddedObjectStore objectStore,
                       boolean disposable) {
        this.settings = settings;
        this.database = database;
        this.objectStore = objectStore;
        this.disposable = disposable;
    }

    public static LocalCloud start(LocalCloudSettings settings) throws IOException {
        return start(settings, false);
    }

    /**
     * A local cloud on free ports in a new directory under the system's temporary directory (its name
     * starts with {@code prefix}), which {@link #close} deletes with all its data: for tests and
     * benchmarks.
     */
    public static LocalCloud startDisposable(String prefix) throws IOException {
        Path directory = Files.createTempDirectory(prefix);
        try {
            return start(LocalCloudSettings.onFreePorts(directory), true);
        } catch (IOException | RuntimeException e) {
            TemporaryFiles.deleteRecursively(directory);
            throw e;
        }
    }

    private static LocalCloud start(LocalCloudSettings settings, boolean disposable) throws IOException {
        EmbeddedDatabase database = EmbeddedDatabase.start(settings);
        try {
            return new LocalCloud(settings, database, EmbeddedObjectStore.start(settings), disposable);
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    public LocalCloudSettings settings() {
        return settings;
    }

    public int postgresPort() {
        return database.port();
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    public String reactiveUrl() {
        return database.reactiveUrl();
    }

    /**
     * Stops PostgreSQL as an outage would (a fast shutdown: connections are cut, committed data is
     * kept); the S3 API stays up. For fault tests; {@link #startDatabase()} brings it back.
     */
    public void stopDatabase() throws IOException {
        database.stop();
    }

    /** Starts PostgreSQL again after {@link #stopDatabase()}: the same data directory and port. */
    public void startDatabase() throws IOException {
        database.restart();
    }

    public boolean databaseRunning() {
        return database.isRunning();
    }

    public URI objectStoreEndpoint() {
        return objectStore.endpoint();
    }

    /**
     * The configuration the functions need to use this cloud, as Quarkus property names. The
     * launcher hands it to the functions' process as environment variables, tests as test config.
     */
    public Map<String, String> functionsConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.username", settings.databaseUser());
        config.put("quarkus.datasource.password", settings.databasePassword());
        config.put("quarkus.datasource.jdbc.url", jdbcUrl());
        config.put("quarkus.datasource.reactive.url", reactiveUrl());
        config.put("star-console.object-store.endpoint", objectStoreEndpoint().toString());
        config.put("star-console.object-store.bucket", settings.bucket());
        config.put("star-console.object-store.access-key", settings.accessKey());
        config.put("star-console.object-store.secret-key", settings.secretKey());
        config.put("star-console.object-store.region", "us-east-1");
        config.put("star-console.object-store.path-style", "true");
        return config;
    }

    /** Stops the S3 API server, then PostgreSQL (a fast shutdown: committed data is kept). */
    @Override
    public void close() throws IOException {
        try {
            objectStore.close();
        } finally {
            database.close();
            if (disposable) {
                TemporaryFiles.deleteRecursively(settings.dataDirectory());
            }
        }
    }
}
