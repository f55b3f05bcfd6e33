package io.starconsole.agent.command;

import io.starconsole.agent.backend.Backend;
import io.starconsole.agent.backend.BackendException;
import io.starconsole.agent.backend.P2pTunnelRule;
import io.starconsole.agent.backend.PeerRule;
import io.starconsole.agent.backend.SpnAddress;
import io.starconsole.agent.lifecycle.CommandHandler;
import io.starconsole.agent.ota.FirmwareUpdater;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.UserCommand;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out the seed's 12 user commands through the {@link Backend}, once per command id: a
 * command already in {@link ExecutedCommands} is not run again, its stored result is returned; a
 * command whose execution is still in progress (a risky change waiting for the console) returns
 * nothing. REBOOT and factory reset are acknowledged first and done in {@link #afterResultSent};
 * the SPN address, listen port and key are changed tentatively by {@link TentativeChanges}; a
 * firmware update is carried out by the {@link FirmwareUpdater}, its result coming later. The
 * contents are the seed's argument text (without the SPN IP, which is the command's target).
 * Results never repeat the contents, so a password hash is not echoed.
 */
public final class CommandExecutor implements CommandHandler {

    private static final Logger LOG = System.getLogger(CommandExecutor.class.getName());

    private final Backend backend;
    private final ExecutedCommands executed;
    private final TentativeChanges tentative;
    private final FirmwareUpdater firmware;
    private final Set<Long> inProgress = ConcurrentHashMap.newKeySet();
    /** Ids run by this delivery (not re-sent from the record): only they get their after-result action. */
    private final Set<Long> justRun = ConcurrentHashMap.newKeySet();

    public CommandExecutor(Backend backend, ExecutedCommands executed, TentativeChanges tentative, FirmwareUpdater firmware) {
        this.backend = backend;
        this.executed = executed;
        this.tentative = tentative;
        this.firmware = firmware;
    }

    @Override
    public synchronized CompletableFuture<CommandResult> handle(UserCommand command) {
        long id = command.id();
        var stored = executed.find(id);
        if (stored.isPresent()) {
            return CompletableFuture.completedFuture(stored.get());
        }
        if (inProgress.contains(id)) {
            LOG.log(Level.INFO, "command " + Long.toUnsignedString(id) + " is still in progress; not run again");
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<CommandResult> result = execute(command);
        justRun.add(id);
        if (result.isDone()) {
            record(command, result.join());
        } else {
            inProgress.add(id);
            result.whenComplete((done, error) -> inProgress.remove(id)); // recorded by TentativeChanges / FirmwareUpdater
        }
        return result;
    }

    private void record(UserCommand command, CommandResult result) {
        executed.record(result);
        LOG.log(Level.INFO, "command " + Long.toUnsignedString(command.id()) + " " + command.type() + ": "
                + CommandOutcome.of(result).label() + (result.success() ? "" : ": " + result.message()));
    }

    private CompletableFuture<CommandResult> execute(UserCommand command) {
        String text = new String(command.contents(), StandardCharsets.UTF_8).strip();
        long id = command.id();
        try {
            CompletableFuture<CommandResult> risky = switch (command.type()) {
                case CHANGE_L3_SPN_IP_ADDRESS -> tentative.changeAddress(id, parseAddress(text));
                case CHANGE_L3_SPN_LISTEN_PORT -> tentative.changeListenPort(id, parsePort(text));
                case REGENERATE_L3_SPN_KEY -> CompletableFuture.completedFuture(tentative.prepareKey(id));
                case UPDATE_FIRMWARE -> firmware.update(id, text);
                default -> null;
            };
            if (risky != null) {
                return risky;
            }
            String message = switch (command.type()) {
                case CHANGE_SPNBOX_NAME -> {
                    backend.setHostname(text);
                    yield "host name set to " + text;
                }
                case CHANGE_ADMIN_PASSWORD -> {
                    backend.setAdminPasswordHash(text);
                    yield "admin password changed";
                }
                case REBOOT_SPNBOX -> "rebooting";
                case GOTO_FACTORY_DEFAULT_STATE -> "resetting to factory defaults, then rebooting";
                case CHANGE_L3_SPN_IP_ADDRESS, CHANGE_L3_SPN_LISTEN_PORT, REGENERATE_L3_SPN_KEY, UPDATE_FIRMWARE ->
                    throw new IllegalStateException("risky changes and firmware updates are handled above");
                case ADD_L3_SPN_TUNNEL -> {
                    PeerRule peer = PeerRule.parse(text);
                    backend.addPeer(peer);
                    yield "peer " + peer.publicKey() + " added";
                }
                case REMOVE_L3_SPN_TUNNEL -> {
                    PeerRule peer = PeerRule.parse(text);
                    backend.removePeer(peer);
                    yield "peer " + peer.publicKey() + " removed";
                }
                case ADD_P2P_SPN_TUNNEL -> {
                    P2pTunnelRule tunnel = P2pTunnelRule.parse(text, false);
                    backend.addP2pTunnel(tunnel);
                    yield "p2p tunnel " + tunnel.groupName() + " added";
                }
                case REMOVE_P2P_SPN_TUNNEL -> {
                    P2pTunnelRule tunnel = P2pTunnelRule.parse(text, true);
                    backend.removeP2pTunnel(tunnel);
                    yield "p2p tunnel " + tunnel.groupName() + " removed";
                }
                // The console cancels what is still queued; the box holds no queue of its own.
                case FLUSH_USER_CMDS -> "nothing queued on the box; the console cancels its queued commands";
            };
            return CompletableFuture.completedFuture(CommandOutcome.SUCCEEDED.result(id, message));
        } catch (IllegalArgumentException | BackendException | UncheckedIOException e) {
            return CompletableFuture.completedFuture(
                    CommandOutcome.FAILED.result(id, e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    @Override
    public void afterResultSent(UserCommand command) {
        if (!justRun.remove(command.id())) {
            return; // a re-sent result: the action was taken when the command ran
        }
        try {
            switch (command.type()) {
                case REBOOT_SPNBOX -> backend.reboot();
                case GOTO_FACTORY_DEFAULT_STATE -> {
                    backend.factoryReset();
                    backend.reboot();
                }
                case REGENERATE_L3_SPN_KEY -> tentative.switchKey(command.id());
                default -> {
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "command " + Long.toUnsignedString(command.id()) + " " + command.type() + " failed after acknowledging: "
                    + e.getMessage());
        }
    }

    /** {@code 10.1.2.1|255.255.255.0} (the seed's form) or {@code 10.1.2.1/24}. */
    static SpnAddress parseAddress(String text) {
        int bar = text.indexOf('|');
        if (bar >= 0) {
            return new SpnAddress(SpnAddress.ipv4(text.substring(0, bar)), SpnAddress.prefixOfMask(text.substring(bar + 1)));
        }
        return SpnAddress.parse(text);
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 0xFFFF) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port (1..65535)");
        }
    }
}
