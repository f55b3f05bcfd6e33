package io.starconsole.agent.lifecycle;

import io.starconsole.agent.backend.Backend;
import io.starconsole.agent.backend.SpnAddress;
import io.starconsole.agent.config.EdgeKeySource;
import io.starconsole.protocol.codec.PacketKind;
import io.starconsole.protocol.codec.ProtocolException;
import io.starconsole.protocol.crypto.JediVersion;
import io.starconsole.protocol.crypto.Key;
import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.handshake.Established;
import io.starconsole.protocol.handshake.InitiationAttempt;
import io.starconsole.protocol.handshake.Initiator;
import io.starconsole.protocol.message.AnsUserCmd;
import io.starconsole.protocol.message.AskUserCmd;
import io.starconsole.protocol.message.BoxInfo;
import io.starconsole.protocol.message.Bye;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.Hello;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.MessageType;
import io.starconsole.protocol.message.Nok;
import io.starconsole.protocol.message.NokReason;
import io.starconsole.protocol.message.Ok;
import io.starconsole.protocol.message.OkNewIp;
import io.starconsole.protocol.message.OtaStatus;
import io.starconsole.protocol.message.Ping;
import io.starconsole.protocol.message.Pong;
import io.starconsole.protocol.message.Reconnect;
import io.starconsole.protocol.message.UserCommand;
import io.starconsole.protocol.message.WakeUp;
import io.starconsole.protocol.session.Session;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * One box's registration state machine (docs/protocol.md 7.1): handshake with HELLO (or RECONNECT
 * when the box already has an address), OK / OK_NEWIP / NOK, PING every interval, re-registration
 * on silence ({@code missedPongLimit} PINGs without PONG), on NOK, or when the session is due for
 * re-keying, with jittered exponential back-off; ASK_USER_CMD on a PONG's "commands pending" flag
 * or a WAKE_UP; BYE on {@link #stop}.
 *
 * <p>It never tears the data plane down: losing the edge only changes this state machine; the
 * backend is touched only to apply an OK_NEWIP address. Driven by a shared scheduler and by
 * {@link #onDatagram} from the receive thread; all state changes hold this object's lock, and
 * nothing under the lock blocks on the network or runs a process (commands run on the scheduler).
 */
public final class BoxLifecycle implements Registration {

    private static final Logger LOG = System.getLogger(BoxLifecycle.class.getName());

    private final String name;
    private final EdgeKeySource edgeKeys;
    private final JediVersion jediVersion;
    private final Supplier<BoxInfo> boxInfo;
    private final Consumer<byte[]> sender;
    private final Backend backend;
    private final ScheduledExecutorService scheduler;
    /** What follows a command's result (reboot, switching to a new key) once the edge has it. */
    private Runnable afterAcknowledged;
    private ScheduledFuture<?> acknowledgementTimeout;
    /** True from a result's sending until its follow-up has run: the next command waits for it. */
    private boolean followUpPending;
    private final LifecycleTimers timers;
    private final CommandHandler commands;
    private final Backoff backoff;
    /** A result is sent again until the edge says OK; at most this long apart. */
    private static final Duration RESULT_RETRY_MAX = Duration.ofSeconds(15);
    private final UnacknowledgedResult unacknowledged;

    private KeyPair keys;
    private Initiator initiator;
    private Key initiatorEdgeKey;
    private BoxState state = BoxState.IDLE;
    private InitiationAttempt attempt;
    private Session session;
    private boolean forceHello;
    private long pingSequence;
    private int missedPongs;
    private boolean commandInFlight;
    private boolean commandRunning;
    /**
     * Told of work (WAKE_UP, a PONG's flag, an answer's "more pending") while an ASK_USER_CMD was on
     * its way (its answer may predate the work) or a command ran or awaited its OK: ask once free.
     * Not told, the box does not ask after a command: an empty lease is a relay and a transaction
     * for nothing, and work queued later reaches it as a WAKE_UP or, if that is lost, as the flag of
     * the PONGs that follow.
     */
    private boolean toldOfWork;
    private ScheduledFuture<?> attemptTimer;
    private ScheduledFuture<?> retryTimer;
    private ScheduledFuture<?> pingTimer;
    private long registrations;
    private long initiations;
    private long pingsSent;
    private long pongsReceived;
    private long commandAsks;
    private String lastNok;
    private CompletableFuture<Message> registrationProbe;
    private boolean holdAddress;
    /** Results and OTA statuses waiting for a session (statuses beyond {@link #MAX_QUEUED_STATUSES} are dropped). */
    private final Queue<Message> outbox = new ArrayDeque<>();
    private static final int MAX_QUEUED_STATUSES = 32;

    public BoxLifecycle(String name, KeyPair keys, EdgeKeySource edgeKeys, JediVersion jediVersion, Supplier<BoxInfo> boxInfo,
            Consumer<byte[]> sender,
            Backend backend, ScheduledExecutorService scheduler, LifecycleTimers timers, CommandHandler commands,
            RandomGenerator random) {
        this.name = name;
        this.keys = keys;
        this.edgeKeys = edgeKeys;
        this.jediVersion = jediVersion;
        this.boxInfo = boxInfo;
        this.sender = sender;
        this.backend = backend;
        this.scheduler = scheduler;
        this.timers = timers;
        this.commands = commands;
        this.backoff = new Backoff(timers.backoffBase(), timers.backoffMax(), random);
        this.unacknowledged = new UnacknowledgedResult(new Backoff(timers.resultResendBase(), RESULT_RETRY_MAX, random),
                scheduler);
    }

    /** Starts registering (at once). */
    public synchronized void start() {
        if (state == BoxState.IDLE) {
            register();
        }
    }

    /** Sends BYE if registered, destroys the session and stops every timer. */
    public synchronized void stop() {
        if (state == BoxState.CLOSED) {
            return;
        }
        if (session != null) {
            sendOnSession(new Bye());
        }
        cancelTimers();
        unacknowledged.cancel();
        dropAttempt();
        dropSession();
        if (initiator != null) {
            initiator.destroy();
        }
        state = BoxState.CLOSED;
    }

    public synchronized BoxState state() {
        return state;
    }

    public synchronized Key publicKey() {
        return keys.publicKey();
    }

    public synchronized BoxStatus status() {
        return new BoxStatus(state, registrations, initiations, pingsSent, pongsReceived, commandAsks, Optional.ofNullable(lastNok));
    }

    /**
     * Replaces the box's identity (REGENERATE_L3_SPN_KEY, or its roll-back): the current session
     * ends and the box registers anew with HELLO under {@code newKeys}.
     */
    @Override
    public synchronized CompletableFuture<Message> registerUnder(KeyPair newKeys) {
        keys = newKeys;
        // A result unacknowledged by now is the old key's: the edge would relay it under the new one,
        // which the registry links only on that result. The key change's confirmation or roll-back
        // (reported under the key it ends on) settles the command instead.
        unacknowledged.settled();
        if (initiator != null) {
            initiator.destroy();
            initiator = null;
        }
        CompletableFuture<Message> probe = newProbe(false);
        if (state == BoxState.CLOSED || state == BoxState.IDLE) {
            return probe;
        }
        dropSession();
        forceHello = true;
        cancelTimers();
        register();
        return probe;
    }

    @Override
    public synchronized CompletableFuture<Message> reRegister(boolean holdAddress) {
        CompletableFuture<Message> probe = newProbe(holdAddress);
        if (state != BoxState.CLOSED && state != BoxState.IDLE) {
            register();
        }
        return probe;
    }

    @Override
    public synchronized void sendResult(CommandResult result) {
        unacknowledged.sent(result, this::resendResult);
        if (session != null) {
            sendOnSession(result);
        } else if (!outbox.contains(result)) {
            outbox.add(result);
        }
    }

    @Override
    public synchronized void sendStatus(OtaStatus status) {
        if (session != null) {
            sendOnSession(status);
        } else if (outbox.stream().filter(OtaStatus.class::isInstance).count() < MAX_QUEUED_STATUSES) {
            outbox.add(status);
        }
    }

    /**
     * As after a reboot, without one: BYE, the session is forgotten, and the box registers anew
     * with HELLO, announcing what the backend holds now (e.g. its new firmware version).
     */
    @Override
    public synchronized CompletableFuture<Message> restart() {
        CompletableFuture<Message> probe = newProbe(false);
        if (state == BoxState.CLOSED || state == BoxState.IDLE) {
            return probe;
        }
        if (session != null) {
            sendOnSession(new Bye());
        }
        dropSession();
        cancelTimers();
        forceHello = true;
        state = BoxState.HANDSHAKING;
        register();
        return probe;
    }

    private CompletableFuture<Message> newProbe(boolean holdAddress) {
        if (registrationProbe != null) {
            registrationProbe.cancel(false);
        }
        registrationProbe = new CompletableFuture<>();
        this.holdAddress = holdAddress;
        return registrationProbe;
    }

    /** Hands a registration answer to the waiting probe, if any; true if the address is the caller's to decide. */
    private boolean answerProbe(Message answer) {
        CompletableFuture<Message> probe = registrationProbe;
        boolean hold = holdAddress;
        registrationProbe = null;
        holdAddress = false;
        if (probe != null && !probe.isDone()) {
            probe.complete(answer);
            return hold;
        }
        return false;
    }

    // ---- registration ------------------------------------------------------------------------

    /** Starts one handshake attempt; the current session (if any) stays usable meanwhile. */
    private void register() {
        dropAttempt();
        cancel(retryTimer);
        Initiator current;
        try {
            current = initiatorFor(edgeKeys.current());
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, name + ": no usable edge public key (" + e.getMessage() + "); retrying");
            retryAfter(backoff.next());
            return;
        }
        BoxInfo info = boxInfo.get();
        Message request = forceHello || info.wantsAnyAddress() ? new Hello(info) : new Reconnect(info);
        attempt = current.initiate(request);
        initiations++;
        if (session == null) {
            state = BoxState.HANDSHAKING;
        }
        sender.accept(attempt.datagram());
        attemptTimer = schedule(this::onAttemptTimeout, timers.handshakeTimeout());
    }

    private Initiator initiatorFor(Key edgeKey) {
        if (initiator == null || !edgeKey.equals(initiatorEdgeKey)) {
            if (initiator != null) {
                initiator.destroy();
            }
            initiator = new Initiator(keys, edgeKey, jediVersion);
            initiatorEdgeKey = edgeKey;
        }
        return initiator;
    }

    private synchronized void onAttemptTimeout() {
        if (attempt == null || state == BoxState.CLOSED) {
            return;
        }
        dropAttempt();
        Duration wait = backoff.next();
        LOG.log(Level.INFO, name + ": no answer from the edge; next registration attempt in " + wait.toMillis() + " ms");
        retryAfter(wait);
    }

    private void retryAfter(Duration wait) {
        if (session == null) {
            state = BoxState.BACKING_OFF;
        }
        cancel(retryTimer);
        retryTimer = schedule(this::retry, wait);
    }

    private synchronized void retry() {
        if (state != BoxState.CLOSED && state != BoxState.DENIED && attempt == null) {
            register();
        }
    }

    private void onHandshakeResponse(byte[] datagram) {
        if (attempt == null) {
            return;
        }
        Established established;
        try {
            established = attempt.consumeResponse(datagram);
        } catch (ProtocolException e) {
            LOG.log(Level.DEBUG, name + ": dropped a handshake response: " + e.reason());
            return;
        }
        dropAttempt();
        Message answer = established.answer();
        boolean addressHeld = answerProbe(answer);
        if (answer instanceof Nok nok) {
            established.session().destroy();
            onRegistrationRefused(nok);
            return;
        }
        dropSession();
        session = established.session();
        state = BoxState.ESTABLISHED;
        registrations++;
        backoff.reset();
        forceHello = false;
        missedPongs = 0;
        if (answer instanceof OkNewIp newIp && !addressHeld) {
            applyAddress(new SpnAddress(newIp.spnIp(), newIp.prefixLength()));
        }
        LOG.log(Level.INFO, name + ": registered (" + answer.type() + ")");
        if (pingTimer == null) {
            long interval = timers.pingInterval().toNanos();
            pingTimer = scheduler.scheduleAtFixedRate(this::ping, interval, interval, TimeUnit.NANOSECONDS);
        }
        while (!outbox.isEmpty()) {
            sendOnSession(outbox.poll());
        }
    }

    private void onRegistrationRefused(Nok nok) {
        lastNok = nok.reason().name();
        forceHello = true;
        switch (nok.reason()) {
            case DENIED -> {
                LOG.log(Level.ERROR, name + ": the console denied this box (" + nok.text() + "); an operator must act");
                cancelTimers();
                dropSession();
                state = BoxState.DENIED;
            }
            case PENDING_APPROVAL -> {
                LOG.log(Level.INFO, name + ": waiting for an operator's approval");
                retryAfter(timers.pendingApprovalWait());
            }
            default -> {
                Duration wait = backoff.next();
                LOG.log(Level.WARNING, name + ": registration refused (" + nok.reason() + "); retrying in " + wait.toMillis() + " ms");
                retryAfter(wait);
            }
        }
    }

    private void applyAddress(SpnAddress address) {
        try {
            if (!backend.spnAddress().equals(Optional.of(address))) {
                backend.setSpnAddress(address);
                LOG.log(Level.INFO, name + ": SPN address " + address);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, name + ": cannot apply SPN address " + address + ": " + e.getMessage());
        }
    }

    // ---- established -------------------------------------------------------------------------

    private synchronized void ping() {
        if (session == null || state == BoxState.CLOSED) {
            return;
        }
        if (missedPongs >= timers.missedPongLimit()) {
            LOG.log(Level.INFO, name + ": " + missedPongs + " PINGs without PONG; registering again");
            lostSession();
            return;
        }
        long now = System.nanoTime();
        if (session.isExpired(now)) {
            lostSession();
            return;
        }
        if (session.needsRekey(now) && attempt == null && (retryTimer == null || retryTimer.isDone())) {
            register(); // RECONNECT; the current session carries on until the new one is up
        }
        commandInFlight = false; // an ASK_USER_CMD whose answer was lost may be sent again
        pingSequence = (pingSequence + 1) & 0xFFFF_FFFFL;
        missedPongs++;
        pingsSent++;
        sendOnSession(new Ping(pingSequence));
    }

    /** The session is gone (silence, expiry, NOK UNKNOWN_SESSION): stop pinging and register again. */
    private void lostSession() {
        dropSession();
        cancel(pingTimer);
        pingTimer = null;
        if (attempt == null) {
            Duration wait = backoff.failures() == 0 ? Duration.ZERO : backoff.next();
            if (wait.isZero()) {
                register();
            } else {
                retryAfter(wait);
            }
        } else {
            state = BoxState.HANDSHAKING;
        }
    }

    private void onTransport(byte[] datagram) {
        if (session == null) {
            return;
        }
        Message message;
        try {
            message = session.open(datagram);
        } catch (ProtocolException e) {
            LOG.log(Level.DEBUG, name + ": dropped a transport datagram: " + e.reason());
            return;
        }
        if (message instanceof Pong pong) {
            missedPongs = 0;
            pongsReceived++;
            if (pong.commandsPending()) {
                askForCommands();
            }
        } else if (message instanceof WakeUp) {
            askForCommands();
        } else if (message instanceof AnsUserCmd answer) {
            commandInFlight = false;
            if (answer.command().isPresent()) {
                UserCommand command = answer.command().get();
                commandRunning = true;
                toldOfWork |= answer.morePending();
                scheduler.execute(() -> runCommand(command));
            } else if (toldOfWork) {
                askForCommands(); // the empty answer may have been made before the new work was queued
            }
        } else if (message instanceof Nok nok && nok.reason() == NokReason.TRY_AGAIN
                && nok.inReplyTo() == MessageType.COMMAND_RESULT) {
            lastNok = nok.reason().name();
            Duration wait = unacknowledged.untilResend();
            if (wait != null) {
                LOG.log(Level.WARNING, name + ": the console could not take a command result yet; sending it again in "
                        + wait.toMillis() + " ms");
            }
        } else if (message instanceof Nok nok && nok.reason() == NokReason.UNKNOWN_SESSION) {
            LOG.log(Level.INFO, name + ": the edge does not know this session; registering with HELLO");
            forceHello = true;
            lostSession();
        } else if (message instanceof Nok nok) {
            lastNok = nok.reason().name();
            LOG.log(Level.WARNING, name + ": NOK " + nok.reason() + " to " + nok.inReplyTo());
        } else if (message instanceof Ok ok && ok.inReplyTo() == MessageType.COMMAND_RESULT) {
            unacknowledged.settled();
            runAcknowledged();
        } else if (!(message instanceof Ok)) {
            LOG.log(Level.DEBUG, name + ": ignored " + message.type());
        }
    }

    /** A result the edge has not said OK to, again (unless acknowledged or replaced meanwhile). */
    private synchronized void resendResult(CommandResult result) {
        if (unacknowledged.waitsFor(result) && state != BoxState.CLOSED) {
            LOG.log(Level.INFO, name + ": no OK yet to the result of command " + result.commandId() + "; sending it again");
            sendResult(result);
        }
    }

    private void askForCommands() {
        // One command at a time, its follow-up (a reboot, a new key) included: a rename must not
        // run before the factory reset acknowledged just before it.
        if (commandInFlight || commandRunning || followUpPending) {
            toldOfWork = true;
        } else {
            toldOfWork = false; // this ask covers it
            commandInFlight = true;
            commandAsks++;
            sendOnSession(new AskUserCmd());
        }
    }

    /** On the scheduler, outside the lock: commands may run processes. */
    private void runCommand(UserCommand command) {
        CompletableFuture<CommandResult> pending;
        try {
            pending = commands.handle(command);
        } catch (RuntimeException e) {
            pending = CompletableFuture.failedFuture(e);
        }
        pending.whenComplete((result, error) -> finishCommand(command,
                error == null ? result : new CommandResult(command.id(), false, "agent error: " + error.getClass().getSimpleName())));
    }

    private void finishCommand(UserCommand command, CommandResult result) {
        synchronized (this) {
            commandRunning = false;
            if (state == BoxState.CLOSED) {
                return;
            }
            if (result != null) {
                // Registered before sending, under the lock the receive thread takes too, so the
                // edge's OK cannot arrive before anyone waits for it.
                awaitAcknowledgement(() -> commands.afterResultSent(command));
                sendResult(result); // without a session: sent after the next registration
            }
            askIfTold(); // without a result there is no follow-up to wait for
        }
    }

    /**
     * Acts on a sent result only once the edge has acknowledged it (it answers OK after the registry
     * took it), or after a timeout: a new key must not register before the console has linked it to
     * this box, and a reboot must not swallow its own acknowledgement.
     */
    private synchronized void awaitAcknowledgement(Runnable action) {
        runAcknowledged(); // one outstanding at most: an earlier one goes now
        afterAcknowledged = action;
        followUpPending = true;
        // The result is sent again meanwhile (UnacknowledgedResult); past this, the edge is unreachable.
        acknowledgementTimeout = schedule(this::runAcknowledged, timers.resultAcknowledgementTimeout());
    }

    private void runAcknowledged() {
        Runnable action;
        synchronized (this) {
            action = afterAcknowledged;
            afterAcknowledged = null;
            if (acknowledgementTimeout != null) {
                acknowledgementTimeout.cancel(false);
                acknowledgementTimeout = null;
            }
        }
        if (action != null) {
            scheduler.execute(() -> {
                try {
                    action.run();
                } finally {
                    synchronized (this) {
                        followUpPending = false;
                        askIfTold();
                    }
                }
            });
        }
    }

    /** The ask {@link #toldOfWork} kept for later, once nothing runs or waits (under the lock). */
    private void askIfTold() {
        if (toldOfWork && !commandRunning && !followUpPending && session != null && state != BoxState.CLOSED) {
            askForCommands();
        }
    }

    // ---- plumbing ----------------------------------------------------------------------------

    /** A datagram from the edge (on the receive thread). */
    public synchronized void onDatagram(byte[] datagram) {
        if (state == BoxState.CLOSED || datagram.length < 4) {
            return;
        }
        int kind = datagram[1];
        if (kind == PacketKind.HANDSHAKE_RESPONSE.code()) {
            onHandshakeResponse(datagram);
        } else if (kind == PacketKind.COOKIE_REPLY.code()) {
            onCookieReply(datagram);
        } else if (kind == PacketKind.TRANSPORT_DATA.code()) {
            onTransport(datagram);
        }
    }

    private void onCookieReply(byte[] datagram) {
        if (attempt == null) {
            return;
        }
        try {
            attempt.consumeCookieReply(datagram);
        } catch (ProtocolException e) {
            LOG.log(Level.DEBUG, name + ": dropped a cookie reply: " + e.reason());
            return;
        }
        cancel(attemptTimer);
        register(); // at once, now with mac2
    }

    private void sendOnSession(Message message) {
        try {
            sender.accept(session.seal(message));
        } catch (ProtocolException e) {
            LOG.log(Level.DEBUG, name + ": cannot seal " + message.type() + ": " + e.reason());
        }
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void dropAttempt() {
        cancel(attemptTimer);
        if (attempt != null) {
            attempt.discard();
            attempt = null;
        }
    }

    private void dropSession() {
        if (session != null) {
            session.destroy();
            session = null;
        }
        commandInFlight = false;
    }

    private void cancelTimers() {
        cancel(attemptTimer);
        cancel(retryTimer);
        cancel(pingTimer);
        pingTimer = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
