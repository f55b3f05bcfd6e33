package io.starconsole.agent.backend;

import io.starconsole.agent.support.AtomicFiles;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.message.MacAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The box's state as files in one directory, one file per setting, each replaced atomically:
 * {@code hostname}, {@code spn-address} ({@code 10.1.2.3/24}), {@code listen-port}, {@code peers}
 * and {@code p2p-tunnels} (one canonical rule per line), {@code admin-password-hash} (0600),
 * {@code private-key} (0600), {@code mac} (made at first use, locally administered) and
 * {@code reboots} / {@code factory-resets} (counters). Firmware: slots {@code slots/A} and
 * {@code slots/B} (each an {@code image} and its {@code version}) and {@code active-slot}. The
 * default backend for development, tests and simulation.
 */
public final class SandboxBackend implements Backend {

    public static final String HOSTNAME = "hostname";
    public static final String SPN_ADDRESS = "spn-address";
    public static final String LISTEN_PORT = "listen-port";
    public static final String PEERS = "peers";
    public static final String P2P_TUNNELS = "p2p-tunnels";
    public static final String ADMIN_PASSWORD_HASH = "admin-password-hash";
    public static final String PRIVATE_KEY = "private-key";
    public static final String MAC = "mac";
    public static final String REBOOTS = "reboots";
    public static final String FACTORY_RESETS = "factory-resets";
    public static final String ACTIVE_SLOT = "active-slot";
    public static final String SLOTS = "slots";
    public static final String SLOT_IMAGE = "image";
    public static final String SLOT_VERSION = "version";
    /** An image containing this ASCII marker fails the sandbox's health check (how tests make a bad release). */
    public static final String UNHEALTHY_MARKER = "UNHEALTHY";

    private final Path directory;
    private final Optional<MacAddress> fixedMac;
    private final Duration changeDelay;

    /** @param fixedMac the MAC to report; empty = the one in the {@code mac} file, made at first use */
    public SandboxBackend(Path directory, Optional<MacAddress> fixedMac) {
        this(directory, fixedMac, Duration.ZERO);
    }

