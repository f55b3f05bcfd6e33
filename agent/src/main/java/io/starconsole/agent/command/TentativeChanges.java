package io.starconsole.agent.command;

import io.starconsole.agent.backend.Backend;
import io.starconsole.agent.backend.SpnAddress;
import io.starconsole.agent.command.PendingChange.Kind;
import io.starconsole.agent.config.KeyFiles;
import io.starconsole.agent.lifecycle.Registration;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyFormatException;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The risky network changes (SPN address, listen port, key), applied tentatively: the change is
 * saved as a {@link PendingChange}, applied through the backend, and the box registers again on
 * the new setting. It is kept only if the console accepts that registration within the deadline;
 * otherwise the box restores the old setting itself, registers on it again and reports
 * {@link CommandOutcome#ROLLED_BACK} with the reason. An agent that stops meanwhile rolls the
 * change back at its next start ({@link #recover}). One risky change at a time.
 */
public final class TentativeChanges {

    private static final Logger LOG = System.getLogger(TentativeChanges.class.getName());

    private final Backend backend;
    private final ExecutedCommands executed;
    private final Path stateDirectory;
    private final Path keyFile;
    private final Duration deadline;
    private final ScheduledExecutorService scheduler;
    private final SecureRandom random;
    private final int configuredListenPort;
    private volatile Registration registration;
    private volatile boolean closed;

    public TentativeChanges(Backend backend, ExecutedCommands executed, Path stateDirectory, Path keyFile, Duration deadline,
            ScheduledExecutorService scheduler, SecureRandom random, int configuredListenPort) {
        this.backend = backend;
        this.executed = executed;
        this.stateDirectory = stateDirectory;
        this.keyFile = keyFile;
        this.deadline = deadline;
        this.scheduler = scheduler;
        this.random = random;
        this.configuredListenPort = configuredListenPort;
    }

    /** The box's registration (set once, before the box starts). */
    public void attach(Registration registration) {
        this.registration = registration;
    }

    /** The box is stopping: waiting changes are left pending (rolled back at the next start), nothing more is sent. */
    public void close() {
        closed = true;
    }

    /**
     * At start, before registering: rolls back a change left pending by an agent that stopped
     * before the console confirmed it. Returns the rolled-back result to send.
     */
    public Optional<CommandResult> recover() {
        return PendingChange.load(stateDirectory).map(change -> {
            LOG.log(Level.WARNING, "command " + Long.toUnsignedString(change.commandId()) + ": " + change.kind()
                    + " change was not confirmed before the agent stopped; rolling it back");
            return rollBack(change, "the agent stopped before the console confirmed the change", false);
        });
    }

    /** CHANGE_L3_SPN_IP_ADDRESS: kept if the console answers OK, or OK_NEWIP with this very address. */
    public CompletableFuture<CommandResult> changeAddress(long commandId, SpnAddress next) {
        String old = backend.spnAddress().map(SpnAddress::toString).orElse("");
        PendingChange change = new PendingChange(commandId, Kind.SPN_ADDRESS, old, next.toString());
        return tentatively(change, () -> backend.setSpnAddress(next), true, answer -> {
            if (answer instanceof OkNewIp other && !new SpnAddress(other.spnIp(), other.prefixLength()).equals(next)) {
                return "the console assigned " + other.spnIp().getHostAddress() + "/" + other.prefixLength() + " instead of " + next;
            }
            return refusal(answer);
        }, "SPN address set to " + next);
    }

    /** CHANGE_L3_SPN_LISTEN_PORT: kept if the console accepts a registration announcing the new port. */
    public CompletableFuture<CommandResult> changeListenPort(long commandId, int port) {
        int old = backend.listenPort().orElse(configuredListenPort);
        PendingChange change = new PendingChange(commandId, Kind.LISTEN_PORT, Integer.toString(old), Integer.toString(port));
        return tentatively(change, () -> backend.setListenPort(port), false, TentativeChanges::refusal, "listen port set to " + port);
    }

    /**
     * REGENERATE_L3_SPN_KEY, first half: a new key pair is made and saved next to the old one; the
     * result {@code new-key <base64 public key>} goes out through the current session so the console
     * links the new key to this box. {@link #switchKey} follows once it is sent.
     */
    public CommandResult prepareKey(long commandId) {
        Optional<CommandResult> busy = busy(commandId);
        if (busy.isPresent()) {
            return busy.get();
        }
        KeyPair current;
        try {
            current = KeyFiles.load(keyFile);
        } catch (IOException e) {
            return CommandOutcome.FAILED.result(commandId, "cannot read the current key: " + e.getMessage());
        }
        KeyPair fresh = KeyPair.generate(random);
        new PendingChange(commandId, Kind.KEY, current.privateKey().toBase64(), fresh.privateKey().toBase64()).save(stateDirectory);
        return CommandOutcome.SUCCEEDED.result(commandId, newKeyMessage(fresh.publicKey()));
    }

    /**
     * REGENERATE_L3_SPN_KEY, second half: the box switches to the new key and registers under it;
     * if that is not accepted within the deadline it switches back, registers under the old key and
     * sends {@code rolled back: …} for the same command id.
     */
    public void switchKey(long commandId) {
        Optional<PendingChange> pending = PendingChange.load(stateDirectory)
                .filter(change -> change.commandId() == commandId && change.kind() == Kind.KEY);
        if (pending.isEmpty() || closed) {
            return;
        }
        PendingChange change = pending.get();
        KeyPair fresh = KeyPair.fromPrivateKey(key(change.newValue()));
        try {
            KeyFiles.write(keyFile, fresh.privateKey());
            backend.setPrivateKey(fresh.privateKey());
        } catch (IOException | RuntimeException e) {
            registration.sendResult(rollBack(change, "cannot switch to the new key: " + e.getMessage(), false));
            return;
        }
        LOG.log(Level.INFO, "new key " + fresh.publicKey().toBase64() + "; registering under it");
        decide(change, registration.registerUnder(fresh), TentativeChanges::refusal, newKeyMessage(fresh.publicKey()))
                .thenAccept(result -> {
                    if (result != null && !result.success()) {
                        registration.sendResult(result);
                    }
                });
    }

    private static Key key(String base64) {
        try {
            return Key.fromBase64(base64);
        } catch (KeyFormatException e) {
            throw new IllegalStateException(PendingChange.FILE_NAME + " holds a damaged key");
        }
    }

    private static String newKeyMessage(Key publicKey) {
        return "new-key " + publicKey.toBase64();
    }

    /** A result refusing the command if another risky change still waits for its confirmation. */
    private Optional<CommandResult> busy(long commandId) {
        return PendingChange.load(stateDirectory).map(other -> CommandOutcome.FAILED.result(commandId, "another network change (command "
                + Long.toUnsignedString(other.commandId()) + ") is still waiting for confirmation; try again later"));
    }

    private CompletableFuture<CommandResult> tentatively(PendingChange change, Runnable apply, boolean holdAddress,
            Function<Message, String> verdict, String successMessage) {
        Optional<CommandResult> busy = busy(change.commandId());
        if (busy.isPresent()) {
            return CompletableFuture.completedFuture(busy.get());
        }
        change.save(stateDirectory);
        try {
            apply.run();
        } catch (RuntimeException e) {
            rollBack(change, "not applied", false);
            return CompletableFuture.completedFuture(CommandOutcome.FAILED.result(change.commandId(),
                    e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        LOG.log(Level.INFO, "command " + Long.toUnsignedString(change.commandId()) + ": " + change.kind() + " " + change.newValue()
                + " applied tentatively; registering on it");
        return decide(change, registration.reRegister(holdAddress), verdict, successMessage);
    }

    /**
     * Waits (without blocking a thread) for the registration answer or the deadline, then keeps or
     * rolls back. Completes with {@code null} if the box stopped meanwhile.
     */
    private CompletableFuture<CommandResult> decide(PendingChange change, CompletableFuture<Message> answer,
            Function<Message, String> verdict, String successMessage) {
        ScheduledFuture<?> timer = scheduler.schedule(() -> answer.complete(null), deadline.toNanos(), TimeUnit.NANOSECONDS);
        return answer.handleAsync((message, error) -> {
            timer.cancel(false);
            if (closed) {
                return null;
            }
            String reason = message == null ? "no registration answer within " + deadline.toMillis() + " ms" : verdict.apply(message);
            if (reason != null) {
                return rollBack(change, reason, true);
            }
            PendingChange.clear(stateDirectory);
            CommandResult result = CommandOutcome.SUCCEEDED.result(change.commandId(), successMessage);
            executed.record(result);
            LOG.log(Level.INFO, "command " + Long.toUnsignedString(change.commandId()) + ": " + change.kind() + " confirmed by the console");
            return result;
        }, scheduler);
    }

    /** {@code null} for OK / OK_NEWIP, the reason for a NOK. */
    private static String refusal(Message answer) {
        if (answer instanceof Ok || answer instanceof OkNewIp) {
            return null;
        }
        return answer instanceof Nok nok ? "the console refused the registration (NOK " + nok.reason() + ")" : "unexpected " + answer.type();
    }

    /** Restores the old setting, forgets the pending change, records and returns the rolled-back result. */
    private CommandResult rollBack(PendingChange change, String reason, boolean registerAgain) {
        String text = reason;
        try {
            restore(change, registerAgain);
        } catch (IOException | RuntimeException e) {
            text = reason + "; restoring the old setting failed: " + e.getMessage();
        }
        PendingChange.clear(stateDirectory);
        CommandResult result = CommandOutcome.ROLLED_BACK.result(change.commandId(), text);
        executed.record(result);
        LOG.log(Level.WARNING, "command " + Long.toUnsignedString(change.commandId()) + ": " + result.message());
        return result;
    }

    private void restore(PendingChange change, boolean registerAgain) throws IOException {
        switch (change.kind()) {
            case SPN_ADDRESS -> {
                if (!change.oldValue().isEmpty()) {
                    backend.setSpnAddress(SpnAddress.parse(change.oldValue()));
                }
            }
            case LISTEN_PORT -> backend.setListenPort(Integer.parseInt(change.oldValue()));
            case KEY -> {
                Key old = key(change.oldValue());
                KeyFiles.write(keyFile, old);
                backend.setPrivateKey(old);
                if (registerAgain) {
                    registration.registerUnder(KeyPair.fromPrivateKey(old));
                }
                return;
            }
        }
        if (registerAgain) {
            registration.reRegister(false);
        }
    }
}
