package io.starconsole.edge.jedi;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.starconsole.edge.transport.EdgeLoop;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.AnsSpnInfo;
import io.starconsole.protocol.message.AskSpnInfo;
import io.starconsole.protocol.message.AnsUserCmd;
import io.starconsole.protocol.message.AskUserCmd;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import io.starconsole.protocol.message.Bye;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OtaState;
import io.starconsole.protocol.message.OtaStatus;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import io.starconsole.protocol.message.WakeUp;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The edge over real UDP, with a stand-in for the functions' internal API. */
@QuarkusTest
@QuarkusTestResource(FunctionsStandIn.class)
class EdgeProtocolTest {

    private static final String OK_NEWIP = """
            {"outcome":"OK_NEWIP","boxId":7,"spnIp":"10.99.0.5","mask":"16","nokReason":null,"message":null,
             "commandsPending":false}""";

    @Inject
    EdgeLoop loop;

    @Inject
    KeyPair edgeKeys;

    @Inject
    DropCounters drops;

    @Inject
    MeterRegistry meters;

    @BeforeEach
    void reset() {
        FunctionsStandIn.reset();
    }

    private TestBox box() throws Exception {
        return new TestBox(edgeKeys.publicKey(), loop.localPort());
    }

    @Test
    void hello_isRelayedWithTheProvenKey_andAnsweredWithTheNewAddress() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        try (TestBox box = box()) {
            Message answer = box.hello("factory-a");
            assertThat(answer).isInstanceOf(OkNewIp.class);
            assertThat(((OkNewIp) answer).spnIp().getHostAddress()).isEqualTo("10.99.0.5");
            assertThat(((OkNewIp) answer).prefixLength()).isEqualTo(16);

            FunctionsStandIn.Call call = FunctionsStandIn.calls("register").get(0);
            assertThat(call.authorization()).isEqualTo("Bearer " + FunctionsStandIn.SECRET);
            assertThat(call.body().get("publicKey").asText()).isEqualTo(box.publicKey());
            assertThat(call.body().get("realIp").asText()).isEqualTo("127.0.0.1");
            assertThat(call.body().get("reconnect").asBoolean()).isFalse();
            assertThat(call.body().at("/hello/groupName").asText()).isEqualTo("factory-a");
            assertThat(call.body().at("/hello/macAddress").asText()).isEqualTo("02:00:00:00:00:01");
        }
    }

    @Test
    void pings_areAnsweredFromMemory_andRelayedInBatches() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        FunctionsStandIn.ANSWERS.put("presence", "{\"accepted\":1,\"boxesWithWork\":[]}");
        try (TestBox box = box()) {
            box.hello("g");
            for (int i = 1; i <= 20; i++) {
                Message pong = box.request(new Ping(i));
                assertThat(pong).isEqualTo(new Pong(i, 0, ((Pong) pong).edgeTimeMillis()));
            }
            // A batch of an earlier test's boxes may still arrive after the reset: only this box's count.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (heartbeatsOf(box).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<JsonNode> heartbeats = heartbeatsOf(box);
            assertThat(heartbeats).as("relayed").isNotEmpty();
            assertThat(heartbeats.size()).as("20 PINGs, far fewer relay calls; the latest heartbeat per box, not"
                    + " one per PING").isLessThanOrEqualTo(3);
        }
    }

    private static final String OK = """
            {"outcome":"OK","boxId":7,"spnIp":"10.99.0.5","mask":"16","nokReason":null,"message":null,
             "commandsPending":false}""";

    @Test
    void reconnect_ofABoxTheFunctionsSaidOkTo_sameAddressAndInformation_isAnsweredHere() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK);
        long byEdgeBefore = answered("edge");
        long byFunctionsBefore = answered("functions");
        try (TestBox box = box()) {
            assertThat(box.hello("g")).isEqualTo(new Ok(MessageType.HELLO));
            assertThat(box.reconnect("g")).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(box.reconnect("g")).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(FunctionsStandIn.calls("register")).as("only the HELLO went to the functions").hasSize(1);
            assertThat(box.request(new Ping(1))).as("the new session works").isInstanceOf(Pong.class);
        }
        assertThat(answered("edge") - byEdgeBefore).as("answers timed as the edge's").isEqualTo(2);
        assertThat(answered("functions") - byFunctionsBefore).as("answers timed as the functions'").isEqualTo(1);
    }

    private static void assertNok(Message answer, NokReason reason) {
        assertThat(answer).isInstanceOf(Nok.class);
        assertThat(((Nok) answer).reason()).isEqualTo(reason);
    }

    /** Handshakes answered so far, by who decided the answer ({@code edge_handshakes_answered_seconds}). */
    private long answered(String by) {
        return meters.get("edge.handshakes.answered").tag("answered_by", by).timer().count();
    }

    @Test
    void boxesOfBothVersions_registerPingAndReKey_eachCountedByItsVersion() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK);
        double jedi2Before = sessionsStarted(JediVersion.JEDI_2);
        double jedi3Before = sessionsStarted(JediVersion.JEDI_3);
        try (TestBox older = new TestBox(edgeKeys.publicKey(), loop.localPort(), JediVersion.JEDI_2);
             TestBox current = box()) {
            assertThat(older.hello("g")).isEqualTo(new Ok(MessageType.HELLO));
            assertThat(current.hello("g")).isEqualTo(new Ok(MessageType.HELLO));
            assertThat(older.request(new Ping(1))).isInstanceOf(Pong.class);
            assertThat(current.request(new Ping(1))).isInstanceOf(Pong.class);
            assertThat(older.reconnect("g")).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(older.request(new Ping(2))).isInstanceOf(Pong.class);

            assertThat(older.session.version()).isEqualTo(JediVersion.JEDI_2);
            assertThat(current.session.version()).isEqualTo(JediVersion.JEDI_3);
        }
        assertThat(sessionsStarted(JediVersion.JEDI_2) - jedi2Before).isEqualTo(2.0);
        assertThat(sessionsStarted(JediVersion.JEDI_3) - jedi3Before).isEqualTo(1.0);
    }

    private double sessionsStarted(JediVersion version) {
        return meters.get("edge.sessions.started").tag("jedi", String.valueOf(version.wireByte())).counter().count();
    }

    private double repeatedResults() {
        return meters.get("edge.box.requests.repeated").tag("type", "command_result").counter().count();
    }

    @Test
    void reconnect_withOtherInformation_orFromAnotherPort_goesToTheFunctions() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK);
        try (TestBox box = box()) {
            box.hello("g");
            assertThat(box.reconnect("h")).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(FunctionsStandIn.calls("register")).as("another group").hasSize(2);
            box.moveToNewPort();
            assertThat(box.reconnect("h")).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(FunctionsStandIn.calls("register")).as("another port").hasSize(3);
            assertThat(box.reconnect("h")).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(FunctionsStandIn.calls("register")).as("nothing new again: answered here").hasSize(3);
        }
    }

    /**
     * A box told OK_NEWIP asks for the address it was given from its next RECONNECT on: that re-key
     * changes nothing the registry knows and is answered here; one asking for another address is not.
     */
    @Test
    void reconnect_ofABoxToldANewAddress_isAnsweredHereWhenItAsksForThatAddress() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        try (TestBox box = box()) {
            Message granted = box.hello("g");
            assertThat(granted).isInstanceOf(OkNewIp.class);
            assertThat(box.reconnect("g", (OkNewIp) granted)).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(FunctionsStandIn.calls("register")).as("the granted address: answered here").hasSize(1);
            assertThat(box.reconnect("g")).as("asking for no address").isInstanceOf(OkNewIp.class);
            assertThat(FunctionsStandIn.calls("register")).as("another address: relayed").hasSize(2);
            assertThat(box.reconnect("g", (OkNewIp) granted)).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(FunctionsStandIn.calls("register")).hasSize(2);
        }
    }

    @Test
    void boxesTheRegistryNoLongerServes_loseTheirSession_andReconnectThroughTheFunctions() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK);
        try (TestBox box = box(); TestBox other = box()) {
            box.hello("g");
            other.hello("g");
            FunctionsStandIn.ANSWERS.put("presence",
                    "{\"accepted\":1,\"boxesWithWork\":[],\"boxesNotServed\":[\"" + box.publicKey() + "\"]}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            Message told = null;
            for (int i = 1; !(told instanceof Nok) && System.nanoTime() < deadline; i++) {
                told = box.request(new Ping(i)); // PONGs until the presence answer names it
                Thread.sleep(50);
            }
            assertThat(told).as("told on its session that it must register again")
                    .isEqualTo(new Nok(MessageType.PING, NokReason.UNKNOWN_SESSION,
                            "the registry no longer serves this box; register again"));
            box.sendSealed(new Ping(1000));
            assertThat(box.silentFor(500)).as("its session is gone").isTrue();
            assertThat(other.request(new Ping(1))).as("other boxes keep theirs").isInstanceOf(Pong.class);

            FunctionsStandIn.ANSWERS.put("register", """
                    {"outcome":"NOK","boxId":7,"spnIp":null,"mask":null,"nokReason":"DENIED",
                     "message":"an operator rejected this box","commandsPending":false}""");
            int before = FunctionsStandIn.calls("register").size();
            assertNok(box.reconnect("g"), NokReason.DENIED);
            assertThat(FunctionsStandIn.calls("register")).hasSize(before + 1);
        }
    }

    /**
     * While the functions are down a new box is told to try again, but boxes in session keep it:
     * PINGs are answered from memory, and a re-key that changes nothing is answered here (a box
     * re-keys every 120 s and its old session lapses at 180 s: were its re-keys refused meanwhile,
     * every box would lose its session a few minutes into the outage).
     */
    @Test
    void functionsDown_registrationGetsTryAgain_butPingsAndRekeysAreStillAnswered() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK);
        try (TestBox online = box(); TestBox newcomer = box()) {
            online.hello("g");
            FunctionsStandIn.failWithStatus = 503;

            assertNok(newcomer.hello("g"), NokReason.TRY_AGAIN);

            assertThat(online.request(new Ping(1))).isInstanceOf(Pong.class);
            assertThat(online.reconnect("g")).isEqualTo(new Ok(MessageType.RECONNECT));
            assertThat(online.request(new Ping(2))).isInstanceOf(Pong.class);

            FunctionsStandIn.failWithStatus = 0;
            FunctionsStandIn.ANSWERS.put("presence", "{\"accepted\":1,\"boxesWithWork\":[]}");
            online.request(new Ping(3));
            awaitCall("presence");
            assertThat(FunctionsStandIn.calls("presence").stream()
                    .anyMatch(c -> c.body().get("heartbeats").toString().contains(online.publicKey()))).isTrue();
        }
    }

    @Test
    void functionsSlowerThanTheBatchInterval_presenceKeepsFlowingAfterwards() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        FunctionsStandIn.ANSWERS.put("presence", "{\"accepted\":1,\"boxesWithWork\":[]}");
        try (TestBox box = box()) {
            box.hello("g");
            FunctionsStandIn.delayMillis = 800; // four batch intervals per call
            for (int i = 1; i <= 10; i++) {
                assertThat(box.request(new Ping(i))).isInstanceOf(Pong.class);
                Thread.sleep(200);
            }
            FunctionsStandIn.delayMillis = 0;
            Thread.sleep(1000); // the slow calls end
            int before = FunctionsStandIn.calls("presence").size();
            box.request(new Ping(11));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (FunctionsStandIn.calls("presence").size() == before && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(FunctionsStandIn.calls("presence")).as("heartbeats still relayed").hasSizeGreaterThan(before);
        }
    }

    /** Registers {@code box}; its first heartbeat's batch answer names it among the boxes with work. */
    private static void wokenByTheRegistry(TestBox box) throws Exception {
        box.hello("g");
        FunctionsStandIn.ANSWERS.put("presence", "{\"accepted\":1,\"boxesWithWork\":[\"" + box.publicKey() + "\"]}");
        assertThat(box.request(new Ping(1))).isInstanceOf(Pong.class);
        assertThat(box.receiveMessage()).isInstanceOf(WakeUp.class);
    }

    @Test
    void registryReportsWork_boxIsWokenAndPongsCarryTheFlag() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        try (TestBox box = box()) {
            wokenByTheRegistry(box);
            Pong next = (Pong) box.request(new Ping(2));
            assertThat(next.commandsPending()).isTrue();
        }
    }

    /**
     * The lease's "more pending" can be read before new work commits, and its answer clears the flag:
     * work reported while the lease is on its way must wake the box though its PONGs are flagged
     * already, or the box (told nothing) would hear of it only from the registry's next report.
     */
    @Test
    void workReportedWhileTheBoxsLeaseIsOnItsWay_wakesTheBoxAgain() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        FunctionsStandIn.ANSWERS.put("commands/lease", LEASED_RENAME);
        try (TestBox box = box()) {
            wokenByTheRegistry(box);
            FunctionsStandIn.leaseDelayMillis = 1500;
            box.sendSealed(new AskUserCmd());
            assertThat(box.request(new Ping(2))).isInstanceOf(Pong.class); // its heartbeat: the registry reports work again
            assertThat(box.receiveMessage()).as("woken while its lease is on its way").isInstanceOf(WakeUp.class);
            Message answer = box.receiveMessage();
            assertThat(answer).isInstanceOf(AnsUserCmd.class);
            assertThat(((AnsUserCmd) answer).command().orElseThrow().id()).isEqualTo(42);
        }
    }

    @Test
    void manyBoxesAskingAtOnce_areRelayedInBatches_aFewLeasesAtATime_andEachGetsItsAnswer() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        FunctionsStandIn.ANSWERS.put("commands/lease", "{\"command\":null,\"morePending\":false}");
        List<TestBox> boxes = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                TestBox box = box();
                boxes.add(box);
                box.hello("g");
            }
            FunctionsStandIn.delayMillis = 300;
            for (TestBox box : boxes) {
                box.sendSealed(new AskUserCmd());
            }
            for (TestBox box : boxes) {
                assertThat(box.receiveMessage()).as("an answer, not TRY_AGAIN").isInstanceOf(AnsUserCmd.class);
            }
            assertThat(FunctionsStandIn.calls("commands/lease")).hasSize(6);
            assertThat(FunctionsStandIn.calls("commands/lease").stream().map(c -> c.body().get("publicKey").asText()))
                    .containsExactlyInAnyOrderElementsOf(boxes.stream().map(TestBox::publicKey).toList());
            List<FunctionsStandIn.Call> batches = FunctionsStandIn.calls("commands/lease-batch");
            assertThat(batches).as("the asks that waited went together").hasSizeLessThan(6);
            assertThat(batches).allSatisfy(batch -> assertThat(batch.body().get("leases").size()).isLessThanOrEqualTo(4));
            assertThat(FunctionsStandIn.MOST_LEASES_AT_ONCE.get()).as("max-leases-in-flight = 4 in tests").isEqualTo(4);
        } finally {
            boxes.forEach(TestBox::close);
        }
    }

    /** The functions' lease: command 42, CHANGE_SPNBOX_NAME to "gate-7". */
    private static final String LEASED_RENAME = """
            {"command":{"commandId":42,"type":100,"priority":1,"target":"10.99.0.5","contents":"gate-7"},
             "morePending":false}""";

    @Test
    void askUserCmd_leasesFromTheQueue_andTheResultIsRelayedWithItsState() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        FunctionsStandIn.ANSWERS.put("commands/lease", LEASED_RENAME);
        try (TestBox box = box()) {
            box.hello("g");
            AnsUserCmd answer = (AnsUserCmd) box.request(new AskUserCmd());
            assertThat(answer.command()).isPresent();
            UserCommand command = answer.command().get();
            assertThat(command.id()).isEqualTo(42);
            assertThat(command.type()).isEqualTo(UserCommandType.CHANGE_SPNBOX_NAME);
            assertThat(new String(command.contents(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("gate-7");
            assertThat(FunctionsStandIn.calls("commands/lease").get(0).body().get("publicKey").asText())
                    .isEqualTo(box.publicKey());

            assertThat(box.request(new CommandResult(42, true, "renamed"))).isEqualTo(new Ok(MessageType.COMMAND_RESULT));
            assertThat(box.request(new CommandResult(43, false, CommandResult.ROLLED_BACK_PREFIX + " no answer")))
                    .isEqualTo(new Ok(MessageType.COMMAND_RESULT));
            FunctionsStandIn.REFUSED_RESULTS.add(44L);
            assertThat(box.request(new CommandResult(44, true, "renamed")))
                    .as("an entry the functions refused is tried again by the box")
                    .isInstanceOf(io.starconsole.protocol.message.Nok.class);
            List<FunctionsStandIn.Call> results = FunctionsStandIn.calls("commands/result");
            assertThat(results).hasSize(3);
            assertThat(FunctionsStandIn.calls("commands/result-batch")).hasSize(3);
            assertThat(results.get(0).body().get("state").asText()).isEqualTo("succeeded");
            assertThat(results.get(0).body().get("commandId").asLong()).isEqualTo(42);
            assertThat(results.get(1).body().get("state").asText()).isEqualTo("rolled_back");
        }
    }

    /**
     * A box sends an unanswered result again (the edge's OK may have been lost): repeats that come
     * while the first is still on its way to the registry are not relayed again, one answer serves;
     * a repeat after the answer is relayed (the registry records a result once).
     */
    @Test
    void commandResult_repeatedWhileTheFirstIsRelayed_isRelayedOnce_andAnsweredOnce() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        try (TestBox box = box()) {
            box.hello("g");
            double repeatedBefore = repeatedResults();
            FunctionsStandIn.delayMillis = 800;
            CommandResult result = new CommandResult(42, true, "renamed");
            for (int i = 0; i < 3; i++) {
                box.sendSealed(result);
                Thread.sleep(100);
            }
            assertThat(box.receiveMessage()).isEqualTo(new Ok(MessageType.COMMAND_RESULT));
            assertThat(box.silentFor(300)).as("one answer for the three").isTrue();
            assertThat(FunctionsStandIn.calls("commands/result")).hasSize(1);
            assertThat(repeatedResults() - repeatedBefore).as("counted in edge_box_requests_repeated_total").isEqualTo(2);
            FunctionsStandIn.delayMillis = 0;
            assertThat(box.request(result)).isEqualTo(new Ok(MessageType.COMMAND_RESULT));
            assertThat(FunctionsStandIn.calls("commands/result")).as("sent again once answered").hasSize(2);
        }
    }

    /**
     * A box re-keys every 120 s whatever it is waiting for: a command leased while it re-keyed must
     * reach it on its new session (the old one's keys are gone on the box), not wait out its lease.
     */
    @Test
    void askUserCmd_answeredAfterTheBoxReKeyed_reachesItOnItsNewSession() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK);
        FunctionsStandIn.ANSWERS.put("commands/lease", LEASED_RENAME);
        try (TestBox box = box()) {
            box.hello("g");
            FunctionsStandIn.delayMillis = 1500;
            box.sendSealed(new AskUserCmd());
            assertThat(box.reconnect("g")).as("answered here, while the lease is on its way")
                    .isEqualTo(new Ok(MessageType.RECONNECT));
            Message answer = box.receiveMessage();
            assertThat(answer).isInstanceOf(AnsUserCmd.class);
            assertThat(((AnsUserCmd) answer).command().orElseThrow().id()).isEqualTo(42);
        }
    }

    @Test
    void otaStatus_isRelayedToTheRegistry() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        try (TestBox box = box()) {
            box.hello("g");
            assertThat(box.request(new OtaStatus("7", "2.0.0", OtaState.DOWNLOADING, 40, "")))
                    .isEqualTo(new Ok(MessageType.OTA_STATUS));
            JsonNode relayed = FunctionsStandIn.calls("ota/status").get(0).body();
            assertThat(relayed.get("publicKey").asText()).isEqualTo(box.publicKey());
            assertThat(relayed.get("releaseId").asText()).isEqualTo("7");
            assertThat(relayed.get("state").asText()).isEqualTo("downloading");
            assertThat(relayed.get("progressPercent").asInt()).isEqualTo(40);
        }
    }

    @Test
    void pendingFeedNamesTheBox_boxIsWokenWithoutPinging() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        try (TestBox box = box()) {
            box.hello("g");
            // A request of the feed made before this test's reset may still be waiting for its answer
            // (an earlier test slowed the stand-in): let one made since be seen before the answer changes.
            long asked = System.nanoTime() + 3_000_000_000L;
            while (FunctionsStandIn.calls("commands/pending").isEmpty() && System.nanoTime() < asked) {
                Thread.sleep(20);
            }
            FunctionsStandIn.ANSWERS.put("commands/pending", "{\"cursor\":\"7:9:8;;0\",\"boxes\":[\"" + box.publicKey() + "\"]}");
            assertThat(box.receiveMessage()).as("woken by the feed, within its interval").isInstanceOf(WakeUp.class);
            FunctionsStandIn.ANSWERS.put("commands/pending", "{\"cursor\":\"9:9:;;0\",\"boxes\":[]}");
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline && FunctionsStandIn.calls("commands/pending").stream()
                    .noneMatch(c -> c.body().get("after").asText().equals("7:9:8;;0"))) {
                Thread.sleep(50);
            }
            assertThat(FunctionsStandIn.calls("commands/pending").get(0).body().get("after").asText())
                    .as("the first call is from the start").isEmpty();
            assertThat(FunctionsStandIn.calls("commands/pending").stream()
                    .anyMatch(c -> c.body().get("after").asText().equals("7:9:8;;0")))
                    .as("the next call is from the cursor the feed answered").isTrue();
        }
    }

    @Test
    void askSpnInfo_returnsThePeersOfAllRegistryPages() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        KeyPair peer = KeyPair.generate(new SecureRandom());
        FunctionsStandIn.ANSWERS.put("peers", "{\"page\":0,\"totalPages\":1,\"peers\":[{\"publicKey\":\""
                + peer.publicKey().toBase64() + "\",\"spnIp\":\"10.99.0.9\",\"allowedIps\":\"10.99.0.9/32\","
                + "\"endpoint\":\"198.51.100.4:51820\",\"groupName\":\"g\"}]}");
        try (TestBox box = box()) {
            box.hello("g");
            AnsSpnInfo answer = (AnsSpnInfo) box.request(new AskSpnInfo(0));
            assertThat(answer.totalPages()).isEqualTo(1);
            assertThat(answer.entries()).hasSize(1);
            assertThat(answer.entries().get(0).publicKey()).isEqualTo(peer.publicKey());
            assertThat(answer.entries().get(0).endpointHost()).isEqualTo("198.51.100.4");
            assertThat(answer.entries().get(0).endpointPort()).isEqualTo(51820);
        }
    }

    @Test
    void bye_isRelayed_andEndsTheSession() throws Exception {
        FunctionsStandIn.ANSWERS.put("register", OK_NEWIP);
        try (TestBox box = box()) {
            box.hello("g");
            assertThat(box.request(new Bye())).isEqualTo(new Ok(MessageType.BYE));
            awaitCall("bye");
            assertThat(FunctionsStandIn.calls("bye").get(0).body().get("publicKey").asText()).isEqualTo(box.publicKey());
            box.sendSealed(new Ping(9));
            assertThat(box.silentFor(500)).as("no answer on an ended session").isTrue();
        }
    }

    @Test
    void junk_isDroppedAndCounted_withoutAnswer() throws Exception {
        double before = drops.total();
        try (TestBox box = box()) {
            box.send(new byte[] {0x01, 0x01, 0x00, 0x00, 0x00});
            assertThat(box.silentFor(300)).isTrue();
        }
        assertThat(drops.total()).isGreaterThan(before);
        assertThat(FunctionsStandIn.calls("register")).as("junk reaches no one").isEmpty();
    }

    /** The heartbeats of {@code box} in the presence calls so far, each call holding one at most. */
    private static List<JsonNode> heartbeatsOf(TestBox box) {
        List<JsonNode> found = new java.util.ArrayList<>();
        for (FunctionsStandIn.Call call : FunctionsStandIn.calls("presence")) {
            List<JsonNode> inCall = new java.util.ArrayList<>();
            call.body().get("heartbeats").forEach(heartbeat -> {
                if (heartbeat.get("publicKey").asText().equals(box.publicKey())) {
                    inCall.add(heartbeat);
                }
            });
            assertThat(inCall).as("one heartbeat per box and call").hasSizeLessThanOrEqualTo(1);
            found.addAll(inCall);
        }
        return found;
    }

    private static void awaitCall(String path) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (FunctionsStandIn.calls(path).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(FunctionsStandIn.calls(path)).as("a %s call", path).isNotEmpty();
    }
}
