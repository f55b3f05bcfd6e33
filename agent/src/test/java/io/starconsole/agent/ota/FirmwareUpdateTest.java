package io.starconsole.agent.ota;

import static org.assertj.core.api.Assertions.assertThat;

import io.starconsole.agent.AgentRuntime;
import io.starconsole.agent.Box;
import io.starconsole.agent.TestBoxes;
import io.starconsole.agent.TestEdge;
import io.starconsole.agent.backend.SandboxBackend;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.AgentConfig.Option;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.OtaState;
import io.starconsole.protocol.message.OtaStatus;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.UserCommandType;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** UPDATE_FIRMWARE (112) end to end: a sandbox Box, the loopback TestEdge, a stand-in download server. */
class FirmwareUpdateTest {

    static final Duration RESULT_TIMEOUT = Duration.ofSeconds(30);
    static final KeyPair SIGNER = TestRelease.signingKey();

    @TempDir
    Path temp;
    TestEdge edge;
    AgentRuntime runtime;
    TestFirmwareServer server;
    Box box;
    long nextId = 500;

    @BeforeEach
    void start() throws Exception {
        edge = new TestEdge(temp.resolve("edge"));
        runtime = new AgentRuntime(2);
        server = new TestFirmwareServer(temp);
    }

    @AfterEach
    void stop() throws Exception {
        if (box != null) {
            box.stop();
        }
        server.close();
        runtime.close();
        edge.close();
    }

    AgentConfig config() {
        return TestBoxes.config(temp, edge)
                .with(Option.OTA_TRUSTED_KEYS, TestRelease.trusted(SIGNER))
                .with(Option.OTA_HEALTH_DEADLINE, "5s");
    }

    void startBox(AgentConfig config) throws Exception {
        box = Box.create(config, runtime, TestBoxes.FAST);
        box.start();
        TestBoxes.await(() -> box.state() == BoxState.ESTABLISHED, Duration.ofSeconds(5));
    }

    TestRelease release(String name, String version, String text) throws Exception {
        return TestRelease.build(temp.resolve("releases/" + name), "spnbox-sim", version, text, 300_000, SIGNER);
    }

    UserCommand command(TestRelease release, boolean force) {
        server.serve(release.directory);
        return new UserCommand(nextId++, UserCommandType.UPDATE_FIRMWARE, 0, "10.7.0.2",
                release.contents("rel-" + release.version, force, server.base()).getBytes(StandardCharsets.UTF_8));
    }

    CommandResult deliver(UserCommand command) throws InterruptedException {
        int before = edge.results.size();
        edge.queue(command);
        edge.setCommandsPendingFlag(true);
        TestBoxes.await(() -> edge.results.size() > before, RESULT_TIMEOUT);
        CommandResult result = edge.results.get(before);
        assertThat(result.commandId()).isEqualTo(command.id());
        return result;
    }

    Optional<String> sandbox(String name) throws Exception {
        Path file = temp.resolve("box/sandbox").resolve(name);
        return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
    }

    /** The OTA_STATUS states seen, repeats (download progress) folded. */
    List<OtaState> states() {
        List<OtaState> folded = new ArrayList<>();
        for (OtaStatus status : edge.otaStatuses) {
            if (folded.isEmpty() || folded.get(folded.size() - 1) != status.state()) {
                folded.add(status.state());
            }
        }
        return folded;
    }

    void assertUnchanged() throws Exception {
        assertThat(box.backend().activeSlot()).isEqualTo("A");
        assertThat(box.backend().firmwareVersion()).isEmpty();
        assertThat(sandbox("slots/B/version")).isEmpty();
        assertThat(edge.registrations.get(edge.registrations.size() - 1).firmwareVersion()).isEqualTo("0.1.0");
    }

    @Test
    void update_goodRelease_installsSwitchesReRegistersOnTheNewVersionAndSucceeds() throws Exception {
        startBox(config());
        TestRelease release = release("good", "1.0.0", "good firmware ");
        CommandResult result = deliver(command(release, false));

        assertThat(result.success()).as(result.message()).isTrue();
        assertThat(result.message()).isEqualTo("firmware 1.0.0 running in slot B and healthy");
        assertThat(box.backend().activeSlot()).isEqualTo("B");
        assertThat(sandbox("slots/B/version")).contains("1.0.0");
        assertThat(Files.size(temp.resolve("box/sandbox/slots/B/image"))).isEqualTo(300_000);
        assertThat(edge.registrations.get(edge.registrations.size() - 1).firmwareVersion()).isEqualTo("1.0.0");
        assertThat(states()).containsExactly(OtaState.PENDING, OtaState.DOWNLOADING, OtaState.VERIFYING, OtaState.INSTALLING,
                OtaState.REBOOTING, OtaState.SUCCEEDED);
        assertThat(edge.otaStatuses).allSatisfy(status -> {
            assertThat(status.releaseId()).isEqualTo("rel-1.0.0");
            assertThat(status.version()).isEqualTo("1.0.0");
        });
        assertThat(edge.otaStatuses.stream().filter(s -> s.state() == OtaState.DOWNLOADING).map(OtaStatus::progressPercent))
                .contains(0, 100).isSorted();
        assertThat(server.imageRanges).containsExactly(""); // one request, through the 302, no range
        assertThat(temp.resolve("box/ota")).isEmptyDirectory(); // partial file gone once confirmed
        assertThat(temp.resolve("box/ota-update")).doesNotExist();
    }

