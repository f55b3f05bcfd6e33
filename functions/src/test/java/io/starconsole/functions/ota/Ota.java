package io.starconsole.functions.ota;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.starconsole.firmware.ChunkedCipher;
import io.starconsole.firmware.Manifest;
import io.starconsole.functions.ApiTestSupport;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** OTA test helpers: a real encrypted image in the bucket, its manifest, publishing as the admin. */
final class Ota {

    static final String BUCKET = "star-console-ota";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static String token;

    private Ota() {
    }

    static String token() {
        if (token == null) {
            token = ApiTestSupport.adminToken();
        }
        return token;
    }

    static String newModel() {
        return "sim-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An uploaded image: the manifest that describes it, its key and its encrypted bytes. */
    record Image(Manifest manifest, byte[] releaseKey, byte[] encrypted) {
        byte[] canonical() {
            return manifest.toCanonicalJson();
        }
    }

    static Image upload(S3Client s3, String model, String version, int plainSize) {
        byte[] plain = new byte[plainSize];
        RANDOM.nextBytes(plain);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedCipher.encrypt(new ByteArrayInputStream(plain), out, key, 4096);
        byte[] encrypted = out.toByteArray();
        String imageKey = "firmware/" + model + "/" + version + "/image.enc";
        s3.putObject(b -> b.bucket(BUCKET).key(imageKey), RequestBody.fromBytes(encrypted));
        Manifest manifest = new Manifest(1, model, version, plain.length, sha512(plain), encrypted.length,
                sha512(encrypted), "AES-256-GCM-CHUNKED-1", 4096, imageKey, Instant.parse("2030-01-01T00:00:00Z"),
                List.of(model));
        return new Image(manifest, key, encrypted);
    }

    static String sha512(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response publish(byte[] manifest, byte[] releaseKey) {
        return given().auth().oauth2(token()).contentType(ContentType.JSON)
                .body(Map.of("manifest", java.util.Base64.getEncoder().encodeToString(manifest),
                        "releaseKey", java.util.Base64.getEncoder().encodeToString(releaseKey)))
                .post("/api/v1/releases");
    }

    /** A published release of a new model: its id and image. */
    record Release(long id, Image image) {
    }

    static Release published(S3Client s3, String version) {
        Image image = upload(s3, newModel(), version, 10_000);
        long id = publish(image.canonical(), image.releaseKey()).then().statusCode(201).extract().jsonPath().getLong("id");
        return new Release(id, image);
    }

    static Response startRollout(Map<String, Object> body) {
        return given().auth().oauth2(token()).contentType(ContentType.JSON).body(body).post("/api/v1/rollouts");
    }

    static JsonPath rollout(long id) {
        return given().auth().oauth2(token()).get("/api/v1/rollouts/" + id).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath rolloutBoxes(long id) {
        return given().auth().oauth2(token()).queryParam("size", 500).get("/api/v1/rollouts/" + id + "/boxes")
                .then().statusCode(200).extract().jsonPath();
    }
}
