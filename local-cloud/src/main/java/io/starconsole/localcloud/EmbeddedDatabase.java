package io.starconsole.localcloud;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A real PostgreSQL from Maven artifacts, its cluster kept under {@code <data>/postgres} so that
 * a restart finds the data of the last run.
 *
 * <p>The superuser {@code postgres} may connect from loopback without a password (the embedded
 * server manages itself through it); every other role, the application's among them, must give
 * its password (scram-sha-256).
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final String HBA_MARKER = "# star-console local access rules";

    private final LocalCloudSettings settings;
    private final int port;
    /** The running server; null while stopped ({@link #stop()}). */
    private EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres, LocalCloudSettings settings) {
        this.postgres = postgres;
        this.settings = settings;
        this.port = postgres.getPort();
    }

    static EmbeddedDatabase start(LocalCloudSettings settings) throws IOException {
        Path cluster = settings.dataDirectory().resolve("postgres");
        EmbeddedPostgres postgres = launch(settings, settings.postgresPort() == 0 ? freePort() : settings.postgresPort());
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, settings);
        try {
            database.requirePasswordsForApplicationRoles(cluster);
            database.ensureRoleAndDatabase();
        } catch (SQLException | IOException e) {
            postgres.close();
            throw new IOException("could not prepare the local database: " + e.getMessage(), e);
        }
        return database;
    }

    private static EmbeddedPostgres launch(LocalCloudSettings settings, int port) throws IOException {
        Path cluster = settings.dataDirectory().resolve("postgres");
        Path sockets = settings.dataDirectory().resolve("run");
        Files.createDirectories(cluster.getParent());
        Files.createDirectories(sockets);
        return EmbeddedPostgres.builder()
                .setDataDirectory(cluster)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("unix_socket_directories", sockets.toString())
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                // The embedded server turns both off (fast tests); the console must not lose a
                // committed command or registration when PostgreSQL stops abruptly.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                // The queue's tables are vacuumed after every 10,000 changed rows (schema V11); with
                // the default minute between autovacuum's looks, a minute of churn would wait.
                .setServerConfig("autovacuum_naptime", "1s")
                .setPGStartupWait(Duration.ofSeconds(60))
                // LocalCloud.close() stops it, after the processes that use it.
                .setRegisterShutdownHook(false)
                .start();
    }

    /** Stops the server (a fast shutdown: open sessions are ended, committed data is kept). */
    synchronized void stop() throws IOException {
        if (postgres != null) {
            EmbeddedPostgres running = postgres;
            postgres = null;
            running.close();
        }
    }

    /** Starts the server again on the same data directory and port, after {@link #stop()}. */
    synchronized void restart() throws IOException {
        if (postgres == null) {
            postgres = launch(settings, port);
        }
    }

    synchronized boolean isRunning() {
        return postgres != null;
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + settings.database();
    }

    String reactiveUrl() {
        return "postgresql://127.0.0.1:" + port() + "/" + settings.database();
    }

    private void requirePasswordsForApplicationRoles(Path cluster) throws IOException, SQLException {
        Path hba = cluster.resolve("pg_hba.conf");
        String current = Files.readString(hba, StandardCharsets.UTF_8);
        if (current.contains(HBA_MARKER)) {
            return;
        }
        String rules = HBA_MARKER + "\n"
                + "local all postgres trust\n"
                + "host all postgres 127.0.0.1/32 trust\n"
                + "host all postgres ::1/128 trust\n"
                + "local all all scram-sha-256\n"
                + "host all all 127.0.0.1/32 scram-sha-256\n"
                + "host all all ::1/128 scram-sha-256\n";
        Files.writeString(hba, rules, StandardCharsets.UTF_8);
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            s.execute("SELECT pg_reload_conf()");
        }
    }

    private void ensureRoleAndDatabase() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", settings.databaseUser())) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE ROLE " + quoteIdentifier(settings.databaseUser())
                            + " LOGIN PASSWORD " + quoteLiteral(settings.databasePassword()));
                }
            } else {
                try (Statement s = c.createStatement()) {
                    s.execute("ALTER ROLE " + quoteIdentifier(settings.databaseUser())
                            + " PASSWORD " + quoteLiteral(settings.databasePassword()));
                }
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", settings.database())) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + quoteIdentifier(settings.database())
                            + " OWNER " + quoteIdentifier(settings.databaseUser()));
                }
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Role and database names come from our own settings, but are quoted all the same. */
    private static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    private static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
