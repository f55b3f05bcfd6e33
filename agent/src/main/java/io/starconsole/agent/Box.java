package io.starconsole.agent;

import io.starconsole.agent.backend.Backend;
import io.starconsole.agent.backend.FirmwareHooks;
import io.starconsole.agent.backend.LinuxBackend;
import io.starconsole.agent.backend.ProcessCommandRunner;
import io.starconsole.agent.backend.SandboxBackend;
import io.starconsole.agent.backend.SpnAddress;
import io.starconsole.agent.command.CommandExecutor;
import io.starconsole.agent.command.ExecutedCommands;
import io.starconsole.agent.command.TentativeChanges;
import io.starconsole.agent.support.Utf8Text;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.agent.config.AgentConfig;
import io.starconsole.agent.config.EdgeKeySource;
import io.starconsole.agent.config.KeyFiles;
import io.starconsole.agent.lifecycle.BoxLifecycle;
import io.starconsole.agent.lifecycle.BoxState;
import io.starconsole.agent.lifecycle.BoxStatus;
import io.starconsole.agent.lifecycle.LifecycleTimers;
import io.starconsole.agent.link.BoxLink;
import io.starconsole.agent.ota.FirmwareUpdater;
import io.starconsole.agent.ota.TrustedKeys;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.MacAddress;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One box, wired: its key pair (from its key file, made at first start), backend, UDP link,
 * command executor and lifecycle. The agent runs one; the simulation runs many on one
 * {@link AgentRuntime}.
 */
public final class Box implements AutoCloseable {

    private static final Logger LOG = System.getLogger(Box.class.getName());
    private static final Inet4Address ANY = SpnAddress.ipv4("0.0.0.0");

    private final AgentConfig config;
    private final Backend backend;
    private final BoxLink link;
    private final BoxLifecycle lifecycle;
    private final TentativeChanges tentative;
    private final FirmwareUpdater firmware;

    private Box(AgentConfig config, Backend backend, BoxLink link, BoxLifecycle lifecycle, TentativeChanges tentative,
            FirmwareUpdater firmware) {
        this.config = config;
        this.backend = backend;
        this.link = link;
        this.lifecycle = lifecycle;
        this.tentative = tentative;
        this.firmware = firmware;
    }

    /** A box from {@code config} with the backend it names; not started. */
    public static Box create(AgentConfig config, AgentRuntime runtime, LifecycleTimers timers) throws IOException {
        return create(config, runtime, timers, Box::backendFor);
    }

    /** A box with a backend of the caller's (tests: LinuxBackend with stand-in programs). */
    public static Box create(AgentConfig config, AgentRuntime runtime, LifecycleTimers timers,
            Function<AgentConfig, Backend> backends) throws IOException {
        SecureRandom random = new SecureRandom();
        Backend backend = backends.apply(config);
        ExecutedCommands executed = new ExecutedCommands(config.stateDirectory());
        TentativeChanges tentative = new TentativeChanges(backend, executed, config.stateDirectory(), config.keyFile(),
                config.riskyChangeDeadline(), runtime.scheduler(), random, config.listenPort());
        Optional<CommandResult> rolledBack = tentative.recover(); // before the key is read: a key change may be undone
        FirmwareUpdater firmware = new FirmwareUpdater(backend, executed, config.stateDirectory(), config.otaDirectory(), config.model(),
                config.firmwareVersion(), new TrustedKeys(config.get(AgentConfig.Option.OTA_TRUSTED_KEYS), config.otaTrustedKeysFile()),
                config.otaHealthDeadline(), runtime.scheduler());
        Optional<CommandResult> firmwareRolledBack = firmware.recover(); // before registering: announce the slot that runs
        KeyPair keys = KeyFiles.loadOrCreate(config.keyFile(), random);
        EdgeKeySource edgeKeys = EdgeKeySource.of(config);
        AtomicReference<BoxLifecycle> lifecycle = new AtomicReference<>();
        BoxLink link = runtime.hub().open(config.edge(), datagram -> {
            BoxLifecycle target = lifecycle.get();
            if (target != null) {
                target.onDatagram(datagram);
            }
        });
        CommandExecutor commands = new CommandExecutor(backend, executed, tentative, firmware);
        lifecycle.set(new BoxLifecycle(config.id(), keys, edgeKeys, config.jediVersion(), () -> boxInfo(config, backend), link::send, backend,
                runtime.scheduler(), timers, commands, random));
        tentative.attach(lifecycle.get());
        firmware.attach(lifecycle.get());
        rolledBack.ifPresent(lifecycle.get()::sendResult); // sent once registered
        firmwareRolledBack.ifPresent(lifecycle.get()::sendResult);
        return new Box(config, backend, link, lifecycle.get(), tentative, firmware);
    }

