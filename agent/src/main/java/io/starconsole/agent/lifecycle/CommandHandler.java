package io.starconsole.agent.lifecycle;

import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.UserCommand;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out a user command the edge handed over in ANS_USER_CMD and says how it went. Called on
 * the agent's scheduler, never on the receive thread, one command at a time per box. The result
 * may come later (a tentative change waits for the console's answer to a re-registration); it is
 * sent as COMMAND_RESULT when it comes, then {@link #afterResultSent} runs (REBOOT acknowledges
 * first, then reboots). A {@code null} result means there is nothing to send (a redelivered id
 * whose execution is still in progress).
 */
public interface CommandHandler {

    CompletableFuture<CommandResult> handle(UserCommand command);

    default void afterResultSent(UserCommand command) {
    }

    /** Refuses every command: for a box that only registers and pings. */
    static CommandHandler refusing() {
        return command -> CompletableFuture.completedFuture(new CommandResult(command.id(), false, "this agent does not run commands"));
    }
}
