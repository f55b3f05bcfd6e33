package io.starconsole.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.starconsole.agent.AgentRuntime;
import io.starconsole.agent.Box;
import io.starconsole.agent.TestBoxes;
import io.starconsole.agent.TestEdge;
import io.starconsole.agent.TestEdge.Answer;
import io.starconsole.agent.backend.SandboxBackend;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.config.KeyFiles;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.lifecycle.LifecycleTimers;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 12 commands end to end: a Box with the sandbox backend against the loopback TestEdge. */
class RemoteCommandsTest {

    static final LifecycleTimers FAST = TestBoxes.FAST;
    static final String FIRST_ADDRESS = "10.7.0.2/24"; // the TestEdge's OK_NEWIP for the first key

    @TempDir
    Path temp;
    TestEdge edge;
    AgentRuntime runtime;
    Box box;
    long nextId = 100;

    @BeforeEach
    void startEdgeAndBox() throws Exception {
        edge = new TestEdge(temp.resolve("edge"));
        runtime = new AgentRuntime(2);
        startBox();
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
        return TestBoxes.config(temp, edge).with(Option.RISKY_CHANGE_DEADLINE, "1s");
    }

    void startBox() throws Exception {
        box = Box.create(config(), runtime, FAST);
        box.start();
        await(() -> box.state() == BoxState.ESTABLISHED, Duration.ofSeconds(5));
        await(() -> sandbox(SandboxBackend.SPN_ADDRESS).isPresent(), Duration.ofSeconds(2));
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        TestBoxes.await(condition, timeout);
    }

