package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;

/** ASK_USER_CMD (11): box -> edge, lease the next command. Empty body; answered ANS_USER_CMD. */
public record AskUserCmd() implements Message {

    public static AskUserCmd decode(ByteReader reader) {
        return new AskUserCmd();
    }

    @Override
    public MessageType type() {
        return MessageType.ASK_USER_CMD;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        // no body
    }
}
