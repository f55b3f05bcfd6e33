package io.starconsole.functions.cloud;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The functions' own clients against the real PostgreSQL and S3 API of the local cloud. */
@QuarkusTest
class LocalCloudIntegrationTest {

    @Inject
    Pool pool;

    @Inject
    S3Client s3;

    @Inject
    S3Presigner presigner;

    @ConfigProperty(name = "star-console.object-store.bucket")
    String bucket;

    @Test
    void reactiveClient_sqlRoundTrip_readsBackWhatItWrote() {
        String name = "box-" + UUID.randomUUID();
        Row row = pool.preparedQuery("INSERT INTO audit_log (actor, action, target) VALUES ($1, 'test.round_trip', $2)"
                        + " RETURNING id, target")
                .execute(Tuple.of("test", name))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next();
        String readBack = pool.preparedQuery("SELECT target FROM audit_log WHERE id = $1")
                .execute(Tuple.of(row.getLong("id")))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
        assertThat(readBack).isEqualTo(name);
    }

    @Test
    void schema_spnclients_isTheSeedTableWithItsConstraints() {
        List<String> columns = new ArrayList<>();
        pool.query("SELECT column_name, data_type, is_nullable FROM information_schema.columns"
                        + " WHERE table_name = 'spnclients' ORDER BY ordinal_position")
                .execute().await().atMost(Duration.ofSeconds(10))
                .forEach(r -> columns.add(r.getString(0) + " " + r.getString(1) + " " + r.getString(2)));
        assertThat(columns).startsWith(
                "id integer NO",
                "realip text NO",
                "vpnip text NO",
                "publickey text NO",
                "edport smallint NO",
                "groupname text YES",
                "allowed_ips text YES",
                "mac_addr text NO",
                "spnbox_id text YES",
                "created_date date NO");
        String unique = pool.query("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                        + " WHERE conname = 'spnclients_realip_vpnip_key'")
                .execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
        assertThat(unique).isEqualTo("UNIQUE (realip, vpnip)");
    }

    @Test
    void objectStore_putGetAndPresignedGet_throughTheFunctionsClients() throws Exception {
        String key = "firmware/test-model/" + UUID.randomUUID() + "/image.bin";
        byte[] content = "an encrypted image".getBytes(StandardCharsets.UTF_8);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()).isEqualTo(content);

        URI url = presigner.presignGetObject(GetObjectPresignRequest.builder()
                .signatureDuration(Duration.ofMinutes(2))
                .getObjectRequest(b -> b.bucket(bucket).key(key))
                .build()).url().toURI();
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
    }
}