    @Test
    void update_redeliveredAfterSuccess_isNotRunAgain() throws Exception {
        startBox(config());
        UserCommand command = command(release("good", "1.0.0", "good firmware "), false);
        assertThat(deliver(command).success()).isTrue();
        int statuses = edge.otaStatuses.size();

        CommandResult again = deliver(command);

        assertThat(again.success()).isTrue();
        assertThat(edge.otaStatuses).hasSize(statuses);
        assertThat(server.imageRanges).hasSize(1);
    }

    @Test
    void update_tamperedImage_failsWithHashMismatch_boxUnchanged() throws Exception {
        startBox(config());
        TestRelease release = release("tampered", "1.0.0", "good firmware ");
        flipByte(release.directory.resolve("image.enc"), 1000);

        CommandResult result = deliver(command(release, false));

        assertThat(result.success()).isFalse();
        assertThat(result.message()).startsWith("hash mismatch: ");
        assertUnchanged();
        assertThat(edge.otaStatuses.get(edge.otaStatuses.size() - 1).state()).isEqualTo(OtaState.FAILED);
        assertThat(temp.resolve("box/ota/rel-1.0.0.part")).doesNotExist(); // a bad download is not resumed
    }

    @Test
    void update_imageTamperedBeforeSigning_failsAsTamperedOnDecryption_boxUnchanged() throws Exception {
        startBox(config());
        TestRelease release = release("spliced", "1.0.0", "good firmware ");
        Path image = release.directory.resolve("image.enc");
        flipByte(image, 5000);
        // a manifest that matches the changed file, properly signed: only the cipher's tags catch it
        var manifest = new io.starconsole.firmware.Manifest(1, release.model, release.version, release.manifest.plainSize(),
                release.manifest.plainSha512(), Files.size(image), io.starconsole.firmware.Sha512.hex(image),
                release.manifest.cipher(), release.manifest.chunkSize(), release.manifest.imageKey(), release.manifest.releasedAt(),
                release.manifest.compatibleModels());
        Files.write(release.directory.resolve("manifest.json"), manifest.toCanonicalJson());
        TestRelease.sign(release.directory, manifest.toCanonicalJson(), SIGNER);

        CommandResult result = deliver(command(release, false));

        assertThat(result.message()).startsWith("tampered: ");
        assertUnchanged();
    }

    @Test
    void update_badSignature_failsBeforeTheImageIsFetched() throws Exception {
        startBox(config());
        TestRelease release = release("badsig", "1.0.0", "good firmware ");
        TestRelease.sign(release.directory, "another manifest".getBytes(StandardCharsets.UTF_8), SIGNER);

        CommandResult result = deliver(command(release, false));

        assertThat(result.message()).startsWith("bad signature: ");
        assertThat(server.imageRanges).isEmpty();
        assertUnchanged();
    }

    @Test
    void update_signedByAnUntrustedKey_failsWithBadSignature() throws Exception {
        startBox(config());
        TestRelease release = TestRelease.build(temp.resolve("releases/untrusted"), "spnbox-sim", "1.0.0", "x", 1000,
                TestRelease.signingKey());

        CommandResult result = deliver(command(release, false));

        assertThat(result.message()).isEqualTo("bad signature: no trusted key signed this manifest");
        assertUnchanged();
    }

    @Test
    void update_forAnotherModel_failsWithWrongModel() throws Exception {
        startBox(config());
        TestRelease release = TestRelease.build(temp.resolve("releases/other"), "spnbox-pro", "1.0.0", "x", 1000, SIGNER);

        CommandResult result = deliver(command(release, false));

        assertThat(result.message()).startsWith("wrong model: this box is spnbox-sim");
        assertThat(server.imageRanges).isEmpty();
        assertUnchanged();
    }

    @Test
    void update_olderVersion_isRefused_butInstalledWhenForced() throws Exception {
        startBox(config().with(Option.FIRMWARE_VERSION, "2.0.0"));
        TestRelease release = release("old", "1.9.9", "older firmware ");

        CommandResult refused = deliver(command(release, false));
        assertThat(refused.message()).startsWith("downgrade refused: 1.9.9 is not newer than the running 2.0.0");
        assertThat(box.backend().activeSlot()).isEqualTo("A");
        assertThat(edge.registrations.get(edge.registrations.size() - 1).firmwareVersion()).isEqualTo("2.0.0");

        CommandResult forced = deliver(command(release, true));
        assertThat(forced.success()).as(forced.message()).isTrue();
        assertThat(box.backend().activeSlot()).isEqualTo("B");
        assertThat(edge.registrations.get(edge.registrations.size() - 1).firmwareVersion()).isEqualTo("1.9.9");
    }

