package io.starconsole.agent.backend;

import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.message.MacAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The box's device: what the agent reads and changes on it. {@link SandboxBackend} keeps the state
 * as files in a directory (development, tests, simulation); {@link LinuxBackend} runs the real
 * tools. Every method either succeeds or throws {@link BackendException} with a message for the
 * operator. Nothing here tears down the data plane on its own: the agent only calls these on an
 * edge's answer or an operator's command.
 */
public interface Backend {

    /** The SPN address configured on the tunnel interface, if any. */
    Optional<SpnAddress> spnAddress();

    /** Configures {@code address} on the tunnel interface, replacing the previous one. */
    void setSpnAddress(SpnAddress address);

    /** The MAC address that identifies the box. */
    MacAddress macAddress();

    void setHostname(String hostname);

    /** Sets the admin account's password from a crypt(3) hash (never a plain password). */
    void setAdminPasswordHash(String cryptHash);

    /** The tunnel interface's listen port, if one is configured. */
    OptionalInt listenPort();

    void setListenPort(int port);

    /** Adds or replaces (same public key) a WireGuard peer. */
    void addPeer(PeerRule peer);

    void removePeer(PeerRule peer);

    void addP2pTunnel(P2pTunnelRule tunnel);

    void removeP2pTunnel(P2pTunnelRule tunnel);

    /** Gives the tunnel interface a new private key (already saved in the agent's key file). */
    void setPrivateKey(Key privateKey);

    /** Restarts the box. May not return. */
    void reboot();

    /** Forgets peers, tunnels, address, hostname and password set since installation. */
    void factoryReset();

    // ---- firmware slots (A/B), for OTA updates (docs/ota.md, "On the box") ------------------------

    /** The slot the box runs: {@code A} or {@code B}. */
    String activeSlot();

    /** The firmware version installed in the active slot, if the backend knows it. */
    Optional<String> firmwareVersion();

    /**
     * Installs the decrypted, verified image {@code image} as {@code version} into {@code slot} (never
     * the active one). The file may be moved or deleted by this call.
     */
    void installFirmware(String slot, Path image, String version);

    /** Makes {@code slot} the active one. */
    void switchSlot(String slot);

    /** The health check of the running firmware; empty if healthy, else the reason. */
    Optional<String> firmwareHealthProblem();

    /**
     * True if the firmware switch takes a real reboot that ends this process (linux); false if the
     * agent restarts its own registration instead (sandbox).
     */
    boolean switchRebootsTheBox();

    /** The other slot. */
    static String otherSlot(String slot) {
        return slot.equals("A") ? "B" : "A";
    }
}
