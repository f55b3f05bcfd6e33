package io.starconsole.functions.edgeapi;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Calls the internal API as an edge would. Every helper makes its own keys, so tests share nothing. */
public final class Edge {

    public static final String SECRET = "test-edge-secret";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger MACS = new AtomicInteger();

    private Edge() {
    }

    public static RequestSpecification call() {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + SECRET);
    }

    public static String newKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** A HELLO with sensible defaults; override fields in {@code hello}. */
    public static Map<String, Object> hello(String group, String requestedSpnIp) {
        int n = MACS.incrementAndGet();
        Map<String, Object> hello = new HashMap<>();
        hello.put("groupName", group);
        hello.put("idString", "box-" + n);
        hello.put("macAddress", String.format("02:00:00:%02x:%02x:%02x", (n >> 16) & 255, (n >> 8) & 255, n & 255));
        hello.put("requestedSpnIp", requestedSpnIp);
        hello.put("requestedMask", 16);
        hello.put("listenPort", 51820);
        hello.put("endpointPort", 51820);
        hello.put("allowedIps", "10.1.2.1/32");
        hello.put("firmwareVersion", "3.0.1");
        hello.put("enrolmentToken", null);
        return hello;
    }

    public static Map<String, Object> register(String key, String realIp, int realPort, Map<String, Object> hello) {
        Map<String, Object> body = new HashMap<>();
        body.put("publicKey", key);
        body.put("edgeId", "edge-1");
        body.put("realIp", realIp);
        body.put("realPort", realPort);
        body.put("reconnect", false);
        body.put("hello", hello);
        return body;
    }

    public static JsonPath registerBox(String key, String group, String requestedSpnIp) {
        return registerBox(register(key, "203.0.113.7", 40000, hello(group, requestedSpnIp)));
    }

    public static JsonPath registerBox(Map<String, Object> body) {
        return call().body(body).post("/internal/v1/register").then().statusCode(200).extract().jsonPath();
    }

    /** One answer of the wake-up feed, at once: {@code cursor} and {@code boxes}. */
    public static JsonPath feed(String edgeId, String cursor) {
        return call().body(Map.of("edgeId", edgeId, "after", cursor)).post("/internal/v1/commands/pending")
                .then().statusCode(200).extract().jsonPath();
    }

    /** The feed's cursor past everything queued for the edge's boxes so far (read page by page). */
    public static String feedPosition(String edgeId) {
        String cursor = "";
        for (int page = 0; page < 1_000; page++) {
            JsonPath answer = feed(edgeId, cursor);
            cursor = answer.getString("cursor");
            if (answer.getList("boxes").isEmpty()) {
                return cursor;
            }
        }
        throw new AssertionError("the feed kept naming boxes for 1,000 pages");
    }
}