    @Test
    void update_unhealthyFirmware_isRolledBackToTheOldSlot() throws Exception {
        startBox(config());
        TestRelease release = release("bad", "1.0.0", "this build is UNHEALTHY ");

        CommandResult result = deliver(command(release, false));

        assertThat(result.success()).isFalse();
        assertThat(result.message()).isEqualTo("rolled back: the firmware in slot B reports itself unhealthy");
        assertThat(box.backend().activeSlot()).isEqualTo("A");
        assertThat(states()).containsExactly(OtaState.PENDING, OtaState.DOWNLOADING, OtaState.VERIFYING, OtaState.INSTALLING,
                OtaState.REBOOTING, OtaState.ROLLED_BACK);
        List<String> versions = edge.registrations.stream().map(info -> info.firmwareVersion()).toList();
        assertThat(versions.subList(versions.size() - 2, versions.size())).containsExactly("1.0.0", "0.1.0");
    }

    @Test
    void update_connectionCutMidDownload_resumesWithARangeRequest() throws Exception {
        startBox(config());
        TestRelease release = release("cut", "1.0.0", "good firmware ");
        server.cutAfter(100_000);

        CommandResult result = deliver(command(release, false));

        assertThat(result.success()).as(result.message()).isTrue();
        assertThat(server.imageRanges).hasSize(2);
        assertThat(server.imageRanges.get(1)).matches("bytes=\\d+-").isNotEqualTo("bytes=0-");
    }

    @Test
    void update_agentStoppedMidDownload_resumesAfterRestartWhenTheCommandComesAgain() throws Exception {
        startBox(config());
        TestRelease release = release("crash", "1.0.0", "good firmware ");
        server.stallAfter(120_000);
        UserCommand command = command(release, false);
        edge.queue(command);
        edge.setCommandsPendingFlag(true);
        Path part = temp.resolve("box/ota/rel-1.0.0.part");
        TestBoxes.await(() -> Files.exists(part) && size(part) >= 100_000, RESULT_TIMEOUT);
        box.stop(); // the agent dies mid-download
        server.endStall();
        long kept = Files.size(part);
        assertThat(kept).isBetween(100_000L, 299_999L);
        assertThat(temp.resolve("box/ota-update")).exists();
        assertThat(edge.results).isEmpty();

        startBox(config()); // same state directory; the console redelivers the lease with a fresh expansion
        CommandResult result = deliver(command);

        assertThat(result.success()).as(result.message()).isTrue();
        assertThat(server.imageRanges).hasSize(2);
        assertThat(server.imageRanges.get(1)).isEqualTo("bytes=" + kept + "-");
        assertThat(box.backend().activeSlot()).isEqualTo("B");
    }

    @Test
    void start_afterASwitchThatWasNeverConfirmed_rollsBackBeforeRegistering() throws Exception {
        Path sandbox = temp.resolve("box/sandbox");
        Files.createDirectories(sandbox.resolve("slots/B"));
        Files.writeString(sandbox.resolve("slots/B/version"), "1.0.0\n");
        Files.writeString(sandbox.resolve(SandboxBackend.ACTIVE_SLOT), "B\n");
        new OtaJournal(77, "rel-1.0.0", "1.0.0", OtaJournal.Step.SWITCHED, "A", "0.1.0").save(temp.resolve("box"));

        startBox(config());
        TestBoxes.await(() -> !edge.results.isEmpty(), RESULT_TIMEOUT);

        assertThat(edge.results.get(0).commandId()).isEqualTo(77);
        assertThat(edge.results.get(0).message()).isEqualTo("rolled back: the agent stopped before the update was confirmed");
        assertThat(box.backend().activeSlot()).isEqualTo("A");
        assertThat(edge.registrations.get(0).firmwareVersion()).isEqualTo("0.1.0");
        TestBoxes.await(() -> !edge.otaStatuses.isEmpty(), RESULT_TIMEOUT);
        assertThat(edge.otaStatuses.get(0).state()).isEqualTo(OtaState.ROLLED_BACK);
        assertThat(temp.resolve("box/ota-update")).doesNotExist();
    }

    @Test
    void update_malformedContents_failWithoutEchoingTheKey() throws Exception {
        startBox(config());
        UserCommand command = new UserCommand(nextId++, UserCommandType.UPDATE_FIRMWARE, 0, "10.7.0.2",
                "release=r1|model=spnbox-sim|version=1.0.0|force=0|key=c2VjcmV0|base=http://127.0.0.1:1/x".getBytes(StandardCharsets.UTF_8));

        CommandResult result = deliver(command);

        assertThat(result.message()).isEqualTo("update contents: key must be 32 bytes").doesNotContain("c2VjcmV0");
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    static void flipByte(Path file, long position) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x01);
        }
    }
}
