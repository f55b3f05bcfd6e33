package io.starconsole.localcloud;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the local cloud keeps its data and which loopback ports it serves.
 *
 * <p>The names are the seed's: database {@code swalker_db}, user {@code spnbox}. The password is
 * for loopback use only; a deployment gets its own from a secret store.
 */
public record LocalCloudSettings(
        Path dataDirectory,
        int postgresPort,
        String database,
        String databaseUser,
        String databasePassword,
        int objectStorePort,
        String bucket,
        String accessKey,
        String secretKey) {

    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_OBJECT_STORE_PORT = 19000;
    public static final String DEFAULT_DATABASE = "swalker_db";
    public static final String DEFAULT_DATABASE_USER = "spnbox";
    public static final String LOCAL_DATABASE_PASSWORD = "spnbox";
    public static final String DEFAULT_BUCKET = "star-console-ota";
    public static final String LOCAL_ACCESS_KEY = "star-console";
    public static final String LOCAL_SECRET_KEY = "star-console-local-only";

    public LocalCloudSettings {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (postgresPort < 0 || postgresPort > 65535 || objectStorePort < 0 || objectStorePort > 65535) {
            throw new IllegalArgumentException("ports must be 0..65535 (0 picks a free one)");
        }
    }

    /** The documented local defaults: the one-command console uses these. */
    public static LocalCloudSettings defaults(Path dataDirectory) {
        return new LocalCloudSettings(dataDirectory, DEFAULT_POSTGRES_PORT, DEFAULT_DATABASE,
                DEFAULT_DATABASE_USER, LOCAL_DATABASE_PASSWORD, DEFAULT_OBJECT_STORE_PORT,
                DEFAULT_BUCKET, LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY);
    }

    /** Like {@link #defaults} but on free ports, so tests never collide with a running console. */
    public static LocalCloudSettings onFreePorts(Path dataDirectory) {
        return new LocalCloudSettings(dataDirectory, 0, DEFAULT_DATABASE, DEFAULT_DATABASE_USER,
                LOCAL_DATABASE_PASSWORD, 0, DEFAULT_BUCKET, LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY);
    }
}
