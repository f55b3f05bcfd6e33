package io.starconsole.agent.backend;

import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.message.MacAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real box: {@code ip}, {@code wg}, {@code hostnamectl}, {@code chpasswd -e} and {@code reboot},
 * each run through a {@link CommandRunner} with an argument list. The WireGuard interface (e.g.
 * {@code spn0}) is expected to exist (made by the image or by {@code ip link add spn0 type
 * wireguard}); this class changes its settings, never deletes it.
 */
public final class LinuxBackend implements Backend {

    private static final Pattern INET = Pattern.compile("\\binet (\\d+\\.\\d+\\.\\d+\\.\\d+)/(\\d+)");

    private final CommandRunner runner;
    private final String wgInterface;
    private final String uplinkInterface;
    private final String adminUser;
    private final Path sysClassNet;
    private final Path keyFile;
    private final FirmwareHooks firmware;

    /**
     * @param sysClassNet {@code /sys/class/net} (tests give a directory of their own)
     * @param keyFile     the agent's key file, which {@code wg set <if> private-key} reads
     */
    public LinuxBackend(CommandRunner runner, String wgInterface, String uplinkInterface, String adminUser, Path sysClassNet,
            Path keyFile) {
        this(runner, wgInterface, uplinkInterface, adminUser, sysClassNet, keyFile, FirmwareHooks.none(keyFile.toAbsolutePath().getParent()));
    }

    /** @param firmware the OTA hooks and where the agent keeps its record of the slots */
    public LinuxBackend(CommandRunner runner, String wgInterface, String uplinkInterface, String adminUser, Path sysClassNet,
            Path keyFile, FirmwareHooks firmware) {
        this.firmware = firmware;
        this.runner = runner;
        this.wgInterface = requireName(wgInterface);
        this.uplinkInterface = requireName(uplinkInterface);
        this.adminUser = adminUser;
        this.sysClassNet = sysClassNet;
        this.keyFile = keyFile;
    }

    private static String requireName(String name) {
        if (!name.matches("[A-Za-z0-9_.\\-]{1,15}") || name.startsWith("-")) {
            throw new IllegalArgumentException("'" + name + "' is not an interface name");
        }
        return name;
    }

    @Override
    public Optional<SpnAddress> spnAddress() {
        Matcher matcher = INET.matcher(runner.run(List.of("ip", "-4", "-o", "address", "show", "dev", wgInterface), null));
        return matcher.find() ? Optional.of(SpnAddress.parse(matcher.group(1) + "/" + matcher.group(2))) : Optional.empty();
    }

    @Override
    public void setSpnAddress(SpnAddress address) {
        runner.run(List.of("ip", "-4", "address", "flush", "dev", wgInterface), null);
        runner.run(List.of("ip", "address", "add", address.toString(), "dev", wgInterface), null);
        runner.run(List.of("ip", "link", "set", "up", "dev", wgInterface), null);
    }

