package io.starconsole.agent.lifecycle;

import io.starconsole.protocol.crypto.KeyPair;
import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.Message;
import io.starconsole.protocol.message.OtaStatus;
import java.util.concurrent.CompletableFuture;

/**
 * What a tentative change needs from the box's registration: register again now and hear the
 * console's answer, register under another key, and send a result outside the ANS_USER_CMD flow.
 * {@link BoxLifecycle} implements it.
 */
public interface Registration {

    /**
     * Starts a new registration at once (RECONNECT, or HELLO after a NOK) with what the backend
     * holds now; the current session stays usable until it is answered. The future completes with
     * the first answer (OK, OK_NEWIP or NOK) to any registration attempt from now on; it never
     * completes if there is none (the caller keeps its own deadline).
     *
     * @param holdAddress an OK_NEWIP is not applied to the backend: the caller decides about the address
     */
    CompletableFuture<Message> reRegister(boolean holdAddress);

    /** Ends the current session and registers with HELLO under {@code keys}; the future as in {@link #reRegister}. */
    CompletableFuture<Message> registerUnder(KeyPair keys);

    /** Sends {@code result} now if registered, else as soon as the box is registered again. */
    void sendResult(CommandResult result);

    /** Sends an OTA_STATUS now if registered, else once registered again (a bounded number are kept). */
    void sendStatus(OtaStatus status);

    /**
     * Re-registers as a rebooted box would: BYE, session forgotten, HELLO with what the backend holds
     * now; the future as in {@link #reRegister}.
     */
    CompletableFuture<Message> restart();
}
