package io.starconsole.agent.command;

import io.starconsole.agent.support.Utf8Text;
import io.starconsole.protocol.message.CommandResult;

/**
 * The three outcomes a box reports: succeeded, failed, rolled back. COMMAND_RESULT carries only
 * succeeded / failed and a message, so a roll-back travels as failed with a message that starts
 * with {@value #ROLLED_BACK_PREFIX} (docs/agent.md, "Commands").
 */
public enum CommandOutcome {
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    ROLLED_BACK("rolled_back");

    public static final String ROLLED_BACK_PREFIX = "rolled back: ";

    private final String label;

    CommandOutcome(String label) {
        this.label = label;
    }

    /** {@code succeeded}, {@code failed} or {@code rolled_back}. */
    public String label() {
        return label;
    }

    /** The result for command {@code commandId}; the message is cut to the wire's limit. */
    public CommandResult result(long commandId, String message) {
        String text = this == ROLLED_BACK && !message.startsWith(ROLLED_BACK_PREFIX) ? ROLLED_BACK_PREFIX + message : message;
        return new CommandResult(commandId, this == SUCCEEDED, Utf8Text.truncate(text, CommandResult.MAX_MESSAGE_BYTES));
    }

    public static CommandOutcome of(CommandResult result) {
        if (result.success()) {
            return SUCCEEDED;
        }
        return result.message().startsWith(ROLLED_BACK_PREFIX) ? ROLLED_BACK : FAILED;
    }
}
