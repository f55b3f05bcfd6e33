package io.starconsole.agent.lifecycle;

import io.starconsole.protocol.message.CommandResult;
import io.starconsole.protocol.message.UserCommand;

/**
 * Carries out a user command the edge handed over in ANS_USER_CMD and says how it went. Called on
 * the agent's scheduler, never on the receive thread, one command at a time per box. The result is
 * sent as COMMAND_RESULT; then {@link #afterResultSent} runs (REBOOT acknowledges first, then
 * reboots).
 */
public interface CommandHandler {

    CommandResult handle(UserCommand command);

    default void afterResultSent(UserCommand command) {
    }

    /** Refuses every command: for a box that only registers and pings. */
    static CommandHandler refusing() {
        return command -> new CommandResult(command.id(), false, "this agent does not run commands");
    }
}