    @Override
    public MacAddress macAddress() {
        Path file = sysClassNet.resolve(uplinkInterface).resolve("address");
        try {
            return MacAddress.parse(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | IllegalArgumentException e) {
            throw new BackendException("cannot read the MAC address of " + uplinkInterface + " (set 'mac' in the configuration)", e);
        }
    }

    @Override
    public void setHostname(String hostname) {
        runner.run(List.of("hostnamectl", "set-hostname", Hostnames.require(hostname)), null);
    }

    @Override
    public void setAdminPasswordHash(String cryptHash) {
        runner.run(List.of("chpasswd", "-e"), adminUser + ":" + CryptHashes.require(cryptHash) + "\n");
    }

    @Override
    public OptionalInt listenPort() {
        String text = runner.run(List.of("wg", "show", wgInterface, "listen-port"), null).strip();
        try {
            int port = Integer.parseInt(text);
            return port == 0 ? OptionalInt.empty() : OptionalInt.of(port);
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public void setListenPort(int port) {
        runner.run(List.of("wg", "set", wgInterface, "listen-port", Integer.toString(port)), null);
    }

    @Override
    public void addPeer(PeerRule peer) {
        List<String> argv = new ArrayList<>(List.of("wg", "set", wgInterface, "peer", peer.publicKey()));
        if (!peer.allowedIps().isEmpty()) {
            argv.addAll(List.of("allowed-ips", String.join(",", peer.allowedIps())));
        }
        peer.endpoint().ifPresent(endpoint -> argv.addAll(List.of("endpoint", endpoint)));
        peer.keepaliveSeconds().ifPresent(seconds -> argv.addAll(List.of("persistent-keepalive", seconds.toString())));
        runner.run(argv, null);
    }

    @Override
    public void removePeer(PeerRule peer) {
        runner.run(List.of("wg", "set", wgInterface, "peer", peer.publicKey(), "remove"), null);
    }

    @Override
    public void addP2pTunnel(P2pTunnelRule tunnel) {
        String name = tunnel.interfaceName();
        runner.run(List.of("ip", "link", "add", "dev", name, "type", "wireguard"), null);
        runner.run(List.of("wg", "set", name, "listen-port", Integer.toString(tunnel.listenPort()), "private-key",
                keyFile.toString(), "peer", tunnel.endpointKey(), "endpoint", tunnel.server(), "allowed-ips", "0.0.0.0/0",
                "persistent-keepalive", "25"), null);
        runner.run(List.of("ip", "address", "add", tunnel.virtualIp() + "/32", "dev", name), null);
        runner.run(List.of("ip", "link", "set", "up", "dev", name), null);
    }

    @Override
    public void removeP2pTunnel(P2pTunnelRule tunnel) {
        runner.run(List.of("ip", "link", "del", "dev", tunnel.interfaceName()), null);
    }

    @Override
    public void setPrivateKey(Key privateKey) {
        // wg reads the key from a file; the agent's key file already holds the new key (0600).
        runner.run(List.of("wg", "set", wgInterface, "private-key", keyFile.toString()), null);
    }

    @Override
    public void reboot() {
        runner.run(List.of("reboot"), null);
    }

    @Override
    public void factoryReset() {
        // The image's own reset script knows what "as installed" means on this hardware.
        runner.run(List.of("star-console-factory-reset"), null);
    }


    // ---- firmware slots: the hooks do the work; the agent records the active slot and versions ----

    private static final String ACTIVE_SLOT = "active-slot";

    @Override
    public synchronized String activeSlot() {
        return readSlotFile(ACTIVE_SLOT).filter(slot -> slot.equals("A") || slot.equals("B")).orElse("A");
    }

    @Override
    public synchronized Optional<String> firmwareVersion() {
        return readSlotFile("slot-" + activeSlot() + ".version");
    }

    @Override
    public synchronized void installFirmware(String slot, Path image, String version) {
        Path hook = firmware.install().orElseThrow(() -> new BackendException("ota-install-hook is not configured"));
        if (slot.equals(activeSlot())) {
            throw new BackendException("slot " + slot + " is the active one; firmware goes into the inactive slot");
        }
        writeSlotFile("slot-" + slot + ".version", null);
        firmware.run(hook, List.of(image.toAbsolutePath().toString(), requireSlot(slot)));
        writeSlotFile("slot-" + slot + ".version", version);
    }

    @Override
    public synchronized void switchSlot(String slot) {
        Path hook = firmware.switchSlot().orElseThrow(() -> new BackendException("ota-switch-hook is not configured"));
        firmware.run(hook, List.of(requireSlot(slot)));
        writeSlotFile(ACTIVE_SLOT, slot);
    }

    @Override
    public Optional<String> firmwareHealthProblem() {
        if (firmware.health().isEmpty()) {
            return Optional.empty();
        }
        try {
            firmware.run(firmware.health().get(), List.of(activeSlot()));
            return Optional.empty();
        } catch (BackendException e) {
            return Optional.of("health check: " + e.getMessage());
        }
    }

    @Override
    public boolean switchRebootsTheBox() {
        return true;
    }

    private static String requireSlot(String slot) {
        if (!slot.equals("A") && !slot.equals("B")) {
            throw new BackendException("no slot " + slot);
        }
        return slot;
    }

    private Optional<String> readSlotFile(String name) {
        Path file = firmware.stateDirectory().resolve(name);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()).filter(s -> !s.isEmpty())
                    : Optional.empty();
        } catch (IOException e) {
            throw new BackendException("cannot read " + file, e);
        }
    }

    private void writeSlotFile(String name, String value) {
        Path file = firmware.stateDirectory().resolve(name);
        try {
            if (value == null) {
                Files.deleteIfExists(file);
            } else {
                io.starconsole.agent.support.AtomicFiles.write(file, value + "\n", false);
            }
        } catch (IOException e) {
            throw new BackendException("cannot write " + file, e);
        }
    }
}
