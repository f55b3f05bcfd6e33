package io.starconsole.functions.ota;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.starconsole.firmware.Signatures;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class ReleaseApiTest {

    @Inject
    S3Client s3;

    @Test
    void publish_signsTheManifest_withTheKeyAgentsTrust_andStoresItNextToTheImage() {
        Ota.Image image = Ota.upload(s3, Ota.newModel(), "2.0.0", 20_000);
        JsonPath release = Ota.publish(image.canonical(), image.releaseKey()).then().statusCode(201)
                .body("state", equalTo("published")).body("model", equalTo(image.manifest().model()))
                .body("version", equalTo("2.0.0")).body("createdBy", equalTo("admin"))
                .extract().jsonPath();
        assertThat(release.getString("releaseKey")).isNull();
        String manifestKey = release.getString("manifestKey");
        assertThat(manifestKey).isEqualTo("firmware/" + image.manifest().model() + "/2.0.0/manifest.json");
        assertThat(bytes(manifestKey)).isEqualTo(image.canonical());

        List<Map<String, Object>> keys = given().auth().oauth2(Ota.token()).get("/api/v1/ota/keys")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(keys).hasSize(1);
        String keyId = (String) keys.get(0).get("keyId");
        assertThat(keys.get(0).get("current")).isEqualTo(true);
        assertThat((String) keys.get(0).get("publicKeyPem")).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(release.getList("signatureKeyIds")).containsExactly(keyId);
        PublicKey trusted = Signatures.publicKeyFromRaw(Base64.getDecoder().decode((String) keys.get(0).get("publicKey")));
        byte[] signature = bytes(manifestKey + "." + keyId + ".sig");
        assertThat(signature).hasSize(64);
        assertThat(Signatures.verifyAny(image.canonical(), Map.of(keyId, signature), Map.of(keyId, trusted))).isTrue();

        Ota.publish(image.canonical(), image.releaseKey()).then().statusCode(409).body("code", equalTo("release_exists"));
        given().auth().oauth2(Ota.token()).get("/api/v1/releases/" + release.getLong("id")).then().statusCode(200)
                .body("signatureKeyIds[0]", equalTo(keyId));
        given().auth().oauth2(Ota.token()).queryParam("model", image.manifest().model()).get("/api/v1/releases")
                .then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void publish_imageMissingOrOfAnotherSize_isRefused() {
        Ota.Image image = Ota.upload(s3, Ota.newModel(), "1.0.0", 1000);
        s3.deleteObject(b -> b.bucket(Ota.BUCKET).key(image.manifest().imageKey()));
        Ota.publish(image.canonical(), image.releaseKey()).then().statusCode(400).body("code", equalTo("image_missing"));

        Ota.Image other = Ota.upload(s3, Ota.newModel(), "1.0.0", 1000);
        byte[] longer = java.util.Arrays.copyOf(other.encrypted(), other.encrypted().length + 1);
        s3.putObject(b -> b.bucket(Ota.BUCKET).key(other.manifest().imageKey()),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(longer));
        Ota.publish(other.canonical(), other.releaseKey()).then().statusCode(400).body("code", equalTo("image_size_mismatch"));
        given().auth().oauth2(Ota.token()).queryParam("model", other.manifest().model()).get("/api/v1/releases")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void publish_pathTraversalInModelOrVersion_isRefused_andNothingStored() {
        Ota.Image image = Ota.upload(s3, Ota.newModel(), "1.0.0", 1000);
        String model = image.manifest().model();
        String json = new String(image.canonical(), StandardCharsets.UTF_8);
        for (String bad : List.of(json.replace("\"model\":\"" + model + "\"", "\"model\":\"../x\""),
                json.replace("\"version\":\"1.0.0\"", "\"version\":\"../x\""),
                json.replace("\"version\":\"1.0.0\"", "\"version\":\"1.0/../../x\""))) {
            Ota.publish(bad.getBytes(StandardCharsets.UTF_8), image.releaseKey()).then().statusCode(400)
                    .body("field", equalTo("manifest"));
        }
        Ota.publish(image.canonical(), new byte[31]).then().statusCode(400).body("field", equalTo("releaseKey"));
        assertThatThrownBy(() -> bytes("firmware/" + model + "/1.0.0/manifest.json")).isInstanceOf(NoSuchKeyException.class);
        assertThat(s3.listObjectsV2(b -> b.bucket(Ota.BUCKET).prefix("firmware/x")).contents()).isEmpty();
    }

    @Test
    void withdraw_marksTheRelease_andNoRolloutStartsFromIt() {
        Ota.Release release = Ota.published(s3, "3.1.0");
        given().auth().oauth2(Ota.token()).post("/api/v1/releases/" + release.id() + "/withdraw").then().statusCode(200)
                .body("state", equalTo("withdrawn")).body("withdrawnBy", equalTo("admin"));
        given().auth().oauth2(Ota.token()).post("/api/v1/releases/" + release.id() + "/withdraw").then().statusCode(200)
                .body("state", equalTo("withdrawn"));
        Ota.startRollout(Map.of("releaseId", release.id(), "target", Map.of("all", true))).then().statusCode(409)
                .body("code", equalTo("release_withdrawn"));
        given().auth().oauth2(Ota.token()).queryParam("action", "release.withdrawn").get("/api/v1/audit")
                .then().statusCode(200);
    }

    private byte[] bytes(String key) {
        ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(Ota.BUCKET).key(key));
        return object.asByteArray();
    }
}
