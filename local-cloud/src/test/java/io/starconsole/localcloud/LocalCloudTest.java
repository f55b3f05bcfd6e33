package io.starconsole.localcloud;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalCloudTest {

    @TempDir
    static Path dataDirectory;

    static LocalCloud cloud;

    @BeforeAll
    static void start() throws Exception {
        cloud = LocalCloud.start(LocalCloudSettings.onFreePorts(dataDirectory));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void sql_roundTripAsApplicationUser_returnsWhatWasWritten() throws Exception {
        try (Connection c = connectAsApplication(cloud.settings().databasePassword());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS round_trip (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO round_trip VALUES (1, 'spnbox-1') ON CONFLICT (id) DO NOTHING");
            try (ResultSet rs = s.executeQuery("SELECT name, current_database(), current_user FROM round_trip")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("spnbox-1");
                assertThat(rs.getString(2)).isEqualTo("swalker_db");
                assertThat(rs.getString(3)).isEqualTo("spnbox");
            }
        }
    }

    @Test
    void database_commitsDurably() throws Exception {
        assertThat(serverSettings("synchronous_commit", "fsync")).containsExactly("on", "on");
    }

    @Test
    void database_autovacuumLooksEverySecond() throws Exception {
        // The queue's tables are vacuumed after a fixed number of changes (schema V11); a minute's
        // nap between looks would let a minute of churn pile up in their indexes.
        assertThat(serverSettings("autovacuum_naptime", "autovacuum")).containsExactly("1s", "on");
    }

    /** The server's current values of {@code names}, in order, as the application's user sees them. */
    private static List<String> serverSettings(String... names) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connectAsApplication(cloud.settings().databasePassword());
             PreparedStatement read = c.prepareStatement("SELECT current_setting(?)")) {
            for (String name : names) {
                read.setString(1, name);
                try (ResultSet rs = read.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    @Test
    void sql_wrongPassword_isRefused() {
        assertThatThrownBy(() -> connectAsApplication("not-the-password").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void objectStore_putGetAndPresignedGet_returnTheSameBytes() throws Exception {
        byte[] content = "firmware image bytes".getBytes(StandardCharsets.UTF_8);
        String bucket = cloud.settings().bucket();
        try (S3Client s3 = s3Client(); S3Presigner presigner = presigner()) {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key("firmware/test/1.0.0/image").build(),
                    RequestBody.fromBytes(content));
            try (InputStream in = s3.getObject(GetObjectRequest.builder().bucket(bucket)
                    .key("firmware/test/1.0.0/image").build())) {
                assertThat(in.readAllBytes()).isEqualTo(content);
            }
            URI presigned = presigner.presignGetObject(GetObjectPresignRequest.builder()
                    .signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(r -> r.bucket(bucket).key("firmware/test/1.0.0/image"))
                    .build()).url().toURI();
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(presigned).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(content);

            HttpResponse<byte[]> unsigned = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(cloud.objectStoreEndpoint().resolve("/" + bucket + "/firmware/test/1.0.0/image"))
                            .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(unsigned.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void restart_keepsDatabaseAndObjects(@TempDir Path ownDirectory) throws Exception {
        LocalCloudSettings settings = LocalCloudSettings.onFreePorts(ownDirectory);
        try (LocalCloud first = LocalCloud.start(settings);
             Connection c = DriverManager.getConnection(first.jdbcUrl(), "spnbox", "spnbox");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text)");
            s.execute("INSERT INTO kept VALUES ('survives')");
        }
        try (LocalCloud second = LocalCloud.start(settings);
             Connection c = DriverManager.getConnection(second.jdbcUrl(), "spnbox", "spnbox");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives");
        }
    }

    @Test
    void startDisposable_servesSql_andCloseDeletesItsDirectory() throws Exception {
        Path directory;
        try (LocalCloud disposable = LocalCloud.startDisposable("local-cloud-test")) {
            directory = disposable.settings().dataDirectory();
            assertThat(directory.getFileName().toString()).startsWith("local-cloud-test");
            assertThat(directory.getParent()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir")).toRealPath());
            try (Connection c = DriverManager.getConnection(disposable.jdbcUrl(), "spnbox", "spnbox");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(directory).isNotEmptyDirectory();
        }
        assertThat(directory).doesNotExist();
    }

    @Test
    void stopDatabase_thenStartDatabase_servesTheSameDataOnTheSamePort(@TempDir Path ownDirectory) throws Exception {
        try (LocalCloud own = LocalCloud.start(LocalCloudSettings.onFreePorts(ownDirectory))) {
            try (Connection c = DriverManager.getConnection(own.jdbcUrl(), "spnbox", "spnbox");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE outage (v text)");
                s.execute("INSERT INTO outage VALUES ('committed before')");
            }
            int port = own.postgresPort();

            own.stopDatabase();
            assertThat(own.databaseRunning()).isFalse();
            assertThatThrownBy(() -> DriverManager.getConnection(own.jdbcUrl(), "spnbox", "spnbox").close())
                    .isInstanceOf(SQLException.class);

            own.startDatabase();
            assertThat(own.databaseRunning()).isTrue();
            assertThat(own.postgresPort()).isEqualTo(port);
            try (Connection c = DriverManager.getConnection(own.jdbcUrl(), "spnbox", "spnbox");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM outage")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("committed before");
            }
        }
    }

    private static Connection connectAsApplication(String password) throws SQLException {
        return DriverManager.getConnection(cloud.jdbcUrl(), cloud.settings().databaseUser(), password);
    }

    private static S3Client s3Client() {
        return S3Client.builder()
                .endpointOverride(cloud.objectStoreEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static S3Presigner presigner() {
        return S3Presigner.builder()
                .endpointOverride(cloud.objectStoreEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(
                cloud.settings().accessKey(), cloud.settings().secretKey()));
    }
}