    /**
     * @param changeDelay how long each change of the box's settings takes before it is written, as on
     *                    a slow box (demos, and tests that stop an agent in the middle of a command)
     */
    public SandboxBackend(Path directory, Optional<MacAddress> fixedMac, Duration changeDelay) {
        this.directory = directory;
        this.fixedMac = fixedMac;
        this.changeDelay = changeDelay;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new BackendException("cannot create sandbox directory " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public synchronized Optional<SpnAddress> spnAddress() {
        return read(SPN_ADDRESS).map(SpnAddress::parse);
    }

    @Override
    public synchronized void setSpnAddress(SpnAddress address) {
        changeTakesTime();
        write(SPN_ADDRESS, address.toString(), false);
    }

    @Override
    public synchronized MacAddress macAddress() {
        if (fixedMac.isPresent()) {
            return fixedMac.get();
        }
        Optional<String> stored = read(MAC);
        if (stored.isPresent()) {
            return MacAddress.parse(stored.get());
        }
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        long value = 0;
        for (byte b : bytes) {
            value = (value << 8) | (b & 0xFF);
        }
        value = (value & ~0x0100_0000_0000L) | 0x0200_0000_0000L; // unicast, locally administered
        MacAddress mac = new MacAddress(value);
        write(MAC, mac.toString(), false);
        return mac;
    }

    @Override
    public synchronized void setHostname(String hostname) {
        changeTakesTime();
        write(HOSTNAME, Hostnames.require(hostname), false);
    }

    @Override
    public synchronized void setAdminPasswordHash(String cryptHash) {
        changeTakesTime();
        write(ADMIN_PASSWORD_HASH, CryptHashes.require(cryptHash), true);
    }

    @Override
    public synchronized OptionalInt listenPort() {
        Optional<String> stored = read(LISTEN_PORT);
        return stored.isPresent() ? OptionalInt.of(Integer.parseInt(stored.get())) : OptionalInt.empty();
    }

    @Override
    public synchronized void setListenPort(int port) {
        changeTakesTime();
        write(LISTEN_PORT, Integer.toString(port), false);
    }

    @Override
    public synchronized void addPeer(PeerRule peer) {
        changeTakesTime();
        replaceLines(PEERS, PeerRule::parse, PeerRule::publicKey, peer.publicKey(), peer.toRule());
    }

    @Override
    public synchronized void removePeer(PeerRule peer) {
        changeTakesTime();
        replaceLines(PEERS, PeerRule::parse, PeerRule::publicKey, peer.publicKey(), null);
    }

    @Override
    public synchronized void addP2pTunnel(P2pTunnelRule tunnel) {
        changeTakesTime();
        replaceLines(P2P_TUNNELS, line -> P2pTunnelRule.parse(line, false), P2pTunnelRule::groupName,
                tunnel.groupName(), tunnel.toRule());
    }

    @Override
    public synchronized void removeP2pTunnel(P2pTunnelRule tunnel) {
        changeTakesTime();
        replaceLines(P2P_TUNNELS, line -> P2pTunnelRule.parse(line, false), P2pTunnelRule::groupName,
                tunnel.groupName(), null);
    }

    @Override
    public synchronized void setPrivateKey(Key privateKey) {
        changeTakesTime();
        write(PRIVATE_KEY, privateKey.toBase64(), true);
    }

    @Override
    public synchronized void reboot() {
        changeTakesTime();
        increment(REBOOTS);
    }

    @Override
    public synchronized void factoryReset() {
        changeTakesTime();
        for (String name : List.of(HOSTNAME, SPN_ADDRESS, LISTEN_PORT, PEERS, P2P_TUNNELS, ADMIN_PASSWORD_HASH)) {
            try {
                Files.deleteIfExists(directory.resolve(name));
            } catch (IOException e) {
                throw new BackendException("cannot reset " + name, e);
            }
        }
        increment(FACTORY_RESETS);
    }

    @Override
    public synchronized String activeSlot() {
        return read(ACTIVE_SLOT).filter(slot -> slot.equals("A") || slot.equals("B")).orElse("A");
    }

    @Override
    public synchronized Optional<String> firmwareVersion() {
        return read(SLOTS + "/" + activeSlot() + "/" + SLOT_VERSION).filter(version -> !version.isEmpty());
    }

    @Override
    public synchronized void installFirmware(String slot, Path image, String version) {
        requireInactive(slot);
        Path target = directory.resolve(SLOTS).resolve(slot);
        try {
            Files.createDirectories(target);
            Files.deleteIfExists(target.resolve(SLOT_VERSION)); // a half-installed slot has no version
            Files.move(image, target.resolve(SLOT_IMAGE), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BackendException("cannot install into slot " + slot + ": " + e.getMessage(), e);
        }
        write(SLOTS + "/" + slot + "/" + SLOT_VERSION, version, false);
    }

    @Override
    public synchronized void switchSlot(String slot) {
        if (!slot.equals("A") && !slot.equals("B")) {
            throw new BackendException("no slot " + slot);
        }
        write(ACTIVE_SLOT, slot, false);
    }

    /** Healthy unless the active slot's image contains {@value #UNHEALTHY_MARKER} (read in blocks, memory bounded). */
    @Override
    public synchronized Optional<String> firmwareHealthProblem() {
        Path image = directory.resolve(SLOTS).resolve(activeSlot()).resolve(SLOT_IMAGE);
        if (!Files.exists(image)) {
            return Optional.empty(); // the factory firmware: no image file of its own
        }
        byte[] marker = UNHEALTHY_MARKER.getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[65536 + marker.length];
        int kept = 0;
        try (InputStream in = Files.newInputStream(image)) {
            int read;
            while ((read = in.read(buffer, kept, buffer.length - kept)) > 0) {
                int filled = kept + read;
                if (contains(buffer, filled, marker)) {
                    return Optional.of("the firmware in slot " + activeSlot() + " reports itself unhealthy");
                }
                kept = Math.min(marker.length - 1, filled);
                System.arraycopy(buffer, filled - kept, buffer, 0, kept);
            }
        } catch (IOException e) {
            return Optional.of("cannot read the firmware image: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public boolean switchRebootsTheBox() {
        return false;
    }

    private void requireInactive(String slot) {
        if (!slot.equals("A") && !slot.equals("B")) {
            throw new BackendException("no slot " + slot);
        }
        if (slot.equals(activeSlot())) {
            throw new BackendException("slot " + slot + " is the active one; firmware goes into the inactive slot");
        }
    }

    private void changeTakesTime() {
        if (changeDelay.isZero()) {
            return;
        }
        try {
            Thread.sleep(changeDelay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted before the change was made", e);
        }
    }

    /** Lines of {@code name}, without the one whose key is {@code key}, plus {@code newLine} if not null. */
    private <T> void replaceLines(String name, Function<String, T> parse, Function<T, String> keyOf, String key, String newLine) {
        List<String> kept = new ArrayList<>();
        for (String line : lines(name)) {
            if (!keyOf.apply(parse.apply(line)).equals(key)) {
                kept.add(line);
            }
        }
        if (newLine != null) {
            kept.add(newLine);
        }
        write(name, kept.isEmpty() ? "" : String.join("\n", kept), false);
    }

    private List<String> lines(String name) {
        return read(name).map(text -> text.lines().filter(l -> !l.isBlank()).toList()).orElse(List.of());
    }

    private void increment(String name) {
        long count = read(name).map(Long::parseLong).orElse(0L);
        write(name, Long.toString(count + 1), false);
    }

    private Optional<String> read(String name) {
        Path file = directory.resolve(name);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new BackendException("cannot read " + name, e);
        }
    }

    private void write(String name, String content, boolean secret) {
        try {
            AtomicFiles.write(directory.resolve(name), content.isEmpty() ? "" : content + "\n", secret);
        } catch (IOException e) {
            throw new BackendException("cannot write " + name, new UncheckedIOException(e));
        }
    }
}
