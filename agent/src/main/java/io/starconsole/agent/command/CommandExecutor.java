package io.starconsole.agent.command;

import io.starconsole.agent.backend.Backend;
import io.starconsole.agent.backend.BackendException;
import io.starconsole.agent.backend.P2pTunnelRule;
import io.starconsole.agent.backend.PeerRule;
import io.starconsole.agent.backend.SpnAddress;
import io.starconsole.agent.lifecycle.CommandHandler;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.UserCommand;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

/**
 * Carries out the seed's 12 user commands through the {@link Backend}, once per command id: a
 * command already in {@link ExecutedCommands} is not run again, its stored result is returned.
 * REBOOT, factory reset and key regeneration are acknowledged first and done in
 * {@link #afterResultSent}. The contents are the seed's argument text (without the SPN IP, which is
 * the command's target). Results never repeat the contents, so a password hash is not echoed.
 */
public final class CommandExecutor implements CommandHandler {

    private static final Logger LOG = System.getLogger(CommandExecutor.class.getName());

    private final Backend backend;
    private final ExecutedCommands executed;
    private final Runnable regenerateKey;

    /** @param regenerateKey makes a new key pair, saves it and registers under it (after the result went out) */
    public CommandExecutor(Backend backend, ExecutedCommands executed, Runnable regenerateKey) {
        this.backend = backend;
        this.executed = executed;
        this.regenerateKey = regenerateKey;
    }

    @Override
    public synchronized CommandResult handle(UserCommand command) {
        return executed.find(command.id()).orElseGet(() -> {
            CommandResult result = execute(command);
            executed.record(result);
            LOG.log(Level.INFO, "command " + Long.toUnsignedString(command.id()) + " " + command.type() + ": "
                    + (result.success() ? "succeeded" : "failed: " + result.message()));
            return result;
        });
    }

    private CommandResult execute(UserCommand command) {
        String text = new String(command.contents(), StandardCharsets.UTF_8).strip();
        try {
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
                case CHANGE_L3_SPN_IP_ADDRESS -> {
                    SpnAddress address = parseAddress(text);
                    backend.setSpnAddress(address);
                    yield "SPN address set to " + address;
                }
                case CHANGE_L3_SPN_LISTEN_PORT -> {
                    int port = parsePort(text);
                    backend.setListenPort(port);
                    yield "listen port set to " + port;
                }
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
                case REGENERATE_L3_SPN_KEY -> "generating a new key; the box registers again under it";
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
                case FLUSH_USER_CMDS -> "nothing queued on the box; the console flushes its queue";
            };
            return new CommandResult(command.id(), true, message);
        } catch (IllegalArgumentException | BackendException | UncheckedIOException e) {
            return new CommandResult(command.id(), false, truncate(e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    @Override
    public void afterResultSent(UserCommand command) {
        try {
            switch (command.type()) {
                case REBOOT_SPNBOX -> backend.reboot();
                case GOTO_FACTORY_DEFAULT_STATE -> {
                    backend.factoryReset();
                    backend.reboot();
                }
                case REGENERATE_L3_SPN_KEY -> regenerateKey.run();
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

    private static String truncate(String message) {
        String text = message;
        while (text.getBytes(StandardCharsets.UTF_8).length > CommandResult.MAX_MESSAGE_BYTES) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
