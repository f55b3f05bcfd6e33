package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;

/**
 * COMMAND_RESULT (15): box -> edge, the outcome of command {@code commandId}; answered OK.
 * Sent again (same id) if the box sees the same command twice.
 */
public record CommandResult(long commandId, boolean success, String message) implements Message {

    public static final int MAX_MESSAGE_BYTES = 500;

    /**
     * A failure whose message starts with this was a risky change (SPN IP, listen port, key) that the
     * box applied tentatively and then undid itself: the console shows it as "rolled back".
     */
    public static final String ROLLED_BACK_PREFIX = "rolled back:";

    public CommandResult {
        Fields.text(message, MAX_MESSAGE_BYTES, "message");
    }

    public static CommandResult decode(ByteReader reader) throws ProtocolException {
        long id = reader.u64();   // command id, u64
        int status = reader.u8(); // 0 = failed, 1 = succeeded
        if (status > 1) {
            throw new ProtocolException(ProtocolException.Reason.INVALID_FIELD, "bad status");
        }
        return new CommandResult(id, status == 1, reader.string16(MAX_MESSAGE_BYTES)); // message
    }

    @Override
    public MessageType type() {
        return MessageType.COMMAND_RESULT;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u64(commandId).u8(success ? 1 : 0).string16(message);
    }
}
