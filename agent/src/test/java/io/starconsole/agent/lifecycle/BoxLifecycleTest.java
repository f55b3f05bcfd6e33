package io.starconsole.agent.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.starconsole.agent.AgentRuntime;
import io.starconsole.agent.Box;
import io.starconsole.agent.TestBoxes;
import io.starconsole.agent.TestEdge;
import io.starconsole.agent.backend.SandboxBackend;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxLifecycleTest {

    static final LifecycleTimers FAST = TestBoxes.FAST;

    @TempDir
    Path temp;
    TestEdge edge;
    AgentRuntime runtime;
    Box box;

    @BeforeEach
    void startEdge() throws Exception {
        edge = new TestEdge(temp.resolve("edge"));
        runtime = new AgentRuntime(2);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (box != null) {
            box.stop();
        }
        runtime.close();
        edge.close();
    }

    AgentConfig config() {
        return TestBoxes.config(temp, edge);
    }

    Box startBox() throws Exception {
        box = Box.create(config(), runtime, FAST);
        box.start();
        return box;
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        TestBoxes.await(condition, timeout);
    }

    /** CHANGE_SPNBOX_NAME, command {@code id}, to {@code name}: what the sandbox shows in its hostname file. */
    static UserCommand rename(long id, String name) {
        return new UserCommand(id, UserCommandType.CHANGE_SPNBOX_NAME, 0, "10.7.0.2", name.getBytes(StandardCharsets.UTF_8));
    }

    void awaitEstablished() throws InterruptedException {
        await(() -> box.state() == BoxState.ESTABLISHED, Duration.ofSeconds(5));
    }

    @Test
    void firstStart_makesOwnerOnlyKeyFileWithWireGuardKey() throws Exception {
        startBox();
        Path keyFile = temp.resolve("box/agent.key");
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        assertThat(text).matches("[A-Za-z0-9+/]{43}=\n");
        Key privateKey = Key.fromBase64(text.strip());
        assertThat(KeyPair.fromPrivateKey(privateKey).publicKey()).isEqualTo(box.publicKey());
        byte[] scalar = privateKey.getBytes(); // clamped as wg genkey does
        assertThat(scalar[0] & 7).isZero();
        assertThat(scalar[31] & 0xC0).isEqualTo(0x40);
    }

    @Test
    void restart_keepsTheSameKey() throws Exception {
        Key first = startBox().publicKey();
        box.stop();
        Key second = startBox().publicKey();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void registration_okNewIp_isWrittenToTheSandboxSpnAddressFile() throws Exception {
        startBox();
        awaitEstablished();
        assertThat(edge.registeredKeys).containsExactly(box.publicKey());
        Path file = temp.resolve("box/sandbox").resolve(SandboxBackend.SPN_ADDRESS);
        await(() -> Files.exists(file), Duration.ofSeconds(2));
        assertThat(Files.readString(file).strip()).isEqualTo("10.7.0.2/24");
        assertThat(edge.requests).containsExactly(MessageType.HELLO);
    }

    @Test
    void established_pingsEveryInterval() throws Exception {
        startBox();
        awaitEstablished();
        int before = edge.pings.get();
        long start = System.nanoTime();
        await(() -> edge.pings.get() - before >= 5, Duration.ofSeconds(10));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        // Five more PINGs at a 200 ms interval take at least ~800 ms: the box keeps its pace and does
        // not flood (an upper bound would only measure how busy the machine is).
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(750);
        assertThat(box.status().pongsReceived()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void edgeSilent_boxReRegistersWithReconnectAndBacksOff() throws Exception {
        startBox();
        awaitEstablished();
        edge.setSilent(true);
        await(() -> box.state() != BoxState.ESTABLISHED, Duration.ofSeconds(3));
        long initiationsBefore = box.status().initiations();
        Thread.sleep(2000);
        long attempts = box.status().initiations() - initiationsBefore;
        // Without back-off it would be 2000 / 300 ms ≈ 6 attempts; with it (100, 200, 400, 800 ms jittered) fewer.
        assertThat(attempts).isBetween(1L, 5L);
        edge.setSilent(false);
        await(() -> box.status().registrations() == 2, Duration.ofSeconds(5));
        assertThat(box.state()).isEqualTo(BoxState.ESTABLISHED);
        assertThat(edge.requests).containsExactly(MessageType.HELLO, MessageType.RECONNECT);
    }

    @Test
    void edgeRestartWithNewKeyPair_boxReadsEdgePubAgainAndReRegisters() throws Exception {
        startBox();
        awaitEstablished();
        edge.rekey();
        await(() -> box.status().registrations() == 2, Duration.ofSeconds(5));
        assertThat(box.state()).isEqualTo(BoxState.ESTABLISHED);
        int pings = edge.pings.get();
        await(() -> edge.pings.get() > pings, Duration.ofSeconds(2));
    }

    @Test
    void nokTryAgain_backsOffAndRetriesUntilAccepted() throws Exception {
        edge.answerNextRegistrationsWith(NokReason.TRY_AGAIN, NokReason.TRY_AGAIN);
        startBox();
        awaitEstablished();
        assertThat(edge.requests).hasSize(3);
        assertThat(box.status().lastNok()).contains("TRY_AGAIN");
    }

    @Test
    void nokDenied_stopsRetrying() throws Exception {
        edge.answerNextRegistrationsWith(NokReason.DENIED);
        startBox();
        await(() -> box.state() == BoxState.DENIED, Duration.ofSeconds(3));
        Thread.sleep(500);
        assertThat(edge.requests).hasSize(1);
    }

    @Test
    void stop_sendsBye() throws Exception {
        startBox();
        awaitEstablished();
        box.stop();
        await(() -> edge.byes.get() == 1, Duration.ofSeconds(2));
        assertThat(box.state()).isEqualTo(BoxState.CLOSED);
    }

    @Test
    void edgeUnreachable_dataPlaneFilesAreLeftUntouched() throws Exception {
        Path sandbox = temp.resolve("box/sandbox");
        Files.createDirectories(sandbox);
        String peer = KeyPair.generate(new java.security.SecureRandom()).publicKey().toBase64()
                + "|allowed-ips|10.1.2.1/32|endpoint|192.0.2.10:51820|persistent-keepalive|25\n";
        Files.writeString(sandbox.resolve(SandboxBackend.PEERS), peer);
        Files.writeString(sandbox.resolve(SandboxBackend.P2P_TUNNELS), "groupname|g1|vip|172.16.1.1|lport|12345|ekey|"
                + KeyPair.generate(new java.security.SecureRandom()).publicKey().toBase64() + "|server|192.0.2.20:49918\n");
        startBox();
        awaitEstablished();
        FileTime peersTime = Files.getLastModifiedTime(sandbox.resolve(SandboxBackend.PEERS));
        FileTime tunnelsTime = Files.getLastModifiedTime(sandbox.resolve(SandboxBackend.P2P_TUNNELS));
        FileTime addressTime = Files.getLastModifiedTime(sandbox.resolve(SandboxBackend.SPN_ADDRESS));
        edge.setSilent(true);
        await(() -> box.state() == BoxState.BACKING_OFF, Duration.ofSeconds(3));
        Thread.sleep(1000);
        assertThat(Files.readString(sandbox.resolve(SandboxBackend.PEERS))).isEqualTo(peer);
        assertThat(Files.getLastModifiedTime(sandbox.resolve(SandboxBackend.PEERS))).isEqualTo(peersTime);
        assertThat(Files.getLastModifiedTime(sandbox.resolve(SandboxBackend.P2P_TUNNELS))).isEqualTo(tunnelsTime);
        assertThat(Files.getLastModifiedTime(sandbox.resolve(SandboxBackend.SPN_ADDRESS))).isEqualTo(addressTime);
        assertThat(Files.readString(sandbox.resolve(SandboxBackend.SPN_ADDRESS)).strip()).isEqualTo("10.7.0.2/24");
    }

    @Test
    void pongWithCommandsPending_asksForCommandAndSendsItsResult() throws Exception {
        startBox();
        awaitEstablished();
        edge.queue(rename(41, "alpha"));
        edge.setCommandsPendingFlag(true);
        await(() -> edge.results.size() == 1, Duration.ofSeconds(3));
        assertThat(edge.results.get(0).commandId()).isEqualTo(41);
        assertThat(edge.results.get(0).success()).isTrue();
        assertThat(Files.readString(temp.resolve("box/sandbox/hostname")).strip()).isEqualTo("alpha");
    }

    @Test
    void redeliveredCommandId_isNotRunAgain_storedResultIsResent() throws Exception {
        startBox();
        awaitEstablished();
        UserCommand rename = rename(42, "alpha");
        edge.queue(rename);
        edge.setCommandsPendingFlag(true);
        await(() -> edge.results.size() == 1, Duration.ofSeconds(3));
        Files.writeString(temp.resolve("box/sandbox/hostname"), "changed-by-hand\n");
        edge.queue(rename);
        edge.setCommandsPendingFlag(true);
        await(() -> edge.results.size() == 2, Duration.ofSeconds(3));
        assertThat(edge.results.get(1)).isEqualTo(edge.results.get(0));
        assertThat(Files.readString(temp.resolve("box/sandbox/hostname")).strip()).isEqualTo("changed-by-hand");
    }

    @Test
    void resultRefusedWithTryAgain_isSentAgainUntilTaken_andTheCommandRunsOnce() throws Exception {
        startBox();
        awaitEstablished();
        edge.refuseNextResults(2); // the console's database is down for a while
        edge.queue(rename(43, "beta"));
        edge.setCommandsPendingFlag(true);
        await(() -> edge.results.size() == 1, Duration.ofSeconds(10));
        assertThat(edge.refusedResults).hasSize(2).allMatch(r -> r.commandId() == 43);
        assertThat(edge.results.get(0)).isEqualTo(edge.refusedResults.get(0));
        Thread.sleep(1000);
        assertThat(edge.results).as("nothing sent after the OK").hasSize(1);
        assertThat(Files.readString(temp.resolve("box/sandbox/hostname")).strip()).isEqualTo("beta");
    }

    @Test
    void resultWhoseOkIsLost_isSentAgain_andTheNextCommandFollowsItsOk() throws Exception {
        startBox();
        awaitEstablished();
        edge.loseNextResultAnswers(1); // the console took it; the OK did not reach the box
        edge.queue(rename(45, "delta"));
        edge.queue(rename(46, "epsilon"));
        edge.setCommandsPendingFlag(true);
        await(() -> edge.results.size() == 3, Duration.ofSeconds(5));
        // Without the resend the next command waits out the acknowledgement timeout: 45, 46.
        assertThat(edge.results).extracting(r -> r.commandId()).containsExactly(45L, 45L, 46L);
        Thread.sleep(600);
        assertThat(edge.results).as("nothing sent again after the OKs").hasSize(3);
        assertThat(Files.readString(temp.resolve("box/sandbox/hostname")).strip()).isEqualTo("epsilon");
    }

    @Test
    void oneCommandWithNothingMorePending_isOneAsk_noEmptyAskAfterItsResult() throws Exception {
        startBox();
        awaitEstablished();
        edge.queue(rename(47, "zeta"));
        edge.setCommandsPendingFlag(true);
        await(() -> edge.results.size() == 1, Duration.ofSeconds(3));
        int pingsAtResult = edge.pings.get();
        await(() -> edge.pings.get() >= pingsAtResult + 3, Duration.ofSeconds(5)); // the OK and its follow-up are long done
        assertThat(edge.asks.get()).as("the answer said nothing more was pending, and nothing woke the box").isEqualTo(1);
    }

    @Test
    void wakeUpWhileTheResultAwaitsItsOk_theBoxAsksOnceTheOkArrives() throws Exception {
        startBox();
        awaitEstablished();
        edge.queue(rename(48, "eta"));
        edge.queueAtNextResult(rename(49, "theta"));
        edge.setCommandsPendingFlag(true);
        await(() -> edge.results.size() == 2, Duration.ofSeconds(3));
        assertThat(edge.results).extracting(r -> r.commandId()).containsExactly(48L, 49L);
        assertThat(Files.readString(temp.resolve("box/sandbox/hostname")).strip()).isEqualTo("theta");
    }

    @Test
    void wakeUpWhileAnAskIsOnItsWay_theBoxAsksAgainAfterTheEmptyAnswer() throws Exception {
        startBox();
        awaitEstablished();
        edge.queueDuringNextAsk(rename(44, "gamma"));
        edge.setCommandsPendingFlag(true); // one PONG makes the box ask; the flag is cleared then
        await(() -> edge.results.size() == 1, Duration.ofSeconds(3));
        assertThat(edge.results.get(0).commandId()).isEqualTo(44);
        assertThat(edge.asks.get()).as("asked again after the empty answer").isGreaterThanOrEqualTo(2);
    }
}
