package io.starconsole.functions.command;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.starconsole.functions.ApiTestSupport;
import io.starconsole.functions.edgeapi.Edge;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Helpers for the queue's tests: boxes in fresh groups, enqueue as the admin, lease and report as an edge. */
final class Queue {

    private static String token;

    private Queue() {
    }

    static String token() {
        if (token == null) {
            token = ApiTestSupport.adminToken();
        }
        return token;
    }

    /** A group no other test uses. */
    static String newGroup() {
        return "g-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A registered, accepted box: its key and id. */
    record TestBox(String key, int id, String spnIp) {
    }

    static TestBox box(String group) {
        String key = Edge.newKey();
        JsonPath answer = Edge.registerBox(key, group, null);
        return new TestBox(key, answer.getInt("boxId"), answer.getString("spnIp"));
    }

    static Map<String, Object> command(Object type, Map<String, Object> target, String arguments) {
        Map<String, Object> body = new HashMap<>();
        body.put("type", type);
        body.put("target", target);
        body.put("arguments", arguments);
        return body;
    }

    static Map<String, Object> toBox(TestBox box) {
        return Map.of("box", Integer.toString(box.id()));
    }

    static Response post(Map<String, Object> body) {
        return given().auth().oauth2(token()).contentType(ContentType.JSON).body(body).post("/api/v1/commands");
    }

    static JsonPath enqueue(Map<String, Object> body) {
        return post(body).then().statusCode(201).extract().jsonPath();
    }

    static long enqueueFor(TestBox box, Object type, String arguments) {
        return enqueue(command(type, toBox(box), arguments)).getLong("id");
    }

    static JsonPath view(long id) {
        return given().auth().oauth2(token()).get("/api/v1/commands/" + id).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath lease(TestBox box) {
        return lease(box.key());
    }

    static JsonPath lease(String key) {
        return Edge.call().body(Map.of("publicKey", key, "edgeId", "edge-1")).post("/internal/v1/commands/lease")
                .then().statusCode(200).extract().jsonPath();
    }

    static Response report(String key, long commandId, String state, String message) {
        Map<String, Object> body = new HashMap<>();
        body.put("publicKey", key);
        body.put("commandId", commandId);
        body.put("state", state);
        body.put("message", message);
        return Edge.call().body(body).post("/internal/v1/commands/result");
    }

    static void succeed(TestBox box, long commandId) {
        report(box.key(), commandId, "succeeded", "ok").then().statusCode(204);
    }
}