    static Backend backendFor(AgentConfig config) {
        Optional<MacAddress> mac = config.mac().map(MacAddress::parse);
        if (config.backend().equals("linux")) {
            FirmwareHooks hooks = new FirmwareHooks(config.otaHook(AgentConfig.Option.OTA_INSTALL_HOOK),
                    config.otaHook(AgentConfig.Option.OTA_SWITCH_HOOK), config.otaHook(AgentConfig.Option.OTA_HEALTH_HOOK),
                    config.otaDirectory(), Duration.ofMinutes(10));
            return new LinuxBackend(ProcessCommandRunner.fromEnvironment(), config.get(AgentConfig.Option.INTERFACE),
                    config.get(AgentConfig.Option.UPLINK_INTERFACE), config.get(AgentConfig.Option.ADMIN_USER),
                    Path.of("/sys/class/net"), config.keyFile(), hooks);
        }
        return new SandboxBackend(config.sandboxDirectory(), mac, config.sandboxChangeDelay());
    }

    /** What HELLO / RECONNECT says: the configuration, the backend's MAC and current address. */
    static BoxInfo boxInfo(AgentConfig config, Backend backend) {
        MacAddress mac = config.mac().map(MacAddress::parse).orElseGet(backend::macAddress);
        Optional<SpnAddress> address;
        try {
            address = backend.spnAddress();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read the SPN address: " + e.getMessage());
            address = Optional.empty();
        }
        int listenPort;
        try {
            listenPort = backend.listenPort().orElse(config.listenPort());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read the listen port: " + e.getMessage());
            listenPort = config.listenPort();
        }
        String id = Utf8Text.truncate(config.id(), BoxInfo.MAX_ID_STRING_BYTES);
        return new BoxInfo(config.group(), id, mac, address.map(SpnAddress::ip).orElse(ANY),
                address.map(SpnAddress::prefixLength).orElse(0), listenPort, listenPort, config.allowedIps(),
                firmwareVersion(config, backend), config.enrolmentToken());
    }

    /** The active slot's version, or the configured one (a box that never installed an update). */
    static String firmwareVersion(AgentConfig config, Backend backend) {
        try {
            return Utf8Text.truncate(backend.firmwareVersion().orElse(config.firmwareVersion()), BoxInfo.MAX_FIRMWARE_VERSION_BYTES);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read the firmware version: " + e.getMessage());
            return config.firmwareVersion();
        }
    }

    public void start() {
        lifecycle.start();
    }

    /** BYE (if registered), then the socket is closed. The data plane is left as it is. */
    public void stop() {
        tentative.close(); // a change still waiting stays pending: rolled back at the next start
        firmware.close(); // a download stops where it is: resumed when the command comes again
        lifecycle.stop();
        try {
            link.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the link: " + e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    public Key publicKey() {
        return lifecycle.publicKey();
    }

    public BoxState state() {
        return lifecycle.state();
    }

    public BoxStatus status() {
        return lifecycle.status();
    }

    public Backend backend() {
        return backend;
    }

    public AgentConfig config() {
        return config;
    }

    /** The sandbox directory (meaningful with the sandbox backend). */
    public Path sandboxDirectory() {
        return config.sandboxDirectory();
    }

    public int localPort() {
        return link.localPort();
    }
}
