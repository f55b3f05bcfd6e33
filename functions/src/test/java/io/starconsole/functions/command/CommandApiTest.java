package io.starconsole.functions.command;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starconsole.functions.ApiTestSupport;
import io.starconsole.functions.auth.AdminRepository;
import io.starconsole.functions.auth.PasswordHasher;
import io.starconsole.functions.auth.Role;
import io.starconsole.functions.edgeapi.Edge;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.starconsole.functions.DbAssertions.one;
import static io.starconsole.functions.DbAssertions.query;
import static io.starconsole.functions.command.Queue.box;
import static io.starconsole.functions.command.Queue.command;
import static io.starconsole.functions.command.Queue.enqueue;
import static io.starconsole.functions.command.Queue.enqueueFor;
import static io.starconsole.functions.command.Queue.newGroup;
import static io.starconsole.functions.command.Queue.post;
import static io.starconsole.functions.command.Queue.toBox;
import static io.starconsole.functions.command.Queue.token;
import static io.starconsole.functions.command.Queue.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class CommandApiTest {

    static final String KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    static final String TUNNEL = KEY + "|allowed-ips|10.1.2.1/32,192.168.10.0/24|endpoint|121.162.94.203:59760|persistent-keepalive|25";
    static final String P2P = "groupname|test1|vip|172.16.1.1|lport|12345|ekey|" + KEY + "|server|13.125.60.224:49918";

    @Inject
    Pool pool;

    @Inject
    AdminRepository admins;

    @Inject
    PasswordHasher hasher;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "CHANGE_SPNBOX_NAME;spnbox-7.example.net",
            "101;correct horse battery",
            "REBOOT_SPNBOX;now",
            "GOTO_FACTORY_DEFAULT_STATE;now",
            "CHANGE_L3_SPN_LISTEN_PORT;51821",
            "ADD_L3_SPN_TUNNEL;" + TUNNEL,
            "REMOVE_L3_SPN_TUNNEL;" + TUNNEL,
            "108;now",
            "ADD_P2P_SPN_TUNNEL;" + P2P,
            "REMOVE_P2P_SPN_TUNNEL;" + P2P,
            "FLUSH_USER_CMDS;now"})
    void enqueue_eachTypeWithAValidArgument_isQueued(String type, String arguments) {
        Queue.TestBox box = box(newGroup());
        JsonPath view = enqueue(command(type, toBox(box), arguments));
        assertThat(view.getString("target.kind")).isEqualTo("box");
        assertThat(view.getString("target.value")).isEqualTo(Integer.toString(box.id()));
        assertThat(view.getInt("counts.total")).isEqualTo(1);
        assertThat(view.getString("priority")).isEqualTo("normal");
        assertThat(view.getString("createdBy")).isEqualTo("admin");
        assertThat(view.getInt("typeCode")).isBetween(100, 111);
        assertThat(view.getString("state")).isIn("queued", "succeeded");
    }

    @Test
    void enqueue_changeAddress_withAFreeAddressOfThePool_isQueued() {
        Queue.TestBox box = box(newGroup());
        String wanted = freeAddressNear(box.spnIp());
        JsonPath view = enqueue(command(104, toBox(box), wanted + "|255.255.0.0"));
        assertThat(view.getString("type")).isEqualTo("CHANGE_L3_SPN_IP_ADDRESS");
        assertThat(view.getString("arguments")).isEqualTo(wanted + "|255.255.0.0");
    }

    /** An address of the default pool no box holds (the last octet moved, checked in the table). */
    String freeAddressNear(String spnIp) {
        String[] octets = spnIp.split("\\.");
        for (int third = 250; third > 0; third--) {
            String candidate = octets[0] + "." + octets[1] + "." + third + "." + (7 + third % 200);
            if (query(pool, "SELECT 1 FROM address_leases WHERE address = $1::text::inet", candidate).size() == 0) {
                return candidate;
            }
        }
        throw new AssertionError("no free address");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "CHANGE_SPNBOX_NAME;-bad-;arguments",
            "CHANGE_SPNBOX_NAME;a..b;arguments",
            "CHANGE_SPNBOX_NAME;aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;arguments",
            "CHANGE_ADMIN_PASSWORD;short;arguments",
            "REBOOT_SPNBOX;later;arguments",
            "CHANGE_L3_SPN_IP_ADDRESS;10.99.0.7|255.0.255.0;arguments",
            "CHANGE_L3_SPN_IP_ADDRESS;10.99.0.7;arguments",
            "CHANGE_L3_SPN_IP_ADDRESS;10.99.300.7|255.255.0.0;arguments",
            "CHANGE_L3_SPN_LISTEN_PORT;0;arguments",
            "CHANGE_L3_SPN_LISTEN_PORT;65536;arguments",
            "ADD_L3_SPN_TUNNEL;abc|allowed-ips|10.1.2.1/32|endpoint|1.2.3.4:5|persistent-keepalive|25;arguments",
            "ADD_L3_SPN_TUNNEL;" + KEY + "|allowed-ips|10.1.2.1/33|endpoint|1.2.3.4:5|persistent-keepalive|25;arguments",
            "ADD_L3_SPN_TUNNEL;" + KEY + "|allowed-ips|10.1.2.1/32|endpoint|1.2.3.4:0|persistent-keepalive|25;arguments",
            "ADD_L3_SPN_TUNNEL;" + KEY + "|allowed-ips|10.1.2.1/32|endpoint|1.2.3.4:5|persistent-keepalive|70000;arguments",
            "ADD_P2P_SPN_TUNNEL;groupname|test1|vip|172.16.1.1|lport|12345|ekey|aaaabbbbcccc|server|13.125.60.224:49918;arguments",
            "ADD_P2P_SPN_TUNNEL;groupname|test1|vip|172.16.1|lport|12345|ekey|" + KEY + "|server|13.125.60.224:49918;arguments",
            "FLUSH_USER_CMDS;everything;arguments",
            "99;now;type",
            "DO_SOMETHING;now;type"})
    void enqueue_invalidArgument_namesTheField_andStoresNothing(String type, String arguments, String field) {
        Queue.TestBox box = box(newGroup());
        post(command(type, toBox(box), arguments)).then().statusCode(400)
                .body("code", equalTo("invalid_field")).body("field", equalTo(field));
        assertThat(commandsFor(box)).isZero();
    }

    @Test
    void enqueue_badEnvelope_namesEachField_andStoresNothing() {
        Queue.TestBox box = box(newGroup());
        Map<String, Object> both = command(102, Map.of("box", "1", "group", "x"), "now");
        post(both).then().statusCode(400).body("field", equalTo("target"));
        Map<String, Object> priority = command(102, toBox(box), "now");
        priority.put("priority", "urgent");
        post(priority).then().statusCode(400).body("field", equalTo("priority"));
        Map<String, Object> notBefore = command(102, toBox(box), "now");
        notBefore.put("notBefore", "tomorrow");
        post(notBefore).then().statusCode(400).body("field", equalTo("notBefore"));
        Map<String, Object> expired = command(102, toBox(box), "now");
        expired.put("expiresAt", "2001-01-01T00:00:00Z");
        post(expired).then().statusCode(400).body("field", equalTo("expiresAt"));
        Map<String, Object> peer = command(102, toBox(box), "now");
        peer.put("peer", Map.of("box", "1"));
        post(peer).then().statusCode(400).body("field", equalTo("peer"));
        assertThat(commandsFor(box)).isZero();
    }

    @Test
    void enqueue_unknownBox_is404_andEmptyGroup_is409() {
        post(command(102, Map.of("box", "999999"), "now")).then().statusCode(404);
        post(command(102, Map.of("box", Edge.newKey()), "now")).then().statusCode(404);
        post(command(102, Map.of("group", newGroup()), "now")).then().statusCode(409).body("code", equalTo("no_boxes"));
        Map<String, Object> late = command(102, Map.of("group", newGroup()), "now");
        late.put("includeLateJoiners", true);
        Queue.post(late).then().statusCode(201).body("state", equalTo("queued")).body("counts.total", equalTo(0));
    }

    @Test
    void enqueue_boxByPublicKeyOrSpnIp_findsTheBox() {
        Queue.TestBox box = box(newGroup());
        assertThat(enqueue(command(102, Map.of("box", box.key()), "now")).getString("target.value"))
                .isEqualTo(Integer.toString(box.id()));
        assertThat(enqueue(command(102, Map.of("box", box.spnIp()), "now")).getString("target.value"))
                .isEqualTo(Integer.toString(box.id()));
    }

    @Test
    void enqueue_changeAddress_takenByAnotherBox_is409() {
        String group = newGroup();
        Queue.TestBox box = box(group);
        Queue.TestBox other = box(group);
        post(command(104, toBox(box), other.spnIp() + "|255.255.0.0")).then().statusCode(409)
                .body("code", equalTo("address_taken"));
        assertThat(commandsFor(box)).isZero();
    }

    @Test
    void password_isStoredOnlyAsSha512Crypt_andShownRedacted() {
        Queue.TestBox box = box(newGroup());
        String password = "plain-" + UUID.randomUUID();
        JsonPath view = enqueue(command("CHANGE_ADMIN_PASSWORD", toBox(box), password));
        assertThat(view.getString("arguments")).isEqualTo("********");
        long id = view.getLong("id");

        String stored = one(pool, "SELECT contents FROM commands WHERE id = $1", id).getString("contents");
        assertThat(stored).startsWith("$6$").doesNotContain(password);
        assertThat(stored.split("\\$")[2]).hasSize(16);
        assertThat(org.apache.commons.codec.digest.Sha2Crypt.sha512Crypt(password.getBytes(), stored)).isEqualTo(stored);
        assertThat(query(pool, "SELECT 1 FROM audit_log WHERE detail::text LIKE $1", "%" + password + "%").size()).isZero();
        assertThat(query(pool, "SELECT 1 FROM commands WHERE contents LIKE $1", "%" + password + "%").size()).isZero();

        given().auth().oauth2(token()).get("/api/v1/boxes/" + box.id() + "/commands").then().statusCode(200)
                .body("items[0].arguments", equalTo("********")).body("items[0].type", equalTo("CHANGE_ADMIN_PASSWORD"));
        // The box gets the hash, to apply with chpasswd -e.
        assertThat(Queue.lease(box).getString("command.contents")).isEqualTo(stored);
    }

    @Test
    void enqueue_isAudited_withActorTypeAndTarget() {
        Queue.TestBox box = box(newGroup());
        long id = enqueueFor(box, "REBOOT_SPNBOX", "now");
        given().auth().oauth2(token()).queryParam("action", "command.enqueued").get("/api/v1/audit")
                .then().statusCode(200)
                .body("items.find { it.target == 'command:" + id + "' }.actor", equalTo("admin"))
                .body("items.find { it.target == 'command:" + id + "' }.detail.type", equalTo("REBOOT_SPNBOX"));
    }

    @Test
    void viewer_canRead_butNotEnqueueOrCancel() {
        String user = "viewer-" + UUID.randomUUID().toString().substring(0, 8);
        admins.insertIfAbsent(user, hasher.hash("viewer-password"), Role.VIEWER).await().atMost(Duration.ofSeconds(10));
        String viewer = ApiTestSupport.login(user, "viewer-password");
        Queue.TestBox box = box(newGroup());
        long id = enqueueFor(box, 102, "now");
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(command(102, toBox(box), "now"))
                .post("/api/v1/commands").then().statusCode(403);
        given().auth().oauth2(viewer).post("/api/v1/commands/" + id + "/cancel").then().statusCode(403);
        given().auth().oauth2(viewer).get("/api/v1/commands/" + id).then().statusCode(200);
        given().auth().oauth2(viewer).get("/api/v1/audit").then().statusCode(403);
    }

    @Test
    void supersede_newerQueuedChangeOfTheSameSetting_marksTheOlderSuperseded() {
        Queue.TestBox box = box(newGroup());
        long older = enqueueFor(box, 100, "first-name");
        long reboot = enqueueFor(box, 102, "now");
        long newer = enqueueFor(box, 100, "second-name");
        assertThat(view(older).getString("state")).isEqualTo("superseded");
        assertThat(view(older).getInt("counts.superseded")).isEqualTo(1);
        assertThat(view(reboot).getString("state")).isEqualTo("queued");
        assertThat(view(newer).getString("state")).isEqualTo("queued");
    }

    @Test
    void flush_cancelsWhatIsQueuedForItsBoxes_andSucceedsWithoutDelivery() {
        String group = newGroup();
        Queue.TestBox box = box(group);
        Queue.TestBox other = box(newGroup());
        long a = enqueueFor(box, 102, "now");
        long b = enqueueFor(box, 106, CommandApiTest.TUNNEL);
        long untouched = enqueueFor(other, 102, "now");
        JsonPath flush = enqueue(command("FLUSH_USER_CMDS", Map.of("group", group), "now"));
        assertThat(flush.getString("state")).isEqualTo("succeeded");
        assertThat(view(a).getString("state")).isEqualTo("cancelled");
        assertThat(view(b).getString("state")).isEqualTo("cancelled");
        assertThat(view(untouched).getString("state")).isEqualTo("queued");
        assertThat(Queue.lease(box).getString("command")).isNull();
    }

    @Test
    void cancel_cancelsQueuedDeliveries_andIsAudited() {
        String group = newGroup();
        Queue.TestBox first = box(group);
        box(group);
        long id = enqueue(command(102, Map.of("group", group), "now")).getLong("id");
        long leased = Queue.lease(first).getLong("command.commandId");
        assertThat(leased).isEqualTo(id);

        given().auth().oauth2(token()).post("/api/v1/commands/" + id + "/cancel").then().statusCode(200)
                .body("counts.cancelled", equalTo(1)).body("counts.delivered", equalTo(1))
                .body("state", equalTo("in_progress"));
        Queue.succeed(first, id);
        assertThat(view(id).getString("state")).isEqualTo("partial");
        assertThat(query(pool, "SELECT 1 FROM audit_log WHERE action = 'command.cancelled' AND target = $1",
                "command:" + id).size()).isEqualTo(1);
        given().auth().oauth2(token()).post("/api/v1/commands/999999999/cancel").then().statusCode(404);
    }

    @Test
    void lists_filterAndPage_andPreviewCountsTheTarget() {
        String group = newGroup();
        Queue.TestBox a = box(group);
        box(group);
        long id = enqueue(command(105, Map.of("group", group), "51821")).getLong("id");
        given().auth().oauth2(token()).queryParam("group", group).get("/api/v1/commands/preview")
                .then().statusCode(200).body("boxes", equalTo(2));
        given().auth().oauth2(token()).queryParam("box", a.id()).queryParam("type", "105")
                .get("/api/v1/commands").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo((int) id))
                .body("items[0].counts.queued", equalTo(2));
        given().auth().oauth2(token()).queryParam("state", "queued").queryParam("size", 1)
                .get("/api/v1/commands/" + id + "/deliveries").then().statusCode(200)
                .body("total", equalTo(2)).body("items.size()", equalTo(1))
                .body("items[0].commandId", equalTo((int) id)).body("items[0].state", equalTo("queued"))
                .body("items[0].attempts", equalTo(0));
        given().auth().oauth2(token()).get("/api/v1/boxes/" + a.id() + "/commands").then().statusCode(200)
                .body("items[0].type", equalTo("CHANGE_L3_SPN_LISTEN_PORT")).body("items[0].arguments", equalTo("51821"))
                .body("items[0].priority", equalTo("normal"));
        given().auth().oauth2(token()).queryParam("state", "nonsense").get("/api/v1/commands").then().statusCode(400)
                .body("field", equalTo("state"));
    }

    private long commandsFor(Queue.TestBox box) {
        return one(pool, "SELECT count(*) FROM commands WHERE target_value = $1", Integer.toString(box.id())).getLong(0);
    }

    static Map<String, Object> withPriority(Map<String, Object> body, String priority) {
        Map<String, Object> copy = new HashMap<>(body);
        copy.put("priority", priority);
        return copy;
    }

    static List<Object> none() {
        return List.of();
    }
}
