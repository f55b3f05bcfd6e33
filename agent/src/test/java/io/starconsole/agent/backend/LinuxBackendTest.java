package io.starconsole.agent.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.crypto.X25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LinuxBackend against stand-in programs on its search path that record their argument lists. */
class LinuxBackendTest {

    @TempDir
    Path temp;
    Path bin;
    Path calls;
    LinuxBackend backend;

    @BeforeEach
    void standIns() throws Exception {
        bin = Files.createDirectories(temp.resolve("bin"));
        calls = temp.resolve("calls");
        for (String program : List.of("ip", "wg", "hostnamectl", "chpasswd", "reboot")) {
            String script = "#!/bin/sh\n"
                    + "{ printf '%s' \"${0##*/}\"; for a in \"$@\"; do printf ' [%s]' \"$a\"; done; printf '\\n'; } >> '" + calls + "'\n"
                    + (program.equals("chpasswd") ? "while IFS= read -r line; do printf '%s\\n' \"$line\"; done >> '" + temp.resolve("stdin") + "'\n" : "")
                    + (program.equals("ip") ? "[ \"$1 $2\" = '-4 -o' ] && echo '5: spn0    inet 10.9.8.7/24 scope global spn0'\n" : "")
                    + "exit 0\n";
            Path file = bin.resolve(program);
            Files.writeString(file, script);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path sys = Files.createDirectories(temp.resolve("sys/eth0"));
        Files.writeString(sys.resolve("address"), "52:54:00:12:34:56\n");
        backend = new LinuxBackend(new ProcessCommandRunner(List.of(bin), Duration.ofSeconds(10)), "spn0", "eth0", "admin",
                temp.resolve("sys"), temp.resolve("agent.key"));
    }

    List<String> recorded() throws Exception {
        return Files.readAllLines(calls);
    }

    @Test
    void setSpnAddress_flushesAddsAndRaisesTheInterface() throws Exception {
        backend.setSpnAddress(SpnAddress.parse("10.7.0.2/24"));
        assertThat(recorded()).containsExactly(
                "ip [-4] [address] [flush] [dev] [spn0]",
                "ip [address] [add] [10.7.0.2/24] [dev] [spn0]",
                "ip [link] [set] [up] [dev] [spn0]");
    }

    @Test
    void spnAddress_isParsedFromIpOutput() {
        assertThat(backend.spnAddress()).contains(SpnAddress.parse("10.9.8.7/24"));
    }

    @Test
    void addPeer_runsWgSetWithEachRuleFieldAsItsOwnArgument() throws Exception {
        String key = KeyPair.generate(new SecureRandom()).publicKey().toBase64();
        backend.addPeer(PeerRule.parse(key + "|allowed-ips|10.1.2.1/32,10.1.3.0/24|endpoint|121.162.94.203:59760|persistent-keepalive|25"));
        backend.removePeer(PeerRule.parse(key));
        assertThat(recorded()).containsExactly(
                "wg [set] [spn0] [peer] [" + key + "] [allowed-ips] [10.1.2.1/32,10.1.3.0/24] [endpoint] [121.162.94.203:59760] [persistent-keepalive] [25]",
                "wg [set] [spn0] [peer] [" + key + "] [remove]");
    }

    @Test
    void hostnameListenPortPasswordAndReboot_runTheirTools() throws Exception {
        backend.setHostname("box-7");
        backend.setListenPort(51821);
        backend.setAdminPasswordHash("$6$salt$hash");
        backend.reboot();
        assertThat(recorded()).containsExactly(
                "hostnamectl [set-hostname] [box-7]",
                "wg [set] [spn0] [listen-port] [51821]",
                "chpasswd [-e]",
                "reboot");
        assertThat(Files.readString(temp.resolve("stdin"))).isEqualTo("admin:$6$salt$hash\n");
    }

    @Test
    void hostileValues_areRefusedBeforeAnyProgramRuns() {
        assertThatThrownBy(() -> backend.setHostname("x; reboot")).isInstanceOf(BackendException.class);
        assertThatThrownBy(() -> backend.setAdminPasswordHash("plain-password")).isInstanceOf(BackendException.class);
        assertThatThrownBy(() -> PeerRule.parse("not-a-key|allowed-ips|10.0.0.1/32")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(calls)).isFalse();
    }

    @Test
    void macAddress_isReadFromSysfs() {
        assertThat(backend.macAddress().toString()).isEqualTo("52:54:00:12:34:56");
    }

    @Test
    void missingProgram_failsWithItsName() {
        ProcessCommandRunner runner = new ProcessCommandRunner(List.of(temp.resolve("empty")), Duration.ofSeconds(1));
        assertThatThrownBy(() -> runner.run(List.of("wg", "show"), null)).isInstanceOf(BackendException.class)
                .hasMessageContaining("wg: not found");
    }

    @Test
    void agentClassPath_hasNoBouncyCastle_soTheLadderDerivesPublicKeys() {
        assertThat(X25519.backend()).isEqualTo(X25519.Backend.LADDER_51);
    }

    // ---- OTA hooks ---------------------------------------------------------------------------------

    /** A stand-in hook that records its arguments and exits with {@code status}. */
    Path hook(String name, int status) throws Exception {
        Path file = Files.createDirectories(temp.resolve("hooks")).resolve(name);
        Files.writeString(file, "#!/bin/sh\n"
                + "{ printf '%s' \"${0##*/}\"; for a in \"$@\"; do printf ' [%s]' \"$a\"; done; printf '\\n'; } >> '" + calls + "'\n"
                + (status == 0 ? "" : "echo 'watchdog: no uplink' ; ") + "exit " + status + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    LinuxBackend withHooks(int healthStatus) throws Exception {
        FirmwareHooks hooks = new FirmwareHooks(java.util.Optional.of(hook("install-firmware", 0)),
                java.util.Optional.of(hook("switch-slot", 0)), java.util.Optional.of(hook("check-health", healthStatus)),
                Files.createDirectories(temp.resolve("ota")), Duration.ofSeconds(10));
        return new LinuxBackend(new ProcessCommandRunner(List.of(bin), Duration.ofSeconds(10)), "spn0", "eth0", "admin",
                temp.resolve("sys"), temp.resolve("agent.key"), hooks);
    }

    @Test
    void firmware_installSwitchAndHealth_runTheConfiguredHooksAndTrackSlotAndVersion() throws Exception {
        LinuxBackend linux = withHooks(0);
        Path image = Files.writeString(temp.resolve("rel.img"), "image");
        assertThat(linux.activeSlot()).isEqualTo("A");
        assertThat(linux.firmwareVersion()).isEmpty();

        linux.installFirmware("B", image, "1.2.0");
        linux.switchSlot("B");

        assertThat(recorded()).containsExactly(
                "install-firmware [" + image.toAbsolutePath() + "] [B]",
                "switch-slot [B]");
        assertThat(linux.activeSlot()).isEqualTo("B");
        assertThat(linux.firmwareVersion()).contains("1.2.0");
        assertThat(linux.firmwareHealthProblem()).isEmpty();
        assertThat(recorded()).endsWith("check-health [B]");
        assertThat(linux.switchRebootsTheBox()).isTrue();
    }

    @Test
    void firmware_failingHealthHook_isAHealthProblemWithItsFirstLine() throws Exception {
        LinuxBackend linux = withHooks(3);
        assertThat(linux.firmwareHealthProblem()).hasValueSatisfying(problem ->
                assertThat(problem).isEqualTo("health check: check-health A failed (exit 3): watchdog: no uplink"));
    }

    @Test
    void firmware_installIntoTheActiveSlotOrWithoutHooks_isRefused() throws Exception {
        LinuxBackend linux = withHooks(0);
        Path image = Files.writeString(temp.resolve("rel.img"), "image");
        assertThatThrownBy(() -> linux.installFirmware("A", image, "1.2.0")).isInstanceOf(BackendException.class)
                .hasMessageContaining("active one");
        assertThatThrownBy(() -> backend.installFirmware("B", image, "1.2.0")).isInstanceOf(BackendException.class)
                .hasMessageContaining("ota-install-hook is not configured");
        assertThat(Files.exists(calls)).isFalse();
    }
}