    Optional<String> sandbox(String name) {
        try {
            Path file = temp.resolve("box/sandbox").resolve(name);
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    UserCommand command(UserCommandType type, String contents) {
        return new UserCommand(nextId++, type, 0, "10.7.0.2", contents.getBytes(StandardCharsets.UTF_8));
    }

    /** Queues {@code command}, flags it in PONG and waits for one more result. */
    CommandResult deliver(UserCommand command) throws InterruptedException {
        int before = edge.results.size();
        edge.queue(command);
        edge.setCommandsPendingFlag(true);
        await(() -> edge.results.size() > before, Duration.ofSeconds(5));
        CommandResult result = edge.results.get(before);
        assertThat(result.commandId()).isEqualTo(command.id());
        return result;
    }

    CommandResult awaitResult(int index) throws InterruptedException {
        await(() -> edge.results.size() > index, Duration.ofSeconds(5));
        return edge.results.get(index);
    }

    Path pendingChange() {
        return temp.resolve("box").resolve(PendingChange.FILE_NAME);
    }

    static String randomKey() {
        return KeyPair.generate(new SecureRandom()).publicKey().toBase64();
    }

    // ---- CHANGE_L3_SPN_IP_ADDRESS (104) ---------------------------------------------------------

    @Test
    void changeAddress_consoleAnswersOk_addressIsKeptAndSucceeds() throws Exception {
        edge.scriptRegistrations(Answer.OK);
        CommandResult result = deliver(command(UserCommandType.CHANGE_L3_SPN_IP_ADDRESS, "10.7.0.50|255.255.255.0"));
        assertThat(CommandOutcome.of(result)).isEqualTo(CommandOutcome.SUCCEEDED);
        assertThat(sandbox(SandboxBackend.SPN_ADDRESS)).contains("10.7.0.50/24");
        assertThat(edge.registrations.get(edge.registrations.size() - 1).requestedSpnIp().getHostAddress()).isEqualTo("10.7.0.50");
        assertThat(pendingChange()).doesNotExist();
    }

    @Test
    void changeAddress_consoleAssignsAnotherAddress_isRolledBack() throws Exception {
        edge.scriptRegistrations(Answer.OK_NEWIP_OTHER);
        CommandResult result = deliver(command(UserCommandType.CHANGE_L3_SPN_IP_ADDRESS, "10.7.0.50|255.255.255.0"));
        assertThat(CommandOutcome.of(result)).isEqualTo(CommandOutcome.ROLLED_BACK);
        assertThat(result.message()).startsWith("rolled back: the console assigned " + TestEdge.OTHER_ADDRESS);
        assertThat(sandbox(SandboxBackend.SPN_ADDRESS)).contains(FIRST_ADDRESS);
        assertThat(pendingChange()).doesNotExist();
        int registrations = edge.registrations.size();
        await(() -> edge.registrations.size() > registrations || edge.registrations.get(registrations - 1)
                .requestedSpnIp().getHostAddress().equals("10.7.0.2"), Duration.ofSeconds(3));
        assertThat(edge.registrations.get(edge.registrations.size() - 1).requestedSpnIp().getHostAddress()).isEqualTo("10.7.0.2");
    }

    @Test
    void changeAddress_consoleRefuses_isRolledBack() throws Exception {
        edge.scriptRegistrations(Answer.NOK);
        CommandResult result = deliver(command(UserCommandType.CHANGE_L3_SPN_IP_ADDRESS, "10.7.0.50|255.255.255.0"));
        assertThat(CommandOutcome.of(result)).isEqualTo(CommandOutcome.ROLLED_BACK);
        assertThat(result.success()).isFalse();
        assertThat(result.message()).startsWith("rolled back: the console refused the registration (NOK TRY_AGAIN)");
        assertThat(sandbox(SandboxBackend.SPN_ADDRESS)).contains(FIRST_ADDRESS);
        await(() -> box.state() == BoxState.ESTABLISHED, Duration.ofSeconds(3));
    }

    @Test
    void changeAddress_noAnswerWithinDeadline_isRolledBackOverTheOldSession() throws Exception {
        edge.setIgnoreRegistrations(true);
        CommandResult result = deliver(command(UserCommandType.CHANGE_L3_SPN_IP_ADDRESS, "10.7.0.50/24"));
        assertThat(result.message()).startsWith("rolled back: no registration answer within 1000 ms");
        assertThat(sandbox(SandboxBackend.SPN_ADDRESS)).contains(FIRST_ADDRESS);
        long registered = box.status().registrations();
        edge.setIgnoreRegistrations(false);
        await(() -> box.status().registrations() > registered, Duration.ofSeconds(5));
        assertThat(sandbox(SandboxBackend.SPN_ADDRESS)).contains(FIRST_ADDRESS);
    }

    @Test
    void changeAddress_agentStoppedBeforeConfirmation_nextStartRestoresAndReportsRolledBack() throws Exception {
        edge.setIgnoreRegistrations(true);
        UserCommand change = command(UserCommandType.CHANGE_L3_SPN_IP_ADDRESS, "10.7.0.50|255.255.255.0");
        edge.queue(change);
        edge.setCommandsPendingFlag(true);
        await(() -> sandbox(SandboxBackend.SPN_ADDRESS).equals(Optional.of("10.7.0.50/24")), Duration.ofSeconds(3));
        box.stop(); // "killed" before the console confirmed
        assertThat(pendingChange()).exists();
        assertThat(edge.results).isEmpty();
        edge.setIgnoreRegistrations(false);
        box = Box.create(config(), runtime, FAST);
        assertThat(sandbox(SandboxBackend.SPN_ADDRESS)).contains(FIRST_ADDRESS); // restored before registering
        box.start();
        CommandResult result = awaitResult(0);
        assertThat(result.commandId()).isEqualTo(change.id());
        assertThat(CommandOutcome.of(result)).isEqualTo(CommandOutcome.ROLLED_BACK);
        assertThat(result.message()).isEqualTo("rolled back: the agent stopped before the console confirmed the change");
        assertThat(pendingChange()).doesNotExist();
        assertThat(edge.registrations.get(edge.registrations.size() - 1).requestedSpnIp().getHostAddress()).isEqualTo("10.7.0.2");
    }

    @Test
    void changeAddress_redeliveredAfterSuccess_isNotRunAgain_storedResultIsResent() throws Exception {
        edge.scriptRegistrations(Answer.OK);
        UserCommand change = command(UserCommandType.CHANGE_L3_SPN_IP_ADDRESS, "10.7.0.50|255.255.255.0");
        CommandResult first = deliver(change);
        Files.writeString(temp.resolve("box/sandbox").resolve(SandboxBackend.SPN_ADDRESS), "10.7.0.60/24\n");
        int registrations = edge.registrations.size();
        CommandResult second = deliver(change);
        assertThat(second).isEqualTo(first);
        assertThat(sandbox(SandboxBackend.SPN_ADDRESS)).contains("10.7.0.60/24");
        assertThat(edge.registrations).hasSize(registrations);
    }

    // ---- CHANGE_L3_SPN_LISTEN_PORT (105) --------------------------------------------------------

    @Test
    void changeListenPort_consoleAnswersOk_portIsKeptAndAnnounced() throws Exception {
        edge.scriptRegistrations(Answer.OK);
        CommandResult result = deliver(command(UserCommandType.CHANGE_L3_SPN_LISTEN_PORT, "51999"));
        assertThat(CommandOutcome.of(result)).isEqualTo(CommandOutcome.SUCCEEDED);
        assertThat(sandbox(SandboxBackend.LISTEN_PORT)).contains("51999");
        assertThat(edge.registrations.get(edge.registrations.size() - 1).listenPort()).isEqualTo(51999);
    }

    @Test
    void changeListenPort_consoleRefuses_oldPortIsRestored() throws Exception {
        edge.scriptRegistrations(Answer.NOK);
        CommandResult result = deliver(command(UserCommandType.CHANGE_L3_SPN_LISTEN_PORT, "51999"));
        assertThat(CommandOutcome.of(result)).isEqualTo(CommandOutcome.ROLLED_BACK);
        assertThat(sandbox(SandboxBackend.LISTEN_PORT)).contains("51820");
        await(() -> edge.registrations.get(edge.registrations.size() - 1).listenPort() == 51820, Duration.ofSeconds(3));
    }

    @Test
    void changeListenPort_noAnswer_isRolledBack() throws Exception {
        edge.scriptRegistrations(Answer.SILENCE, Answer.SILENCE, Answer.SILENCE, Answer.SILENCE, Answer.SILENCE,
                Answer.SILENCE, Answer.SILENCE, Answer.SILENCE);
        CommandResult result = deliver(command(UserCommandType.CHANGE_L3_SPN_LISTEN_PORT, "51999"));
        assertThat(result.message()).startsWith("rolled back: no registration answer");
        assertThat(sandbox(SandboxBackend.LISTEN_PORT)).contains("51820");
    }

    // ---- REGENERATE_L3_SPN_KEY (108) ------------------------------------------------------------

    @Test
    void regenerateKey_newKeyReportedUnderOldSession_thenRegistersUnderNewKey() throws Exception {
        Key oldKey = box.publicKey();
        edge.scriptRegistrations(Answer.OK);
        UserCommand regenerate = command(UserCommandType.REGENERATE_L3_SPN_KEY, "now");
        CommandResult result = deliver(regenerate);
        assertThat(result.success()).isTrue();
        assertThat(result.message()).matches("new-key [A-Za-z0-9+/]{43}=");
        Key newKey = Key.fromBase64(result.message().substring("new-key ".length()));
        assertThat(edge.resultKeys.get(0)).isEqualTo(oldKey);
        await(() -> edge.registeredKeys.contains(newKey), Duration.ofSeconds(3));
        await(() -> box.state() == BoxState.ESTABLISHED && box.publicKey().equals(newKey), Duration.ofSeconds(3));
        await(() -> !Files.exists(pendingChange()), Duration.ofSeconds(3));
        assertThat(KeyFiles.load(temp.resolve("box/agent.key")).publicKey()).isEqualTo(newKey);
        assertThat(sandbox(SandboxBackend.PRIVATE_KEY)).isPresent();
        Thread.sleep(300);
        assertThat(edge.results).hasSize(1); // no later result: the change held
    }

    /**
     * The edge never answers the new key's result (the console is unreachable for results): it is
     * sent again under the old key until the acknowledgement timeout (1 s here), then the box
     * switches; the old key's result is not sent under the new one, whose registration settles it.
     */
    @Test
    void regenerateKey_resultNeverAcknowledged_isSentAgainUnderTheOldKeyOnly() throws Exception {
        Key oldKey = box.publicKey();
        edge.scriptRegistrations(Answer.OK);
        edge.loseNextResultAnswers(Integer.MAX_VALUE);
        CommandResult result = deliver(command(UserCommandType.REGENERATE_L3_SPN_KEY, "now"));
        Key newKey = Key.fromBase64(result.message().substring("new-key ".length()));
        await(() -> box.state() == BoxState.ESTABLISHED && box.publicKey().equals(newKey), Duration.ofSeconds(5));
        Thread.sleep(1500); // several resend intervals on the new session
        assertThat(edge.results).as("sent again before the switch").hasSizeGreaterThan(1).allMatch(result::equals);
        assertThat(edge.resultKeys).as("never under the new key").containsOnly(oldKey);
    }

    @Test
    void regenerateKey_refusedUnderNewKey_switchesBackAndReportsRolledBackForSameId() throws Exception {
        Key oldKey = box.publicKey();
        edge.scriptRegistrations(Answer.NOK);
        UserCommand regenerate = command(UserCommandType.REGENERATE_L3_SPN_KEY, "now");
        CommandResult first = deliver(regenerate);
        assertThat(first.message()).startsWith("new-key ");
        CommandResult second = awaitResult(1);
        assertThat(second.commandId()).isEqualTo(regenerate.id());
        assertThat(CommandOutcome.of(second)).isEqualTo(CommandOutcome.ROLLED_BACK);
        assertThat(edge.resultKeys.get(1)).isEqualTo(oldKey);
        assertThat(box.publicKey()).isEqualTo(oldKey);
        assertThat(KeyFiles.load(temp.resolve("box/agent.key")).publicKey()).isEqualTo(oldKey);
        assertThat(pendingChange()).doesNotExist();
        assertThat(box.state()).isEqualTo(BoxState.ESTABLISHED);
    }

    // ---- the other commands ---------------------------------------------------------------------

    @Test
    void changeSpnboxName_setsHostname() throws Exception {
        assertThat(deliver(command(UserCommandType.CHANGE_SPNBOX_NAME, "gateway-7")).success()).isTrue();
        assertThat(sandbox(SandboxBackend.HOSTNAME)).contains("gateway-7");
    }

    @Test
    void changeAdminPassword_takesCryptHash_refusesPlainText() throws Exception {
        String hash = "$6$saltsalt$" + "a".repeat(86);
        assertThat(deliver(command(UserCommandType.CHANGE_ADMIN_PASSWORD, hash)).success()).isTrue();
        assertThat(sandbox(SandboxBackend.ADMIN_PASSWORD_HASH)).contains(hash);
        CommandResult plain = deliver(command(UserCommandType.CHANGE_ADMIN_PASSWORD, "hunter2"));
        assertThat(CommandOutcome.of(plain)).isEqualTo(CommandOutcome.FAILED);
        assertThat(plain.message()).doesNotContain("hunter2");
        assertThat(sandbox(SandboxBackend.ADMIN_PASSWORD_HASH)).contains(hash);
    }

    @Test
    void reboot_acknowledgesThenReboots_onceEvenIfRedelivered() throws Exception {
        UserCommand reboot = command(UserCommandType.REBOOT_SPNBOX, "now");
        assertThat(deliver(reboot).message()).isEqualTo("rebooting");
        await(() -> sandbox(SandboxBackend.REBOOTS).equals(Optional.of("1")), Duration.ofSeconds(2));
        deliver(reboot);
        Thread.sleep(200);
        assertThat(sandbox(SandboxBackend.REBOOTS)).contains("1");
    }

    @Test
    void factoryReset_forgetsSettingsAndReboots() throws Exception {
        deliver(command(UserCommandType.CHANGE_SPNBOX_NAME, "gateway-7"));
        assertThat(deliver(command(UserCommandType.GOTO_FACTORY_DEFAULT_STATE, "now")).success()).isTrue();
        await(() -> sandbox(SandboxBackend.FACTORY_RESETS).equals(Optional.of("1")), Duration.ofSeconds(2));
        assertThat(sandbox(SandboxBackend.HOSTNAME)).isEmpty();
        assertThat(sandbox(SandboxBackend.REBOOTS)).contains("1");
    }

    @Test
    void addAndRemoveL3Tunnel_changePeers() throws Exception {
        String rule = randomKey() + "|allowed-ips|10.1.2.1/32|endpoint|121.162.94.203:59760|persistent-keepalive|25";
        assertThat(deliver(command(UserCommandType.ADD_L3_SPN_TUNNEL, rule)).success()).isTrue();
        assertThat(sandbox(SandboxBackend.PEERS)).contains(rule);
        assertThat(deliver(command(UserCommandType.REMOVE_L3_SPN_TUNNEL, rule)).success()).isTrue();
        assertThat(sandbox(SandboxBackend.PEERS)).contains("");
        assertThat(CommandOutcome.of(deliver(command(UserCommandType.ADD_L3_SPN_TUNNEL, "not-a-rule")))).isEqualTo(CommandOutcome.FAILED);
    }

    @Test
    void addAndRemoveP2pTunnel_changeTunnels() throws Exception {
        String rule = "groupname|test1|vip|172.16.1.1|lport|12345|ekey|" + randomKey() + "|server|13.125.60.224:49918";
        assertThat(deliver(command(UserCommandType.ADD_P2P_SPN_TUNNEL, rule)).success()).isTrue();
        assertThat(sandbox(SandboxBackend.P2P_TUNNELS)).contains(rule);
        assertThat(deliver(command(UserCommandType.REMOVE_P2P_SPN_TUNNEL, rule)).success()).isTrue();
        assertThat(sandbox(SandboxBackend.P2P_TUNNELS)).contains("");
    }

    @Test
    void flushUserCmds_acknowledgesSucceeded() throws Exception {
        CommandResult result = deliver(command(UserCommandType.FLUSH_USER_CMDS, "now"));
        assertThat(CommandOutcome.of(result)).isEqualTo(CommandOutcome.SUCCEEDED);
    }

    @Test
    void outcomes_encodeRolledBackAsFailedWithPrefix() {
        CommandResult rolledBack = CommandOutcome.ROLLED_BACK.result(7, "no answer");
        assertThat(rolledBack.success()).isFalse();
        assertThat(rolledBack.message()).isEqualTo("rolled back: no answer");
        assertThat(List.of(CommandOutcome.of(rolledBack), CommandOutcome.of(new CommandResult(7, false, "x")),
                CommandOutcome.of(new CommandResult(7, true, "x"))))
                .containsExactly(CommandOutcome.ROLLED_BACK, CommandOutcome.FAILED, CommandOutcome.SUCCEEDED);
    }
}
