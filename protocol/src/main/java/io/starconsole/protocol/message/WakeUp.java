package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteReader;
import io.starconsole.protocol.codec.ByteWriter;
import io.starconsole.protocol.codec.ProtocolException;

/** WAKE_UP (16): edge -> box, {@code pendingCommands} commands wait; the box answers with ASK_USER_CMD. */
public record WakeUp(int pendingCommands) implements Message {

    public WakeUp {
        Fields.range(pendingCommands, 0, 0xFFFF, "pendingCommands");
    }

    public static WakeUp decode(ByteReader reader) throws ProtocolException {
        return new WakeUp(reader.u16()); // pending commands, u16 (saturated)
    }

    @Override
    public MessageType type() {
        return MessageType.WAKE_UP;
    }

    @Override
    public void encodeTo(ByteWriter writer) {
        writer.u16(pendingCommands);
    }
}
